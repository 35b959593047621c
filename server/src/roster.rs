//! The roster import of the data-verification phase (数据核实): the template to download
//! (`GET /api/import/template`, written with rust_xlsxwriter) and the check of a unit's file
//! (`POST /api/import/check?unit=…`, read with calamine): every cell checked with the domain
//! rules (`domain::roster`), an ID number in a post anywhere an error; nothing is imported —
//! the rows checked are kept under an upload id until a signed `roster_import` act names them
//! with their digest (`crate::signed::act`).
//!
//! The file is the request's body, within the server's body limit (1 MiB: about 10,000 rows of
//! the template's columns, compressed as .xlsx is).

use std::io::Cursor;

use anyhow::Context;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use calamine::{Data, Reader, Xlsx};
use domain::roster::{self, COLUMNS};
use domain::{Role, Scope, UnitId};
use protocol::admin::{ImportError, ImportReport};
use serde::Deserialize;

use crate::db;
use crate::error::{ApiError, forbidden, refused};
use crate::identity::session::Session;
use crate::state::AppState;

/// How long a checked upload waits for its signed import.
const UPLOAD_HOURS: i64 = 24;

/// The template: one header row, every column formatted as text (so that an ID number is
/// never turned into a number).
pub fn template() -> anyhow::Result<Vec<u8>> {
    workbook(&[])
}

/// The template with `rows` filled in (for tests and the benchmark).
pub fn workbook(rows: &[Vec<String>]) -> anyhow::Result<Vec<u8>> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let text = rust_xlsxwriter::Format::new().set_num_format("@");
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let sheet = workbook.add_worksheet();
    sheet.set_name("在编人员").context("naming the sheet")?;
    for (i, column) in COLUMNS.iter().enumerate() {
        let c = u16::try_from(i).context("too many columns")?;
        sheet
            .set_column_format(c, &text)
            .context("formatting a column")?;
        sheet.set_column_width(c, 14).context("sizing a column")?;
        sheet
            .write_string_with_format(0, c, column.header, &bold)
            .context("writing a header")?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1).context("too many rows")?;
        for (c, value) in row.iter().enumerate() {
            let c = u16::try_from(c).context("too many columns")?;
            sheet.write_string(r, c, value).context("writing a cell")?;
        }
    }
    workbook.save_to_buffer().context("writing the template")
}

/// A spreadsheet date (days since 1899-12-30) as `yyyy-mm-dd`; one outside the calendar as the
/// number it is (the date rule then names the cell).
fn excel_date(serial: f64) -> String {
    #[allow(clippy::cast_possible_truncation)]
    let days = serial.floor() as i64 - 25_569;
    domain::Date::from_days_since_epoch(days).map_or_else(|| serial.to_string(), |d| d.to_string())
}

/// A cell as the person typed it.
fn cell_text(data: &Data) -> String {
    match data {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_owned(),
        Data::Int(i) => i.to_string(),
        #[allow(clippy::cast_possible_truncation)]
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => (*f as i64).to_string(),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => excel_date(d.as_f64()),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

/// The data rows of the first sheet of an .xlsx (the header row left out; rows with every
/// cell empty left out at the end).
pub fn read_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| e.to_string())?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or("the file has no sheet")?
        .map_err(|e| e.to_string())?;
    let mut rows: Vec<Vec<String>> = range
        .rows()
        .skip(1)
        .map(|row| row.iter().map(cell_text).collect())
        .collect();
    while rows
        .last()
        .is_some_and(|row| row.iter().all(String::is_empty))
    {
        rows.pop();
    }
    Ok(rows)
}

/// The report of a checked file (its upload id and expiry set by the caller).
pub fn report(
    unit: &UnitId,
    rows: &[Vec<String>],
    in_post: impl Fn(&domain::IdNumber) -> bool,
) -> anyhow::Result<(ImportReport, String)> {
    let check = roster::check_rows(rows, in_post);
    let all = check.all().unwrap_or_default();
    let valid = check.valid();
    let errors = check
        .errors
        .iter()
        .map(|(index, e)| ImportError {
            // Row 1 is the header.
            row: u32::try_from(index + 2).unwrap_or(u32::MAX),
            column: roster::column_letter(e.column),
            field: COLUMNS[e.column].header.to_owned(),
            rule: e.rule.to_owned(),
            message_zh: e.message_zh.clone(),
            message_en: e.message_en.clone(),
        })
        .collect();
    let digest_all = if check.errors.is_empty() {
        roster::digest(&all).map_err(|e| anyhow::anyhow!("{e}"))?
    } else {
        String::new()
    };
    let digest_valid = roster::digest(&valid).map_err(|e| anyhow::anyhow!("{e}"))?;
    let stored = serde_json::to_string(&check.people).context("keeping the rows")?;
    Ok((
        ImportReport {
            upload_id: String::new(),
            unit_id: unit.to_string(),
            rows_total: u32::try_from(rows.len()).unwrap_or(u32::MAX),
            rows_valid: u32::try_from(valid.len()).unwrap_or(u32::MAX),
            errors,
            digest_all,
            digest_valid,
            expires_at: String::new(),
        },
        stored,
    ))
}

