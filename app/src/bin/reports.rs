//! Entry point of the reports bundle (`/reports`); Trunk builds it from
//! `bundles/reports/index.html`.

fn main() {
    app::start(app::bundles::REPORTS);
}
