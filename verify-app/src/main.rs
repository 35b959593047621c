//! Entry point of the verification page's WASM; Trunk builds this binary (`verify-app/index.html`).

fn main() {
    verify_app::start();
}
