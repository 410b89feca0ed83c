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
    let endpoints = Router::new()
        .route("/ServiceProviderConfig", get(provider_config))
        .route("/Schemas", get(list_schemas))
        .route("/Schemas/{id}", get(one_schema))
        .route("/ResourceTypes", get(list_resource_types))
        .route("/ResourceTypes/{id}", get(one_resource_type))
        // Static segments come first: these two take Users and Groups.
        .route("/{kind}", get(list).post(create))
        .route(
            "/{kind}/{id}",
            get(show).put(replace).patch(patch).delete(remove),
        )
        .route("/.search", post(no_search))
        .fallback(unknown)
        .with_state(scim);
    Router::new().nest("/scim/v2", endpoints)
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
    /// Read leniently: a page that is not a number is the first page.
    start_index: Option<String>,
    count: Option<String>,
    attributes: Option<String>,
    excluded_attributes: Option<String>,
}

impl ListQuery {
    fn page(&self) -> Page {
        let number = |v: &Option<String>| v.as_deref().and_then(|n| n.trim().parse().ok());
        Page::new(number(&self.start_index), number(&self.count))
    }

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

/// The discovery documents that are lists: schemas, resource types.
#[derive(Debug, Clone, Copy)]
enum Documents {
    Schemas,
    ResourceTypes,
}

impl Documents {
    async fn all(self, c: &Call) -> Result<Vec<Value>, Failure> {
        Ok(match self {
            Documents::Schemas => schemas(&profile_fields(&c.db).await?, &c.base),
            Documents::ResourceTypes => resource_types(&c.base),
        })
    }

    fn name(self) -> &'static str {
        match self {
            Documents::Schemas => "schema",
            Documents::ResourceTypes => "resource type",
        }
    }
}

/// All the documents of a kind, as a list, or (`id`) the one with that id.
async fn documents(
    (State(scim), ConnectInfo(from), headers): Caller,
    which: Documents,
    id: Option<String>,
) -> Response {
    answer(
        async {
            let c = call(&scim, &headers, from).await?;
            let all = which.all(&c).await?;
            let Some(id) = id else {
                let total = all.len() as u64;
                return Ok((
                    StatusCode::OK,
                    list_response(total, Page::new(None, None), all),
                ));
            };
            let found = all.into_iter().find(|d| d["id"] == id.as_str());
            found.map(|d| (StatusCode::OK, d)).ok_or_else(|| {
                let name = which.name();
                Failure(ScimError::not_found(format!("No {name} has the id {id}.")))
            })
        }
        .await,
    )
}

async fn list_schemas(caller: Caller) -> Response {
    documents(caller, Documents::Schemas, None).await
}

async fn one_schema(caller: Caller, Path(id): Path<String>) -> Response {
    documents(caller, Documents::Schemas, Some(id)).await
}

async fn list_resource_types(caller: Caller) -> Response {
    documents(caller, Documents::ResourceTypes, None).await
}

async fn one_resource_type(caller: Caller, Path(id): Path<String>) -> Response {
    documents(caller, Documents::ResourceTypes, Some(id)).await
}

/// The two kinds of resource, by their endpoint's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Users,
    Groups,
}

impl Kind {
    fn of(endpoint: &str) -> Result<Kind, Failure> {
        match endpoint {
            "Users" => Ok(Kind::Users),
            "Groups" => Ok(Kind::Groups),
            _ => Err(Failure(no_endpoint())),
        }
    }
}

async fn list(
    (State(scim), ConnectInfo(from), headers): Caller,
    Path(kind): Path<String>,
    Query(query): Query<ListQuery>,
) -> Response {
    answer(
        async {
            let c = call(&scim, &headers, from).await?;
            let page = query.page();
            let filter = query.filter.as_deref();
            let (total, found) = match Kind::of(&kind)? {
                Kind::Users => scim::list_users(&c.db, &c.admin, &c.base, filter, page).await?,
                Kind::Groups => scim::list_groups(&c.db, &c.admin, &c.base, filter, page).await?,
            };
            let projection = query.projection();
            let found = found
                .into_iter()
                .map(|r| projected(r, &projection))
                .collect();
            Ok((StatusCode::OK, list_response(total, page, found)))
        }
        .await,
    )
}

