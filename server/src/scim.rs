//! SCIM 2.0 over HTTP (RFC 7644; docs/scim.md): `/scim/v2/…` for identity
//! providers such as Okta and Microsoft Entra ID. Callers send an API token
//! with the global level's rights; every answer, errors included, is SCIM
//! JSON. What each call does lives in `app::backend::scim`.

use app::backend::overview::profile_fields;
use app::backend::scim::{self, Failure, Page};
use app::backend::{api_tokens, ServerState};
use app::domain::scim::{
    resource_types, schemas, service_provider_config, Projection, ScimError, EXTENSION, LIST,
};
use app::domain::Admin;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::net::SocketAddr;

pub fn routes(state: ServerState, public_url: Option<String>) -> Router {
    let scim = ScimState { state, public_url };
    Router::new()
        .route("/scim/v2/ServiceProviderConfig", get(provider_config))
        .route("/scim/v2/Schemas", get(list_schemas))
        .route("/scim/v2/Schemas/{id}", get(one_schema))
        .route("/scim/v2/ResourceTypes", get(list_resource_types))
        .route("/scim/v2/ResourceTypes/{id}", get(one_resource_type))
        .route("/scim/v2/Users", get(list_users).post(create_user))
        .route(
            "/scim/v2/Users/{id}",
            get(get_user)
                .put(replace_user)
                .patch(patch_user)
                .delete(delete_user),
        )
        .route("/scim/v2/Groups", get(list_groups).post(no_new_groups))
        .route(
            "/scim/v2/Groups/{id}",
            get(get_group)
                .put(replace_group)
                .patch(patch_group)
                .delete(no_new_groups),
        )
        .route("/scim/v2/.search", post(no_search))
        .route("/scim/v2/{*rest}", axum::routing::any(unknown))
        .with_state(scim)
}

#[derive(Clone)]
struct ScimState {
    state: ServerState,
    /// `ROSTER_PUBLIC_URL`: where resources say they live.
    public_url: Option<String>,
}

/// The query of a list: its filter, page and attributes.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ListQuery {
    filter: Option<String>,
    start_index: Option<u64>,
    count: Option<u64>,
    attributes: Option<String>,
    excluded_attributes: Option<String>,
}

impl ListQuery {
    fn projection(&self) -> Projection {
        Projection::parse(
            self.attributes.as_deref(),
            self.excluded_attributes.as_deref(),
            &[EXTENSION],
        )
    }
}

/// A request's caller, where its resources live, and the service.
struct Call {
    admin: Admin,
    base: String,
    db: sea_orm::DatabaseConnection,
}

async fn call(scim: &ScimState, headers: &HeaderMap, from: SocketAddr) -> Result<Call, Failure> {
    let token = api_tokens::bearer_token(headers).ok_or_else(|| {
        Failure(ScimError::new(
            401,
            None,
            "Send an API token: `Authorization: Bearer roster_…`.",
        ))
    })?;
    let admin = api_tokens::authenticate(&scim.state.db, token, Some(from.ip()))
        .await
        .map_err(Failure::from)?;
    Ok(Call {
        admin,
        base: base_url(scim, headers),
        db: scim.state.db.clone(),
    })
}

/// `…/scim/v2`: the public address when set, else the one the request
/// came to.
fn base_url(scim: &ScimState, headers: &HeaderMap) -> String {
    let root = scim.public_url.clone().unwrap_or_else(|| {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost");
        let scheme = headers
            .get("x-forwarded-proto")
            .and_then(|h| h.to_str().ok())
            .filter(|s| *s == "https")
            .unwrap_or("http");
        format!("{scheme}://{host}")
    });
    format!("{root}/scim/v2")
}

fn scim_json(status: StatusCode, body: Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/scim+json"),
    );
    response
}

