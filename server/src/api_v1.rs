//! The HTTP API for systems with nobody at the keyboard (docs/api.md):
//! `POST /api/v1/imports` imports a whole CSV file (or checks it, with
//! `dry_run=true`), `GET /api/v1/imports/{id}` answers an import as its
//! history page shows it. Callers send an API token; the work is the same
//! import path the wizard takes.

use app::api::imports::FileImportAnswer;
use app::backend::error::ServiceError;
use app::backend::idempotency::{self, Claim};
use app::backend::imports::{import_file, FileImportOptions};
use app::backend::{api_tokens, history, ServerState};
use app::domain::csv_upload::RoleChoice;
use app::domain::{AddRule, Admin, Role, Roles, UpdateRule, WriteRule};
use app::AppError;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi};

pub fn routes(state: ServerState) -> Router {
    Router::new()
        .route("/api/v1/imports", post(create_import))
        .route("/api/v1/imports/{id}", get(show_import))
        .route("/api/v1/openapi.json", get(openapi_document))
        .with_state(state)
}

/// The OpenAPI document, made from the handlers and the types they answer.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Roster",
        description = "Add people to a mentoring platform from another system (docs/api.md).",
        // OpenAPI 3.1 wants an SPDX identifier (or a URL) with the name.
        license(name = "MIT", identifier = "MIT")
    ),
    paths(create_import, show_import),
    components(schemas(FileImportAnswer, AppError)),
    modifiers(&BearerToken),
    security(("api_token" = []))
)]
struct ApiDocument;

/// Every call sends an API token (`Authorization: Bearer …`).
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let scheme =
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build());
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme("api_token", scheme);
    }
}

async fn openapi_document() -> Response {
    Json(ApiDocument::openapi()).into_response()
}

/// The options of `POST /api/v1/imports`, in its query string, and of
/// `server import`, as its flags.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// A track's slug; none: the global level (dormant users).
    pub track: Option<String>,
    /// `mentee,mentor`…, or `column` (a Role column), at a track.
    pub roles: Option<String>,
    #[serde(default)]
    pub dormant: bool,
    pub add: Option<String>,
    pub write: Option<String>,
    pub file_name: Option<String>,
    /// A workbook's sheet, by name.
    pub sheet: Option<String>,
    /// A remembered mapping's name.
    pub mapping: Option<String>,
    #[serde(default)]
    pub dry_run: bool,
}

impl ImportQuery {
    pub fn options(self) -> Result<FileImportOptions, AppError> {
        let invalid = |m: &str| Err(AppError::Invalid(m.to_owned()));
        let roles = match (self.dormant, self.roles.as_deref()) {
            (true, None) => RoleChoice::Dormant,
            (true, Some(_)) => return invalid("Dormant users take no roles: leave out `roles`."),
            (false, None) if self.track.is_none() => RoleChoice::Dormant,
            (false, None) => {
                return invalid(
                    "Say which roles the people get: `roles=mentee` (or several, `roles=mentee,mentor`), or `roles=column` for a Role column.",
                )
            }
            (false, Some("column")) => RoleChoice::FromColumn,
            (false, Some(names)) => RoleChoice::Everyone(roles_named(names)?),
        };
        let add = match self.add.as_deref() {
            None => AddRule::default(),
            Some(key) => AddRule::from_key(key).ok_or_else(|| {
                AppError::Invalid("`add` is add_and_update, only_new or only_existing.".to_owned())
            })?,
        };
        let write = match self.write.as_deref() {
            None => WriteRule::default(),
            Some(key) => WriteRule::from_key(key).ok_or_else(|| {
                AppError::Invalid("`write` is overwrite, fill_empty or replace.".to_owned())
            })?,
        };
        Ok(FileImportOptions {
            track_slug: self.track,
            roles,
            rule: UpdateRule { add, write },
            file_name: self.file_name.unwrap_or_else(|| "api.csv".to_owned()),
            sheet: self.sheet,
            mapping_name: self.mapping,
            dry_run: self.dry_run,
        })
    }
}

