//! The JSON API under `/api`. Every handler returns `Result<_, ApiError>`; its OpenAPI
//! document is [`crate::openapi`].

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use protocol::{ComponentStatus, HealthResponse};

use crate::error::ApiError;
use crate::state::AppState;

/// Routes mounted at `/api`.
pub fn api() -> Router<AppState> {
    Router::new()
        .route("/health", get(health))
        .route("/openapi.json", get(crate::openapi::document))
        .merge(crate::identity::routes())
        .merge(crate::signed::routes())
        .merge(crate::sync::routes())
        .route("/import/template", get(crate::roster::download_template))
        .route("/import/check", axum::routing::post(crate::roster::check))
        .fallback(|| async { ApiError::NotFound })
}

/// `GET /api/health`: version and database status. Answers 503 when the database is down,
/// so that load balancers and the client's reachability probe see it.
#[utoipa::path(
    get,
    path = protocol::HEALTH_PATH,
    tag = "meta",
    summary = "Version and database status (服务状态)",
    description = "Answers 503 when the database is down, so that load balancers and the \
        client's reachability probe see it.",
    responses(
        (status = 200, description = "up", body = HealthResponse),
        (status = 503, description = "the database is down", body = HealthResponse),
    ),
)]
async fn health(State(state): State<AppState>) -> (axum::http::StatusCode, Json<HealthResponse>) {
    let database = if crate::db::is_healthy(&state.pool).await {
        ComponentStatus::Ok
    } else {
        ComponentStatus::Unavailable
    };
    let status = database;
    let code = match status {
        ComponentStatus::Ok => axum::http::StatusCode::OK,
        ComponentStatus::Unavailable => axum::http::StatusCode::SERVICE_UNAVAILABLE,
    };
    (
        code,
        Json(HealthResponse {
            status,
            version: env!("CARGO_PKG_VERSION").to_owned(),
            database,
        }),
    )
}
