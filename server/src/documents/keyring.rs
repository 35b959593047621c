//! The bureaus' private document keys: one file per key in `<data_dir>/document-keys/`
//! (`<key id>.key`, JSON `{bureau, key_id, secret}`, the secret scalar in base64url), the folder
//! `0700` and each file `0600`, readable by the server's user alone. The public halves are
//! published in the database (`db::documents`); a key is created or rotated by the commands
//! `server document-key create|rotate` (and, for a demo city, at start), audited.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, bail};
use documents::{DocumentSigningKey, KeyId, PublishedKey};
use domain::canonical::{base64url, base64url_decode};
use domain::{Bureau, Region, Timestamp};
use serde_json::json;

use crate::db::audit::{self, Entry};
use crate::db::{self, Conn, Pool};

/// The folder of the key files inside the data directory.
pub const KEY_DIR: &str = "document-keys";

/// The private keys, read from their files when first needed.
#[derive(Debug)]
pub struct Keyring {
    dir: PathBuf,
    cache: Mutex<HashMap<KeyId, DocumentSigningKey>>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct KeyFile {
    bureau: Bureau,
    key_id: KeyId,
    secret: String,
}

impl Keyring {
    /// The keyring of the data directory `data_dir`.
    pub fn new(data_dir: &Path) -> Keyring {
        Keyring {
            dir: data_dir.join(KEY_DIR),
            cache: Mutex::new(HashMap::new()),
        }
    }

    fn path(&self, id: &KeyId) -> PathBuf {
        self.dir.join(format!("{id}.key"))
    }

    /// The private key `id`.
    pub fn load(&self, id: &KeyId) -> anyhow::Result<DocumentSigningKey> {
        if let Some(key) = self.cache.lock().ok().and_then(|c| c.get(id).cloned()) {
            return Ok(key);
        }
        let path = self.path(id);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading the document key file {}", path.display()))?;
        let file: KeyFile = serde_json::from_str(&text).context("a document key file")?;
        let secret = base64url_decode(&file.secret).context("a document key's secret")?;
        let key = DocumentSigningKey::from_secret(file.bureau, &secret)?;
        if key.id() != id || file.key_id != *id {
            bail!("the document key file {} holds another key", path.display());
        }
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(id.clone(), key.clone());
        }
        Ok(key)
    }

    /// A new key of `bureau`, its file written (`0600`, never overwritten).
    fn generate(&self, bureau: Bureau) -> anyhow::Result<DocumentSigningKey> {
        let key = loop {
            let mut secret = [0u8; 32];
            getrandom::fill(&mut secret)
                .map_err(|e| anyhow::anyhow!("the system random source failed: {e}"))?;
            // A value outside [1, n-1] (about one in 2^32) is drawn again.
            if let Ok(key) = DocumentSigningKey::from_secret(bureau, &secret) {
                break key;
            }
        };
        create_private_dir(&self.dir)?;
        let file = KeyFile {
            bureau,
            key_id: key.id().clone(),
            secret: base64url(&key.secret_bytes()),
        };
        let path = self.path(key.id());
        let mut out = private_file(&path)
            .with_context(|| format!("creating the document key file {}", path.display()))?;
        out.write_all(serde_json::to_string(&file)?.as_bytes())
            .and_then(|()| out.sync_all())
            .with_context(|| format!("writing {}", path.display()))?;
        Ok(key)
    }
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .with_context(|| format!("creating {}", dir.display()))?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
        .with_context(|| format!("restricting {}", dir.display()))
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))
}

#[cfg(unix)]
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

/// The key in force of `bureau`, if it has one.
pub async fn signing_key(
    conn: &mut Conn,
    keyring: &Keyring,
    bureau: Bureau,
) -> anyhow::Result<Option<DocumentSigningKey>> {
    match db::documents::current_key(conn, bureau).await? {
        Some(id) => keyring.load(&id).map(Some),
        None => Ok(None),
    }
}

