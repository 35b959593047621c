//! Entry point of the review bundle (`/review`); Trunk builds it from `bundles/review/index.html`.

fn main() {
    app::start(app::bundles::REVIEW);
}
