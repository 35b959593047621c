//! Entry point of the client's main bundle (`/`: signing in, the clerk's work); Trunk builds
//! this binary from `index.html`.

fn main() {
    app::start(app::bundles::MAIN);
}
