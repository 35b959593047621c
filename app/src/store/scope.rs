//! Every certificate of the holder's scope with its people, read from the confirmed state in
//! one transaction: what the reports and the structure analysis are built from, offline.

use std::collections::BTreeMap;

use domain::certificate::Certificate;

use super::confirmed::People;
use super::connection::open;
use super::db::{PEOPLE, UNITS, all, read_error, reading};
use super::records::{parse_body, text_field};
use crate::storage_error::StorageError;

/// Every stored certificate, people included, in the order of their unit ids.
pub async fn all_certificates(holder: &str) -> Result<Vec<Certificate>, StorageError> {
    let db = open(holder).await?;
    let tx = reading(&db, [UNITS, PEOPLE])?;
    let units = all(&tx.object_store(UNITS).map_err(read_error)?, None).await?;
    let people = all(&tx.object_store(PEOPLE).map_err(read_error)?, None).await?;
    let mut by_unit = BTreeMap::new();
    for record in &people {
        by_unit.insert(text_field(record, "unit_id")?, record);
    }
    let mut certificates = Vec::with_capacity(units.len());
    for record in &units {
        let unit_id = text_field(record, "unit_id")?;
        let corrupt = |e: StorageError| match e {
            StorageError::Corrupt(e) => StorageError::Corrupt(format!("{unit_id}: {e}")),
            other => other,
        };
        let mut certificate: Certificate = parse_body(record).map_err(corrupt)?;
        let people = by_unit
            .get(&unit_id)
            .ok_or_else(|| StorageError::Corrupt(format!("{unit_id}: its people are missing")))?;
        let People { staff, departed } = parse_body(people).map_err(corrupt)?;
        certificate.staff = staff;
        certificate.departed = departed;
        certificates.push(certificate);
    }
    Ok(certificates)
}
