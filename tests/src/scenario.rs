//! Named scenarios the suites start from, so that a test's set-up is one line saying what it
//! is — the demo city, a clerk with a vacancy, plus a supervisor and a reviewer, the app open
//! in a browser, a clerk signed in in a browser — written once here.
//!
//! Bind a scenario to one variable and reach its parts by field (`scene.page`,
//! `scene.city.server`): a `let Scenario { page, .. } = …` pattern would drop the server and
//! the browser it does not name at the end of that statement.

use std::fmt::Display;

use domain::{EstablishmentCategory, UnitId};
use protocol::identity::HolderCreated;
use server::config::Config;

use crate::browser::{TestBrowser, TestPage};
use crate::clerk::{signed_in_tab, wait_for_sync};
use crate::filing::{set_vacancy, unit_with_vacancy};
use crate::keys::{KeyHolder, create_holder};
use crate::schema::{self, Pool};
use crate::server::TestServer;

/// The scope of the demo city's bureau: the whole city (天水市).
pub const CITY_REGION: &str = "region:620500";

/// A fresh server whose database holds a demo city (the tiny one unless configured), with a
/// second connection pool on that database for the test's own reads.
pub struct City {
    pub server: TestServer,
    pub pool: Pool,
}

impl City {
    /// The tiny demo city (seed 2018): a dozen units of 天水市, 秦州区 and 张家川, about 150
    /// people.
    pub async fn start() -> City {
        let server = TestServer::start_with_demo()
            .await
            .expect("the server starts");
        Self::on(server).await
    }

    /// The tiny demo city with the server's configuration changed by `edit` (which may ask for
    /// another city).
    pub async fn start_configured(edit: impl FnOnce(&mut Config)) -> City {
        let server = TestServer::start_configured(edit)
            .await
            .expect("the server starts");
        Self::on(server).await
    }

    async fn on(server: TestServer) -> City {
        let pool = server.database().await.expect("the test database opens");
        City { server, pool }
    }

    /// Every unit's id, in id order.
    pub async fn units(&self) -> Vec<UnitId> {
        schema::unit_ids(&self.pool).await
    }

    /// A new key holder with an enrolled software key, not signed in.
    pub async fn enrolled(&self, login: &str, role: &str, scope: &str) -> KeyHolder {
        let created = create_holder(&self.server, login, role, scope).await;
        KeyHolder::enrolled(&self.server, created).await
    }

    /// A new key holder, enrolled and signed in.
    pub async fn holder(&self, login: &str, role: &str, scope: &str) -> KeyHolder {
        KeyHolder::signed_in(&self.server, login, role, scope).await
    }

    /// A clerk of `unit` with an enrolled key, not signed in.
    pub async fn enrolled_clerk(&self, login: &str, unit: &UnitId) -> KeyHolder {
        self.enrolled(login, "unit_clerk", &format!("unit:{unit}"))
            .await
    }

    /// A clerk of `unit`, signed in.
    pub async fn clerk(&self, login: &str, unit: &UnitId) -> KeyHolder {
        self.holder(login, "unit_clerk", &format!("unit:{unit}"))
            .await
    }

    /// A supervising department's key holder, signed in.
    pub async fn supervisor(&self, login: &str, department: &impl Display) -> KeyHolder {
        self.holder(login, "supervisor", &format!("department:{department}"))
            .await
    }

    /// A reviewer of the city's bureau, signed in.
    pub async fn reviewer(&self, login: &str) -> KeyHolder {
        self.holder(login, "bureau_reviewer", CITY_REGION).await
    }

    /// An administrator of the city's bureau, signed in.
    pub async fn administrator(&self, login: &str) -> KeyHolder {
        self.holder(login, "bureau_admin", CITY_REGION).await
    }

    /// The first unit (by id) with a supervising department and a category with vacant posts.
    pub async fn vacancy(&self) -> Vacancy {
        let (unit, department, category, vacant) =
            unit_with_vacancy(&self.pool, &Default::default()).await;
        Vacancy {
            unit,
            department,
            category,
            vacant,
        }
    }

    /// A clerk with a vacancy: the [`vacancy`](Self::vacancy)'s unit and its clerk `clerk`,
    /// signed in.
    pub async fn clerk_with_vacancy(&self) -> ClerkWithVacancy {
        let Vacancy {
            unit,
            department,
            category,
            vacant,
        } = self.vacancy().await;
        let clerk = self.clerk("clerk", &unit).await;
        ClerkWithVacancy {
            unit,
            department,
            category,
            vacant,
            clerk,
        }
    }

