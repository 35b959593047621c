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
  verify-audit --file F [--keys K] [--head H] [--json]
                           check an exported chain (export-audit) against its signed head, or
                           the head H (the JSON of GET /api/audit/head), with the published keys
                           K (the JSON of GET /api/document-keys; default: this database's);
                           exit 1 naming the first broken entry
  export-audit FILE        write the audit chain (ids, codes, hashes) with its head signed by the
                           city bureau's document key
  document-key create --bureau B|all
                           create the SM2 document key of bureau B (a region code: tianshui,
                           qinzhou, …, or 620500 …), or of every bureau without one; the private
                           key goes to <data_dir>/document-keys/ (0600), the public key is
                           published
  document-key rotate --bureau B
                           replace B's key by a new one; the old one stays published, retired
  document-key list [--json]
                           the published keys
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
        Some("verify-audit") if args.iter().any(|a| a == "--file") => {
            verify_export(config, &args[1..]).await
        }
        Some("verify-audit") => verify_audit(config, args.iter().any(|a| a == "--json")).await,
        Some("export-audit") => export_audit(config, &args[1..]).await,
        Some("document-key") => document_key(config, &args[1..]).await,
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
    // A demo city works out of the box: every bureau gets a document key.
    let keyring = server::documents::keyring::Keyring::new(&config.data_dir);
    server::documents::keyring::ensure_all(&pool, &keyring, server::clock::now()).await?;
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

/// The value after `flag` in `args`.
fn option<'a>(args: &'a [String], flag: &str) -> anyhow::Result<Option<&'a str>> {
    match args.iter().position(|a| a == flag) {
        None => Ok(None),
        Some(i) => args
            .get(i + 1)
            .map(|v| Some(v.as_str()))
            .with_context(|| format!("{flag} needs a value")),
    }
}

async fn export_audit(config: Config, args: &[String]) -> anyhow::Result<()> {
    let [file] = args else {
        bail!("export-audit takes one file name\n{USAGE}");
    };
    let pool = server::db::open(&config.database_path()).await?;
    let keyring = server::documents::keyring::Keyring::new(&config.data_dir);
    let export = server::documents::export_audit(&pool, &keyring).await?;
    pool.close().await;
    std::fs::write(file, serde_json::to_string(&export)?)
        .with_context(|| format!("writing {file}"))?;
    println!(
        "exported {} audit entries to {file}; head {} {} signed by key {}",
        export.entries.len(),
        export.head.seq,
        export.head.hash,
        export.head.key_id
    );
    Ok(())
}

async fn verify_export(config: Config, args: &[String]) -> anyhow::Result<()> {
    use documents::audit::{AuditExport, AuditReport, SignedAuditHead};
    let as_json = args.iter().any(|a| a == "--json");
    let file = option(args, "--file")?.context("--file is required")?;
    let read =
        |path: &str| std::fs::read_to_string(path).with_context(|| format!("reading {path}"));
    let export: AuditExport = serde_json::from_str(&read(file)?)
        .with_context(|| format!("{file} is not an audit export"))?;
    let head: Option<SignedAuditHead> = match option(args, "--head")? {
        Some(path) => Some(
            serde_json::from_str(&read(path)?)
                .with_context(|| format!("{path} is not a signed audit head"))?,
        ),
        None => None,
    };
    let keys: Vec<documents::PublishedKey> = match option(args, "--keys")? {
        Some(path) => {
            #[derive(serde::Deserialize)]
            struct Keys {
                keys: Vec<documents::PublishedKey>,
            }
            serde_json::from_str::<Keys>(&read(path)?)
                .with_context(|| format!("{path} is not the published document keys"))?
                .keys
        }
        None => {
            let pool = server::db::open(&config.database_path()).await?;
            let mut conn = server::db::connection(&pool).await?;
            let keys = server::db::documents::keys(&mut conn).await?;
            drop(conn);
            pool.close().await;
            keys
        }
    };
    let report = documents::audit::verify_export(&export, head.as_ref(), &keys);
    if as_json {
        println!("{}", serde_json::to_string(&report)?);
    }
    match report {
        AuditReport::Intact {
            entries,
            head_seq,
            head_hash,
        } => {
            if !as_json {
                println!(
                    "audit export intact: {entries} entries; signed head {head_seq} {head_hash} verified"
                );
            }
            Ok(())
        }
        AuditReport::Broken(broken) => {
            if !as_json {
                println!(
                    "audit export broken at entry {}: {}",
                    broken.seq,
                    broken.reason.message_en()
                );
            }
            std::process::exit(1);
        }
        AuditReport::HeadNotGenuine { failure } => {
            if !as_json {
                println!("the signed head is not genuine: {}", failure.message_en());
            }
            std::process::exit(1);
        }
        AuditReport::UnknownFormat => {
            if !as_json {
                println!("{file} is not an audit export of a known format and version");
            }
            std::process::exit(1);
        }
    }
}

async fn document_key(config: Config, args: &[String]) -> anyhow::Result<()> {
    use server::documents::keyring::{self, Keyring};
    let pool = server::db::open(&config.database_path()).await?;
    let keyring = Keyring::new(&config.data_dir);
    let now = server::clock::now();
    let bureau =
        || -> anyhow::Result<&str> { option(args, "--bureau")?.context("--bureau is required") };
    let created = match args.first().map(String::as_str) {
        Some("create") if bureau()? == "all" => keyring::ensure_all(&pool, &keyring, now).await?,
        Some(action @ ("create" | "rotate")) => {
            let code = bureau()?;
            let bureau =
                keyring::parse_bureau(code).with_context(|| format!("unknown bureau `{code}`"))?;
            vec![keyring::create(&pool, &keyring, bureau, action == "rotate", now).await?]
        }
        Some("list") => {
            let mut conn = server::db::connection(&pool).await?;
            let keys = server::documents::published(&mut conn).await?;
            drop(conn);
            pool.close().await;
            if args.iter().any(|a| a == "--json") {
                println!("{}", serde_json::to_string(&keys)?);
            } else {
                for key in keys {
                    println!(
                        "{} {} created {}{}",
                        key.key_id,
                        key.bureau,
                        key.created_at,
                        key.retired_at
                            .map(|t| format!(", retired {t}"))
                            .unwrap_or_default()
                    );
                }
            }
            return Ok(());
        }
        _ => bail!("document-key takes create, rotate or list\n{USAGE}"),
    };
    pool.close().await;
    for key in created {
        println!(
            "created document key {} of {}",
            key.key_id,
            keyring::bureau_code(key.bureau)
        );
    }
    Ok(())
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
