//! `server`: the staffing-certificate server and its administrative commands.

use anyhow::{Context, bail};
use server::config::{Config, DEFAULT_DEMO_SEED};

const USAGE: &str = "\
usage: server [command]

commands:
  serve (default)          start the server (configuration: staffing.toml, APP_* variables)
  seed [--size S] [--seed N] [--json]
                           generate a demo city (tiny|small|medium|full, default medium) and
                           load it into the configured, empty database
  create-holder --login L --name N --role R --scope S [--json]
                           register a key holder (e.g. the first bureau_admin, scope
                           region:620500) and print their one-time enrolment link and code
  enrolment-code --login L [--json]
                           issue a new one-time enrolment code to an existing holder
                           (a second key, or a replacement for a lost one)
  verify-audit [--json]    walk the audit log's hash chain; exit 1 at the first broken link
  help                     this text
";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = Config::load().context("reading configuration")?;
    server::telemetry::init(&config.log);
    match args.first().map(String::as_str) {
        None | Some("serve") => serve(config).await,
        Some("seed") => seed(config, &args[1..]).await,
        Some("create-holder") => create_holder(config, &args[1..]).await,
        Some("enrolment-code") => enrolment_code(config, &args[1..]).await,
        Some("verify-audit") => verify_audit(config, args.iter().any(|a| a == "--json")).await,
        Some("help" | "--help" | "-h") => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => {
            eprint!("{USAGE}");
            bail!("unknown command `{other}`")
        }
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let app = server::startup::Application::build(config)
        .await
        .context("starting the server")?;
    tracing::info!(url = %app.url(), "listening");
    println!("电子编制管理证 server listening on {}", app.url());
    app.run_until(server::startup::shutdown_signal())
        .await
        .context("serving")
}

async fn seed(config: Config, args: &[String]) -> anyhow::Result<()> {
    let mut size = String::from("medium");
    let mut seed = DEFAULT_DEMO_SEED;
    let mut as_json = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--size" => size = it.next().context("--size needs a value")?.clone(),
            "--seed" => {
                seed = it
                    .next()
                    .context("--seed needs a value")?
                    .parse()
                    .context("--seed takes a whole number")?
            }
            "--json" => as_json = true,
            other => bail!("unknown option `{other}` for `seed`\n{USAGE}"),
        }
    }
    let size = server::demo_data::parse_size(&size)?;
    let pool = server::db::open(&config.database_path()).await?;
    let report = server::demo_data::seed(&pool, size, seed).await?;
    pool.close().await;
    if as_json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        println!(
            "loaded the {} demo city (seed {}): {} units, {} staff, {} departed, {} ledger rows; \
             generated in {:.1?}, loaded in {:.1?}",
            report.size,
            report.seed,
            report.counts.units,
            report.counts.staff,
            report.counts.departed,
            report.counts.ledger_rows,
            report.generated_in,
            report.loaded_in
        );
    }
    Ok(())
}

async fn verify_audit(config: Config, as_json: bool) -> anyhow::Result<()> {
    use server::db::audit::ChainReport;
    let pool = server::db::open(&config.database_path()).await?;
    let report = server::db::audit::verify(&pool).await?;
    pool.close().await;
    if as_json {
        println!("{}", serde_json::to_string(&report)?);
    }
    match report {
        ChainReport::Intact { entries, head } => {
            if !as_json {
                println!("audit log intact: {entries} entries, head {head}");
            }
            Ok(())
        }
        ChainReport::Broken { seq, reason } => {
            if !as_json {
                println!("audit log broken at entry {seq}: {reason}");
            }
            std::process::exit(1);
        }
    }
}

async fn create_holder(config: Config, args: &[String]) -> anyhow::Result<()> {
    let (mut login, mut name, mut role, mut scope) = (None, None, None, None);
    let mut as_json = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let slot = match arg.as_str() {
            "--login" => &mut login,
            "--name" => &mut name,
            "--role" => &mut role,
            "--scope" => &mut scope,
            "--json" => {
                as_json = true;
                continue;
            }
            other => bail!("unknown option `{other}` for `create-holder`\n{USAGE}"),
        };
        *slot = Some(
            it.next()
                .with_context(|| format!("{arg} needs a value"))?
                .clone(),
        );
    }
    let new = protocol::identity::NewHolder {
        login: login.context("--login is required")?,
        name: name.context("--name is required")?,
        role: role.context("--role is required")?,
        scope: scope.context("--scope is required")?,
        phone: String::new(),
    };
    let pool = server::db::open(&config.database_path()).await?;
    let created = server::identity::create_holder(&pool, &new, &config).await?;
    pool.close().await;
    if as_json {
        println!("{}", serde_json::to_string(&created)?);
    } else {
        println!(
            "created {} ({}, {}, {})\nenrolment link: {}\none-time code:  {}\nvalid until:    {}",
            created.holder.login,
            created.holder.name,
            created.holder.role,
            created.holder.scope,
            created.enrolment_link,
            created.enrolment_code,
            created.expires_at
        );
    }
    Ok(())
}

async fn enrolment_code(config: Config, args: &[String]) -> anyhow::Result<()> {
    let mut login = None;
    let mut as_json = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--login" => login = Some(it.next().context("--login needs a value")?.clone()),
            "--json" => as_json = true,
            other => bail!("unknown option `{other}` for `enrolment-code`\n{USAGE}"),
        }
    }
    let login = login.context("--login is required")?;
    let pool = server::db::open(&config.database_path()).await?;
    let issued = server::identity::issue_code(&pool, &login, &config).await?;
    pool.close().await;
    if as_json {
        println!("{}", serde_json::to_string(&issued)?);
    } else {
        println!(
            "new enrolment code for {}\nenrolment link: {}\none-time code:  {}\nvalid until:    {}",
            issued.holder.login, issued.enrolment_link, issued.enrolment_code, issued.expires_at
        );
    }
    Ok(())
}