    /// The deciders of `department`'s units: its supervisor `supervisor` and the city's
    /// reviewer `reviewer`, signed in.
    pub async fn deciders(&self, department: &UnitId) -> Deciders {
        Deciders {
            supervisor: self.supervisor("supervisor", department).await,
            reviewer: self.reviewer("reviewer").await,
        }
    }

    /// A clerk with a vacancy, plus a supervisor and a reviewer: everyone a quota-use request
    /// passes on its way to approval.
    pub async fn review(&self) -> Review {
        let ClerkWithVacancy {
            unit,
            department,
            category,
            vacant,
            clerk,
        } = self.clerk_with_vacancy().await;
        let Deciders {
            supervisor,
            reviewer,
        } = self.deciders(&department).await;
        Review {
            unit,
            department,
            category,
            vacant,
            clerk,
            supervisor,
            reviewer,
        }
    }
}

/// A unit with a supervising department, and a category in which it has vacant posts.
pub struct Vacancy {
    pub unit: UnitId,
    pub department: UnitId,
    pub category: EstablishmentCategory,
    /// Vacant posts of `category`.
    pub vacant: u32,
}

/// A [`Vacancy`] and the unit's clerk, signed in.
pub struct ClerkWithVacancy {
    pub unit: UnitId,
    pub department: UnitId,
    pub category: EstablishmentCategory,
    pub vacant: u32,
    pub clerk: KeyHolder,
}

/// The supervising department and the bureau, signed in.
pub struct Deciders {
    pub supervisor: KeyHolder,
    pub reviewer: KeyHolder,
}

/// A [`ClerkWithVacancy`] plus the [`Deciders`] of the unit.
pub struct Review {
    pub unit: UnitId,
    pub department: UnitId,
    pub category: EstablishmentCategory,
    pub vacant: u32,
    pub clerk: KeyHolder,
    pub supervisor: KeyHolder,
    pub reviewer: KeyHolder,
}

/// A key holder signed in in a browser of their own.
pub struct SignedInBrowser {
    pub browser: TestBrowser,
    /// On the holder's landing page (`/apply`, a reviewer's `/review`), under the service worker.
    pub page: TestPage,
    pub holder: HolderCreated,
}

impl SignedInBrowser {
    /// Launches Chromium, creates the holder, opens its enrolment link in a tab with a virtual
    /// key, enrols and signs in.
    pub async fn start(
        server: &TestServer,
        login: &str,
        role: &str,
        scope: &str,
    ) -> anyhow::Result<Self> {
        let browser = TestBrowser::launch().await?;
        let (page, holder) = signed_in_tab(&browser, server, login, role, scope).await?;
        Ok(Self {
            browser,
            page,
            holder,
        })
    }
}

/// The app open in a browser: a server with an empty database (no demo city), Chromium, and
/// a tab on the start page.
pub struct AppInBrowser {
    pub server: TestServer,
    pub browser: TestBrowser,
    pub page: TestPage,
}

impl AppInBrowser {
    pub async fn open() -> anyhow::Result<Self> {
        let server = TestServer::start().await?;
        let browser = TestBrowser::launch().await?;
        let page = browser.open(&server.url()).await?;
        Ok(Self {
            server,
            browser,
            page,
        })
    }
}

/// A clerk signed in in a browser: the tiny demo city, a unit with exactly the asked-for
/// vacant posts of one category, and Chromium with a tab where the unit's clerk enrolled a
/// virtual key and signed in.
pub struct ClerkInBrowser {
    pub city: City,
    pub unit: UnitId,
    pub department: UnitId,
    pub category: EstablishmentCategory,
    pub browser: TestBrowser,
    /// On `/apply`, under the service worker.
    pub page: TestPage,
    pub holder: HolderCreated,
}

impl ClerkInBrowser {
    /// The clerk `login`, signed in; `category` of the unit has exactly `vacant` vacant posts.
    pub async fn signed_in(login: &str, vacant: u32) -> anyhow::Result<Self> {
        let city = City::start().await;
        let Vacancy {
            unit,
            department,
            category,
            ..
        } = city.vacancy().await;
        set_vacancy(&city.pool, &unit, category, vacant).await;
        let SignedInBrowser {
            browser,
            page,
            holder,
        } = SignedInBrowser::start(&city.server, login, "unit_clerk", &format!("unit:{unit}"))
            .await?;
        Ok(Self {
            city,
            unit,
            department,
            category,
            browser,
            page,
            holder,
        })
    }

    /// [`signed_in`](Self::signed_in), and the first sync has completed.
    pub async fn synced(login: &str, vacant: u32) -> anyhow::Result<Self> {
        let scene = Self::signed_in(login, vacant).await?;
        wait_for_sync(&scene.page).await?;
        Ok(scene)
    }
}