/// `GET /api/import/template`.
#[utoipa::path(
    get,
    path = protocol::admin::IMPORT_TEMPLATE_PATH,
    operation_id = "import_template",
    tag = "admin",
    summary = "The roster template (.xlsx) of the import (实名制数据导入模板)",
    description = "For a `bureau_admin` or a unit clerk: one header row of the person fields.",
    responses(
        (status = 200, description = "the template", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 401, description = "`unauthenticated`", body = protocol::ErrorBody),
        (status = 403, description = "`out_of_scope`", body = protocol::ErrorBody),
    ),
    security(("session" = [])),
)]
pub async fn download_template(session: Session) -> Result<Response, ApiError> {
    if !matches!(
        session.holder.grant.role(),
        Role::BureauAdmin | Role::UnitClerk
    ) {
        return Err(forbidden(
            "out_of_scope",
            "只有编办管理员和单位经办人可以导入数据",
        ));
    }
    let bytes = template()?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"roster-template.xlsx\"",
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Query of `POST /api/import/check`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct CheckQuery {
    /// The unit whose staff the file holds.
    pub unit: String,
}

/// `POST /api/import/check?unit=…`: the body is the .xlsx file.
#[utoipa::path(
    post,
    path = protocol::admin::IMPORT_CHECK_PATH,
    operation_id = "import_check",
    tag = "admin",
    summary = "Check a roster file; nothing is imported (实名制数据核对)",
    description = "For a `bureau_admin` of the unit's region or the unit's clerk. The body is \
        the .xlsx file (within the 1 MiB body limit). Every cell is checked; the answer lists \
        each error by row, column and rule. The rows are kept under `upload_id` for a signed \
        `roster_import` act.",
    params(CheckQuery),
    request_body(content = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    responses(
        (status = 200, description = "the report", body = protocol::admin::ImportReport),
        (status = 400, description = "`bad_request`: not a readable .xlsx", body = protocol::ErrorBody),
        (status = 401, description = "`unauthenticated`", body = protocol::ErrorBody),
        (status = 403, description = "`out_of_scope`, `csrf_invalid`, `origin_invalid`", body = protocol::ErrorBody),
        (status = 422, description = "`unit_unknown`", body = protocol::ErrorBody),
    ),
    security(("session" = [], "csrf" = [])),
)]
pub async fn check(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<CheckQuery>,
    body: Bytes,
) -> Result<Json<ImportReport>, ApiError> {
    let grant = &session.holder.grant;
    if !matches!(grant.role(), Role::BureauAdmin | Role::UnitClerk) {
        return Err(forbidden(
            "out_of_scope",
            "只有编办管理员和单位经办人可以导入数据",
        ));
    }
    let unit = UnitId::parse(query.unit.trim())
        .map_err(|_| refused("unit_unknown", "单位：所指单位不存在"))?;
    let mut conn = db::connection(&state.pool).await?;
    let record = db::units::record(&mut conn, &unit)
        .await?
        .ok_or_else(|| refused("unit_unknown", "单位：所指单位不存在"))?;
    if db::admin::is_removed(&mut conn, &unit).await? {
        return Err(refused("unit_unknown", "单位：所指单位不存在"));
    }
    let allowed = match (grant.role(), grant.scope()) {
        (Role::UnitClerk, Scope::Unit(own)) => *own == unit,
        _ => grant.may_administer(record.region),
    };
    if !allowed {
        return Err(forbidden(
            "out_of_scope",
            "只能导入本单位（编办：本行政区划单位）的数据",
        ));
    }
    let rows =
        read_rows(&body).map_err(|e| ApiError::BadRequest(format!("无法读取 .xlsx 文件：{e}")))?;
    let in_post = db::admin::id_numbers_in_post(&mut conn).await?;
    drop(conn);
    let (mut report, stored) = report(&unit, &rows, |id| in_post.contains(id.as_str()))?;
    let id = crate::identity::secrets::random_token()?;
    let expires = crate::clock::unix_now() + UPLOAD_HOURS * 3600;
    let mut tx = db::write(&state.pool).await.context("storing an upload")?;
    db::admin::insert_upload(
        &mut tx,
        &id,
        &session.holder.info.id,
        &db::admin::Upload {
            unit_id: unit.to_string(),
            rows: stored,
            digest_all: report.digest_all.clone(),
            digest_valid: report.digest_valid.clone(),
            rows_total: report.rows_total,
            rows_valid: report.rows_valid,
        },
        expires,
    )
    .await?;
    tx.commit().await.context("committing an upload")?;
    report.upload_id = id;
    report.expires_at = domain::Timestamp::from_unix_seconds(expires)
        .map(|t| t.to_string())
        .unwrap_or_default();
    Ok(Json(report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_reads_back_as_a_file_without_rows_and_dates_convert() {
        let bytes = template().unwrap();
        assert!(read_rows(&bytes).unwrap().is_empty());
        assert_eq!(excel_date(45_658.0), "2025-01-01");
        assert_eq!(excel_date(25_569.0), "1970-01-01");
    }
}
