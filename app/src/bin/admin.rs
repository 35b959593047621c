//! Entry point of the bureau's bundle (`/admin/…`); Trunk builds it from
//! `bundles/admin/index.html`.

fn main() {
    app::start(app::bundles::ADMIN);
}