async fn show(
    (State(scim), ConnectInfo(from), headers): Caller,
    Path((kind, id)): Path<(String, String)>,
    Query(query): Query<ListQuery>,
) -> Response {
    answer(
        async {
            let c = call(&scim, &headers, from).await?;
            let found = match Kind::of(&kind)? {
                Kind::Users => scim::get_user(&c.db, &c.admin, &c.base, &id).await?,
                Kind::Groups => scim::get_group(&c.db, &c.admin, &c.base, &id).await?,
            };
            Ok((StatusCode::OK, projected(found, &query.projection())))
        }
        .await,
    )
}

async fn create(
    (State(scim), ConnectInfo(from), headers): Caller,
    Path(kind): Path<String>,
    body: Bytes,
) -> Response {
    answer(
        async {
            let c = call(&scim, &headers, from).await?;
            match Kind::of(&kind)? {
                Kind::Users => {
                    let body = body_json(&body)?;
                    let user = scim::create_user(&c.db, &c.admin, &c.base, &body).await?;
                    Ok((StatusCode::CREATED, Value::Object(user)))
                }
                Kind::Groups => Err(Failure(groups_are_the_instances())),
            }
        }
        .await,
    )
}

/// PUT (the whole resource) and PATCH (operations on it).
#[derive(Clone, Copy)]
enum Change {
    Replace,
    Patch,
}

async fn change(
    scim: ScimState,
    headers: HeaderMap,
    from: SocketAddr,
    (kind, id): (String, String),
    body: Bytes,
    how: Change,
) -> Response {
    answer(
        async {
            let c = call(&scim, &headers, from).await?;
            let body = body_json(&body)?;
            let (db, admin, base) = (&c.db, &c.admin, c.base.as_str());
            let changed = match (Kind::of(&kind)?, how) {
                (Kind::Users, Change::Replace) => {
                    scim::replace_user(db, admin, base, &id, &body).await?
                }
                (Kind::Users, Change::Patch) => {
                    scim::patch_user(db, admin, base, &id, &body).await?
                }
                (Kind::Groups, Change::Replace) => {
                    scim::replace_group(db, admin, base, &id, &body).await?
                }
                (Kind::Groups, Change::Patch) => {
                    scim::patch_group(db, admin, base, &id, &body).await?
                }
            };
            Ok((StatusCode::OK, Value::Object(changed)))
        }
        .await,
    )
}

async fn replace(
    (State(scim), ConnectInfo(from), headers): Caller,
    Path(at): Path<(String, String)>,
    body: Bytes,
) -> Response {
    change(scim, headers, from, at, body, Change::Replace).await
}

async fn patch(
    (State(scim), ConnectInfo(from), headers): Caller,
    Path(at): Path<(String, String)>,
    body: Bytes,
) -> Response {
    change(scim, headers, from, at, body, Change::Patch).await
}

async fn remove(
    (State(scim), ConnectInfo(from), headers): Caller,
    Path((kind, id)): Path<(String, String)>,
) -> Response {
    let done = async {
        let c = call(&scim, &headers, from).await?;
        match Kind::of(&kind)? {
            Kind::Users => scim::delete_user(&c.db, &c.admin, &id).await,
            Kind::Groups => Err(Failure(groups_are_the_instances())),
        }
    }
    .await;
    match done {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(Failure(error)) => error_response(&error),
    }
}

/// Groups are the instance file's tracks and roles.
fn groups_are_the_instances() -> ScimError {
    ScimError::new(
        403,
        None,
        "Groups are the program's tracks and roles, made in the instance file: add members to \
         one of them (GET /scim/v2/Groups lists them) instead.",
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

fn no_endpoint() -> ScimError {
    ScimError::not_found("No such SCIM endpoint: see /scim/v2/ResourceTypes.")
}

async fn unknown() -> Response {
    error_response(&no_endpoint())
}
