//! `server`: start the staffing-certificate server with configuration from file and environment.

use anyhow::Context;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = server::config::Config::load().context("reading configuration")?;
    server::telemetry::init(&config.log);
    let app = server::startup::Application::build(config)
        .await
        .context("starting the server")?;
    tracing::info!(url = %app.url(), "listening");
    println!("电子编制管理证 server listening on {}", app.url());
    app.run_until(server::startup::shutdown_signal())
        .await
        .context("serving")?;
    Ok(())
}