/// Creates the first key of `bureau` (refused when it has one: rotate it instead), or, with
/// `rotate`, a new key that replaces the one in force (which stays published, retired).
/// Published and audited in one transaction.
pub async fn create(
    pool: &Pool,
    keyring: &Keyring,
    bureau: Bureau,
    rotate: bool,
    now: Timestamp,
) -> anyhow::Result<PublishedKey> {
    let mut tx = db::write(pool).await.context("starting to create a key")?;
    let retired = if rotate {
        let retired = db::documents::retire_current(&mut tx, bureau, now).await?;
        if retired.is_none() {
            bail!(
                "{} has no document key to rotate: create one",
                bureau_code(bureau)
            );
        }
        retired
    } else {
        if db::documents::current_key(&mut tx, bureau).await?.is_some() {
            bail!(
                "{} has a document key already: rotate it to replace it",
                bureau_code(bureau)
            );
        }
        None
    };
    let key = keyring.generate(bureau)?;
    let published = key.publish(now);
    db::documents::insert_key(&mut tx, &published).await?;
    audit::append(
        &mut tx,
        Entry {
            actor: None,
            credential: None,
            action: if rotate {
                "document_key.rotate"
            } else {
                "document_key.create"
            },
            target: &format!("document_key:{}", published.key_id),
            detail: json!({
                "bureau": bureau_code(bureau),
                "retired": retired.map(|id| id.to_string()),
            }),
        },
        now,
    )
    .await?;
    tx.commit().await.context("committing a new document key")?;
    Ok(published)
}

/// Gives every bureau without a key in force one (a demo city, the test harness); returns the
/// keys created.
pub async fn ensure_all(
    pool: &Pool,
    keyring: &Keyring,
    now: Timestamp,
) -> anyhow::Result<Vec<PublishedKey>> {
    let mut created = Vec::new();
    for region in Region::ALL {
        let bureau = region.bureau();
        let has = {
            let mut conn = db::connection(pool).await?;
            db::documents::current_key(&mut conn, bureau)
                .await?
                .is_some()
        };
        if !has {
            created.push(create(pool, keyring, bureau, false, now).await?);
        }
    }
    Ok(created)
}

/// The code naming a bureau on the command line and in documents: its region's.
pub fn bureau_code(bureau: Bureau) -> &'static str {
    bureau.region().code()
}

/// The bureau named by `code` (a region code, e.g. `tianshui`, `qinzhou`, or its division
/// code, e.g. `620500`).
pub fn parse_bureau(code: &str) -> Option<Bureau> {
    Region::from_code(code)
        .or_else(|| Region::from_division_code(code))
        .map(Region::bureau)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn keys_are_private_files_published_and_rotated() {
        let dir = tempfile::tempdir().unwrap();
        let pool = crate::db::open(&dir.path().join("db.sqlite3"))
            .await
            .unwrap();
        let keyring = Keyring::new(dir.path());
        let now = Timestamp::parse("2026-05-01T08:00:00Z").unwrap();
        let created = ensure_all(&pool, &keyring, now).await.unwrap();
        assert_eq!(created.len(), Region::ALL.len());
        assert!(ensure_all(&pool, &keyring, now).await.unwrap().is_empty());
        let first = &created[0];
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let file = dir
                .path()
                .join(KEY_DIR)
                .join(format!("{}.key", first.key_id));
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            let mode = std::fs::metadata(dir.path().join(KEY_DIR))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o700);
        }
        let later = Timestamp::parse("2026-06-01T08:00:00Z").unwrap();
        assert!(
            create(&pool, &keyring, first.bureau, false, later)
                .await
                .is_err()
        );
        let rotated = create(&pool, &keyring, first.bureau, true, later)
            .await
            .unwrap();
        let mut conn = db::connection(&pool).await.unwrap();
        let all = db::documents::keys(&mut conn).await.unwrap();
        assert_eq!(all.len(), Region::ALL.len() + 1);
        let old = all.iter().find(|k| k.key_id == first.key_id).unwrap();
        assert_eq!(old.retired_at, Some(later));
        let key = signing_key(&mut conn, &keyring, first.bureau)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(key.id(), &rotated.key_id);
        // A fresh keyring reads the file.
        let again = Keyring::new(dir.path()).load(&rotated.key_id).unwrap();
        assert_eq!(again.id(), &rotated.key_id);
    }
}