fn roles_named(names: &str) -> Result<Roles, AppError> {
    names.split(',').try_fold(Roles::empty(), |roles, name| {
        Role::parse(name.trim())
            .map(|r| roles.with(r))
            .ok_or_else(|| {
                AppError::Invalid(format!(
                    "“{name}” is not a role: use mentor, mentee, teacher or admin."
                ))
            })
    })
}

/// The admin an API token acts as; 401 without a usable one.
async fn caller(
    state: &ServerState,
    headers: &HeaderMap,
    from: SocketAddr,
) -> Result<Admin, AppError> {
    let token = api_tokens::bearer_token(headers).ok_or(AppError::NotSignedIn)?;
    Ok(api_tokens::authenticate(&state.db, token, Some(from.ip())).await?)
}

fn answer<T: Serialize>(result: Result<T, AppError>) -> Response {
    match result {
        Ok(value) => Json(value).into_response(),
        Err(error) => {
            let status =
                StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, Json(error)).into_response()
        }
    }
}

/// Imports a whole file (CSV or a workbook) through the wizard's path, or
/// checks it (`dry_run=true`) and writes nothing.
#[utoipa::path(
    post,
    path = "/api/v1/imports",
    params(ImportQuery, ("Idempotency-Key" = Option<String>, Header, description = "Sent again with the same key, a request is answered with the first answer.")),
    request_body(content = Vec<u8>, content_type = "text/csv", description = "The file: CSV, or a workbook (.xlsx, .xls, .xlsb, .ods)."),
    responses(
        (status = 200, description = "Imported (or checked); row errors listed", body = FileImportAnswer),
        (status = 401, description = "No usable API token", body = AppError),
        (status = 403, description = "Outside the token's scope", body = AppError),
        (status = 404, description = "No remembered mapping of that name", body = AppError),
        (status = 422, description = "Options, file or columns that do not fit, said in a sentence", body = AppError),
    )
)]
async fn create_import(
    State(state): State<ServerState>,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(query): Query<ImportQuery>,
    body: Bytes,
) -> Response {
    let result = async {
        let admin = caller(&state, &headers, from).await?;
        let options = query.options()?;
        let key = match headers.get("idempotency-key") {
            None => None,
            Some(value) => Some(value.to_str().map_err(|_| {
                AppError::Invalid("An Idempotency-Key is plain text: a UUID is a good one.".into())
            })?),
        };
        match (key, admin.token) {
            // A dry run writes nothing: sending it again is harmless.
            (Some(key), Some(token)) if !options.dry_run => {
                once_per_key(&state, &admin, token, key, &body, options).await
            }
            _ => Ok(import_file(&state.db, &admin, &body, options, &|_, _| {}).await?),
        }
    }
    .await;
    answer(result)
}

/// The import of a request with an Idempotency-Key: the first answer for
/// the key if there is one, else this request's, kept for the next.
async fn once_per_key(
    state: &ServerState,
    admin: &Admin,
    token: i64,
    key: &str,
    body: &[u8],
    options: FileImportOptions,
) -> Result<FileImportAnswer, AppError> {
    let db = &state.db;
    let claim = match idempotency::claim(db, token, key).await? {
        Claim::Answered(first) => return Ok(*first),
        Claim::Mine(claim) => claim,
    };
    match import_file(db, admin, body, options, &|_, _| {}).await {
        Ok(done) => {
            idempotency::answered(db, claim, &done)
                .await
                .map_err(ServiceError::from)?;
            Ok(done)
        }
        Err(refused) => {
            idempotency::release(db, claim)
                .await
                .map_err(ServiceError::from)?;
            Err(refused.into())
        }
    }
}

/// An import as its history page shows it: summary, counts, rule, and
/// every row's outcome and errors.
#[utoipa::path(
    get,
    path = "/api/v1/imports/{id}",
    params(("id" = i64, Path, description = "The import's id, as `POST` answered it")),
    responses(
        (status = 200, description = "The import's detail", body = Object),
        (status = 401, description = "No usable API token", body = AppError),
        (status = 403, description = "Outside the token's scope", body = AppError),
        (status = 404, description = "No such import", body = AppError),
    )
)]
async fn show_import(
    State(state): State<ServerState>,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let admin = caller(&state, &headers, from).await?;
        Ok(history::detail(&state.db, &admin, id).await?)
    }
    .await;
    answer(result)
}
