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
    use server::audit::ChainReport;
    let pool = server::db::open(&config.database_path()).await?;
    let report = server::audit::verify(&pool).await?;
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
