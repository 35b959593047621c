//! Entry point of the WASM client; Trunk builds this binary.

fn main() {
    app::start();
}