fn error_response(error: &ScimError) -> Response {
    let status = StatusCode::from_u16(error.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    scim_json(status, error.body())
}

fn answer(result: Result<(StatusCode, Value), Failure>) -> Response {
    match result {
        Ok((status, body)) => scim_json(status, body),
        Err(Failure(error)) => error_response(&error),
    }
}

fn body_json(body: &Bytes) -> Result<Value, Failure> {
    serde_json::from_slice(body).map_err(|e| {
        Failure(ScimError::invalid_syntax(format!(
            "The request's body is not JSON ({e}): send a SCIM resource."
        )))
    })
}

fn list_response(total: u64, page: Page, resources: Vec<Value>) -> Value {
    json!({
        "schemas": [LIST],
        "totalResults": total,
        "startIndex": page.start_index,
        "itemsPerPage": resources.len(),
        "Resources": resources,
    })
}

fn projected(mut resource: Map<String, Value>, projection: &Projection) -> Value {
    projection.apply(&mut resource, &[EXTENSION]);
    Value::Object(resource)
}

type Caller = (State<ScimState>, ConnectInfo<SocketAddr>, HeaderMap);

async fn provider_config((State(scim), ConnectInfo(from), headers): Caller) -> Response {
    answer(
        async {
            let c = call(&scim, &headers, from).await?;
            Ok((StatusCode::OK, service_provider_config(&c.base)))
        }
        .await,
    )
}

async fn all_schemas(c: &Call) -> Result<Vec<Value>, Failure> {
    let fields = profile_fields(&c.db).await?;
    Ok(schemas(&fields, &c.base))
}

async fn list_schemas((State(scim), ConnectInfo(from), headers): Caller) -> Response {
    answer(
        async {
            let c = call(&scim, &headers, from).await?;
            let all = all_schemas(&c).await?;
            Ok((
                StatusCode::OK,
                list_response(all.len() as u64, Page::new(None, None), all),
            ))
        }
        .await,
    )
}

async fn one_schema(
    (State(scim), ConnectInfo(from), headers): Caller,
    Path(id): Path<String>,
) -> Response {
    answer(
        async {
            let c = call(&scim, &headers, from).await?;
            let found = all_schemas(&c)
                .await?
                .into_iter()
                .find(|s| s["id"] == id.as_str());
            found
                .map(|s| (StatusCode::OK, s))
                .ok_or_else(|| Failure(ScimError::not_found(format!("No schema has the id {id}."))))
        }
        .await,
    )
}

async fn list_resource_types((State(scim), ConnectInfo(from), headers): Caller) -> Response {
    answer(
        async {
            let c = call(&scim, &headers, from).await?;
            let all = resource_types(&c.base);
            Ok((
                StatusCode::OK,
                list_response(all.len() as u64, Page::new(None, None), all),
            ))
        }
        .await,
    )
}

async fn one_resource_type(
    (State(scim), ConnectInfo(from), headers): Caller,
    Path(id): Path<String>,
) -> Response {
    answer(
        async {
            let c = call(&scim, &headers, from).await?;
            let found = resource_types(&c.base)
                .into_iter()
                .find(|t| t["id"] == id.as_str());
            found.map(|t| (StatusCode::OK, t)).ok_or_else(|| {
                Failure(ScimError::not_found(format!(
                    "No resource type has the id {id}."
                )))
            })
        }
        .await,
    )
}

async fn list_users(
    (State(scim), ConnectInfo(from), headers): Caller,
    Query(query): Query<ListQuery>,
) -> Response {
    answer(
        async {
            let c = call(&scim, &headers, from).await?;
            let page = Page::new(query.start_index, query.count);
            let (total, users) =
                scim::list_users(&c.db, &c.admin, &c.base, query.filter.as_deref(), page).await?;
            let projection = query.projection();
            let users = users
                .into_iter()
                .map(|u| projected(u, &projection))
                .collect();
            Ok((StatusCode::OK, list_response(total, page, users)))
        }
        .await,
    )
}

async fn get_user(
    (State(scim), ConnectInfo(from), headers): Caller,
    Path(id): Path<String>,
    Query(query): Query<ListQuery>,
) -> Response {
    answer(
        async {
            let c = call(&scim, &headers, from).await?;
            let user = scim::get_user(&c.db, &c.admin, &c.base, &id).await?;
            Ok((StatusCode::OK, projected(user, &query.projection())))
        }
        .await,
    )
}

async fn create_user((State(scim), ConnectInfo(from), headers): Caller, body: Bytes) -> Response {
    answer(
        async {
            let c = call(&scim, &headers, from).await?;
            let user = scim::create_user(&c.db, &c.admin, &c.base, &body_json(&body)?).await?;
            Ok((StatusCode::CREATED, Value::Object(user)))
        }
        .await,
    )
}

async fn replace_user(
    (State(scim), ConnectInfo(from), headers): Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    answer(
        async {
            let c = call(&scim, &headers, from).await?;
            let user =
                scim::replace_user(&c.db, &c.admin, &c.base, &id, &body_json(&body)?).await?;
            Ok((StatusCode::OK, Value::Object(user)))
        }
        .await,
    )
}

async fn patch_user(
    (State(scim), ConnectInfo(from), headers): Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    answer(
        async {
            let c = call(&scim, &headers, from).await?;
            let user = scim::patch_user(&c.db, &c.admin, &c.base, &id, &body_json(&body)?).await?;
            Ok((StatusCode::OK, Value::Object(user)))
        }
        .await,
    )
}

async fn delete_user(
    (State(scim), ConnectInfo(from), headers): Caller,
    Path(id): Path<String>,
) -> Response {
    let done = async {
        let c = call(&scim, &headers, from).await?;
        scim::delete_user(&c.db, &c.admin, &id).await
    }
    .await;
    match done {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(Failure(error)) => error_response(&error),
    }
}

async fn list_groups(
    (State(scim), ConnectInfo(from), headers): Caller,
    Query(query): Query<ListQuery>,
) -> Response {
    answer(
        async {
            let c = call(&scim, &headers, from).await?;
            let page = Page::new(query.start_index, query.count);
            let (total, groups) =
                scim::list_groups(&c.db, &c.admin, &c.base, query.filter.as_deref(), page).await?;
            let projection = query.projection();
            let groups = groups
                .into_iter()
                .map(|g| projected(g, &projection))
                .collect();
            Ok((StatusCode::OK, list_response(total, page, groups)))
        }
        .await,
    )
}

async fn get_group(
    (State(scim), ConnectInfo(from), headers): Caller,
    Path(id): Path<String>,
    Query(query): Query<ListQuery>,
) -> Response {
    answer(
        async {
            let c = call(&scim, &headers, from).await?;
            let group = scim::get_group(&c.db, &c.admin, &c.base, &id).await?;
            Ok((StatusCode::OK, projected(group, &query.projection())))
        }
        .await,
    )
}

async fn replace_group(
    (State(scim), ConnectInfo(from), headers): Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    answer(
        async {
            let c = call(&scim, &headers, from).await?;
            let group =
                scim::replace_group(&c.db, &c.admin, &c.base, &id, &body_json(&body)?).await?;
            Ok((StatusCode::OK, Value::Object(group)))
        }
        .await,
    )
}

async fn patch_group(
    (State(scim), ConnectInfo(from), headers): Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    answer(
        async {
            let c = call(&scim, &headers, from).await?;
            let group =
                scim::patch_group(&c.db, &c.admin, &c.base, &id, &body_json(&body)?).await?;
            Ok((StatusCode::OK, Value::Object(group)))
        }
        .await,
    )
}

/// Groups are the instance file's tracks and roles.
async fn no_new_groups((State(scim), ConnectInfo(from), headers): Caller) -> Response {
    answer(
        async {
            call(&scim, &headers, from).await?;
            Err(Failure(ScimError::new(
            403,
            None,
            "Groups are the program's tracks and roles, made in the instance file: add members \
             to one of them (GET /scim/v2/Groups lists them) instead.",
        )))
        }
        .await,
    )
}

/// Searching several resource types at once is not offered (RFC 7644
/// §3.4.3 lets a service answer 501).
async fn no_search() -> Response {
    error_response(&ScimError::new(
        501,
        None,
        "Search /Users or /Groups with a filter instead: searching every kind at once is not offered.",
    ))
}

async fn unknown() -> Response {
    error_response(&ScimError::not_found(
        "No such SCIM endpoint: see /scim/v2/ResourceTypes.",
    ))
}
