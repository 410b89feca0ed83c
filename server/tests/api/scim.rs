//! SCIM 2.0 provisioning (docs/scim.md): an identity provider creates,
//! finds, changes, deactivates and deletes users and puts them in groups,
//! each change an import of kind SCIM in the history, undoable like any —
//! on SQLite and PostgreSQL.

use crate::helpers::{confirm_undo, roles_in, signed_in, user_by_email, TestApp};
use app::api::tokens::{CreateApiToken, NewToken, TokenScope};
use app::backend::entities::{import, membership, outbox};
use app::domain::scim::EXTENSION;
use app::domain::{ImportKind, Role};
use reqwest::Method;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};

pub(crate) async fn token(app: &TestApp, scope: TokenScope) -> String {
    let new: NewToken = app
        .send_ok(CreateApiToken {
            name: "Okta".into(),
            scope,
        })
        .await;
    new.token
}

/// One SCIM call: its status and its JSON (`Null` for none).
async fn scim(
    app: &TestApp,
    token: Option<&str>,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = app
        .client
        .request(method, format!("{}/scim/v2{path}", app.base));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request
            .header("Content-Type", "application/scim+json")
            .body(body.to_string());
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let json = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
    };
    (status, json)
}

fn ann() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", EXTENSION],
        "userName": "ann@example.com",
        "externalId": "00u1",
        "name": {"givenName": "Ann", "familyName": "Lee"},
        "emails": [{"value": "ann@example.com", "type": "work", "primary": true}],
        "active": true,
        EXTENSION: {"department": "Engineering", "languages": ["French", "English"]}
    })
}

fn ops(list: Value) -> Value {
    json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": list})
}

async fn scim_imports(app: &TestApp) -> Vec<import::Model> {
    import::Entity::find()
        .order_by_asc(import::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|i| *i.kind == ImportKind::Scim)
        .collect()
}

on_both_databases!(
    a_provider_creates_finds_and_changes_a_user,
    group_add_deactivate_and_delete_are_imports_that_undo_reverses,
    only_global_tokens_provision_and_every_error_is_scim_json,
    lists_are_paged_and_describe_the_service,
);

async fn a_provider_creates_finds_and_changes_a_user(app: TestApp) {
    signed_in(&app).await;
    let okta = token(&app, TokenScope::Global).await;
    let t = Some(okta.as_str());
    let (status, created) = scim(&app, t, Method::POST, "/Users", Some(ann())).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["userName"], "ann@example.com");
    assert_eq!(created["externalId"], "00u1");
    assert_eq!(
        created[EXTENSION]["languages"], "French, English",
        "a list sent is read as options"
    );
    let person = user_by_email(&app, "ann@example.com")
        .await
        .expect("created");
    assert_eq!(person.id.to_string(), id);
    assert_eq!(
        scim_imports(&app).await.len(),
        1,
        "the create is an import of kind SCIM"
    );

    let (status, found) = scim(
        &app,
        t,
        Method::GET,
        "/Users?filter=userName%20eq%20%22ANN@example.com%22",
        None,
    )
    .await;
    assert_eq!(
        (status, found["totalResults"].as_u64()),
        (200, Some(1)),
        "{found}"
    );
    assert_eq!(found["Resources"][0]["id"], id.as_str());

    let (status, again) = scim(&app, t, Method::POST, "/Users", Some(ann())).await;
    assert_eq!(
        (status, again["scimType"].as_str()),
        (409, Some("uniqueness")),
        "{again}"
    );
    assert!(again["detail"]
        .as_str()
        .unwrap()
        .contains(&format!("with the id {id}")));

    let patch = ops(json!([{"op": "replace", "path": "name.familyName", "value": "Li"}]));
    let (status, patched) =
        scim(&app, t, Method::PATCH, &format!("/Users/{id}"), Some(patch)).await;
    assert_eq!(
        (status, patched["name"]["familyName"].as_str()),
        (200, Some("Li")),
        "{patched}"
    );
    assert_eq!(
        user_by_email(&app, "ann@example.com")
            .await
            .unwrap()
            .last_name,
        "Li"
    );

    // An address changed in the provider follows the person, and undo
    // gives the old one back.
    let moved = ops(
        json!([{"op": "replace", "path": "emails[type eq \"work\"].value", "value": "ann.lee@example.com"}]),
    );
    let (status, body) = scim(&app, t, Method::PATCH, &format!("/Users/{id}"), Some(moved)).await;
    assert_eq!(
        (status, body["emails"][0]["value"].as_str()),
        (200, Some("ann.lee@example.com")),
        "{body}"
    );
    let person = user_by_email(&app, "ann.lee@example.com")
        .await
        .expect("moved");
    assert_eq!(person.id.to_string(), id);
    let move_import = scim_imports(&app).await.pop().unwrap();
    confirm_undo(&app, move_import.id).await;
    assert_eq!(
        user_by_email(&app, "ann@example.com").await.map(|u| u.id),
        Some(person.id)
    );
    let (_, back) = scim(&app, t, Method::GET, &format!("/Users/{id}"), None).await;
    assert_eq!(
        back["emails"][0]["value"], "ann@example.com",
        "SCIM answers the address on file"
    );

    // A PUT is the whole user: a profile field it leaves out is cleared.
    let mut whole = ann();
    whole[EXTENSION] = json!({"languages": "English"});
    let (status, put) = scim(
        &app,
        t,
        Method::PUT,
        &format!("/Users/{id}"),
        Some(whole.clone()),
    )
    .await;
    assert_eq!(status, 200, "{put}");
    assert_eq!(put[EXTENSION], json!({"languages": "English"}));
    assert_eq!(
        crate::helpers::profile_answer(&app, "ann@example.com", "department").await,
        None
    );
    // The same user sent again changes nothing and records nothing.
    let before = scim_imports(&app).await.len();
    let (status, _) = scim(&app, t, Method::PUT, &format!("/Users/{id}"), Some(whole)).await;
    assert_eq!(status, 200);
    assert_eq!(scim_imports(&app).await.len(), before);

    // Refused with the row check's own sentence, nothing written.
    let mut bad = ann();
    bad["userName"] = json!("bo@example.com");
    bad["emails"] = json!([{"value": "bo@example.com"}]);
    bad[EXTENSION] = json!({"department": "Enginering"});
    let (status, refused) = scim(&app, t, Method::POST, "/Users", Some(bad)).await;
    assert_eq!(
        (status, refused["scimType"].as_str()),
        (400, Some("invalidValue")),
        "{refused}"
    );
    assert!(
        refused["detail"].as_str().unwrap().contains("Engineering"),
        "{refused}"
    );
    assert!(user_by_email(&app, "bo@example.com").await.is_none());

    // A create undone deletes the person, and SCIM forgets them.
    let mut bo = ann();
    bo["userName"] = json!("bo@example.com");
    bo["emails"] = json!([{"value": "bo@example.com"}]);
    let (status, created) = scim(&app, t, Method::POST, "/Users", Some(bo)).await;
    assert_eq!(status, 201, "{created}");
    let create = scim_imports(&app).await.pop().unwrap();
    assert_eq!(confirm_undo(&app, create.id).await.users_deleted, 1);
    let path = format!("/Users/{}", created["id"].as_str().unwrap());
    assert_eq!(scim(&app, t, Method::GET, &path, None).await.0, 404);
}

async fn group_add_deactivate_and_delete_are_imports_that_undo_reverses(app: TestApp) {
    signed_in(&app).await;
    let okta = token(&app, TokenScope::Global).await;
    let t = Some(okta.as_str());
    let (_, created) = scim(&app, t, Method::POST, "/Users", Some(ann())).await;
    let id = created["id"].as_str().unwrap().to_owned();

    let filter =
        "/Groups?filter=displayName%20eq%20%22Engineering%20Mentoring%20%E2%80%94%20Mentee%22";
    let (status, groups) = scim(&app, t, Method::GET, filter, None).await;
    assert_eq!(
        (status, groups["totalResults"].as_u64()),
        (200, Some(1)),
        "{groups}"
    );
    assert_eq!(groups["Resources"][0]["id"], "engineering:mentee");

    let add = ops(json!([{"op": "add", "path": "members", "value": [{"value": id}]}]));
    let (status, group) = scim(
        &app,
        t,
        Method::PATCH,
        "/Groups/engineering:mentee",
        Some(add),
    )
    .await;
    assert_eq!(status, 200, "{group}");
    assert_eq!(group["members"][0]["value"], id.as_str());
    assert_eq!(
        roles_in(&app, "ann@example.com", "engineering")
            .await
            .map(|r| r.contains(Role::Mentee)),
        Some(true)
    );
    let joined = scim_imports(&app).await.pop().unwrap();
    assert_eq!(
        (joined.added_count, joined.emails_queued_count),
        (1, 1),
        "a join is emailed like any"
    );
    let (_, user) = scim(&app, t, Method::GET, &format!("/Users/{id}"), None).await;
    assert_eq!(user["groups"][0]["value"], "engineering:mentee");

    // Okta's deactivation: out of every track, kept as a dormant user.
    let off = ops(json!([{"op": "replace", "value": {"active": false}}]));
    let (status, user) = scim(&app, t, Method::PATCH, &format!("/Users/{id}"), Some(off)).await;
    assert_eq!(
        (status, user["active"].as_bool()),
        (200, Some(false)),
        "{user}"
    );
    assert_eq!(roles_in(&app, "ann@example.com", "engineering").await, None);
    let left = scim_imports(&app).await.pop().unwrap();
    assert_eq!(left.left_count, 1);
    let undone = confirm_undo(&app, left.id).await;
    assert_eq!(undone.memberships_restored, 1);
    assert_eq!(
        roles_in(&app, "ann@example.com", "engineering")
            .await
            .map(|r| r.contains(Role::Mentee)),
        Some(true)
    );

    // A member removed from the group loses the role (and the track with it).
    let remove = ops(json!([{"op": "remove", "path": format!("members[value eq \"{id}\"]")}]));
    let (status, group) = scim(
        &app,
        t,
        Method::PATCH,
        "/Groups/engineering:mentee",
        Some(remove),
    )
    .await;
    assert_eq!((status, group.get("members")), (200, None), "{group}");
    assert_eq!(roles_in(&app, "ann@example.com", "engineering").await, None);

    // Delete: gone from SCIM, kept in Roster with their history.
    let add = ops(json!([{"op": "add", "path": "members", "value": [{"value": id}]}]));
    scim(
        &app,
        t,
        Method::PATCH,
        "/Groups/engineering:mentee",
        Some(add),
    )
    .await;
    let (status, _) = scim(&app, t, Method::DELETE, &format!("/Users/{id}"), None).await;
    assert_eq!(status, 204);
    let (status, gone) = scim(&app, t, Method::GET, &format!("/Users/{id}"), None).await;
    assert_eq!(
        (status, gone["status"].as_str()),
        (404, Some("404")),
        "{gone}"
    );
    let person = user_by_email(&app, "ann@example.com")
        .await
        .expect("kept in Roster");
    let held = membership::Entity::find()
        .filter(membership::Column::UserId.eq(person.id))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(held, 0, "dormant");
    let (_, all) = scim(&app, t, Method::GET, "/Users", None).await;
    assert_eq!(all["totalResults"], 0, "{all}");
    let emails = outbox::Entity::find().count(&app.db).await.unwrap();
    assert_eq!(emails, 2, "each join emailed once, no email for leaving");

    // Undoing the deletion gives the tracks back; for the provider they
    // stay deleted until it creates them again.
    let deleted = scim_imports(&app).await.pop().unwrap();
    assert_eq!(deleted.file_name.as_deref(), Some("Left every track"));
    assert_eq!(confirm_undo(&app, deleted.id).await.memberships_restored, 1);
    assert_eq!(
        roles_in(&app, "ann@example.com", "engineering")
            .await
            .map(|r| r.contains(Role::Mentee)),
        Some(true)
    );
    let (status, _) = scim(&app, t, Method::GET, &format!("/Users/{id}"), None).await;
    assert_eq!(status, 404);

    // Created again, the same person comes back.
    let (status, back) = scim(&app, t, Method::POST, "/Users", Some(ann())).await;
    assert_eq!(
        (status, back["id"].as_str()),
        (201, Some(id.as_str())),
        "{back}"
    );
}

async fn only_global_tokens_provision_and_every_error_is_scim_json(app: TestApp) {
    signed_in(&app).await;
    let track = token(&app, TokenScope::Tracks(vec!["engineering".into()])).await;
    let (status, refused) = scim(&app, Some(&track), Method::GET, "/Users", None).await;
    assert_eq!(status, 403, "{refused}");
    assert_eq!(
        refused["schemas"][0],
        "urn:ietf:params:scim:api:messages:2.0:Error"
    );
    assert!(refused["detail"].as_str().unwrap().contains("global level"));
    let (status, anonymous) = scim(&app, None, Method::GET, "/Users", None).await;
    assert_eq!((status, anonymous["status"].as_str()), (401, Some("401")));
    let (status, _) = scim(&app, Some("roster_nope"), Method::GET, "/Users", None).await;
    assert_eq!(status, 401);

    let okta = token(&app, TokenScope::Global).await;
    let t = Some(okta.as_str());
    let (status, unknown) = scim(&app, t, Method::GET, "/Nothing", None).await;
    assert_eq!((status, unknown["status"].as_str()), (404, Some("404")));
    let (status, bad) = scim(
        &app,
        t,
        Method::GET,
        "/Users?filter=userName%20sw%20%22a%22",
        None,
    )
    .await;
    assert_eq!(
        (status, bad["scimType"].as_str()),
        (400, Some("invalidFilter"))
    );
    let (status, no_group) = scim(
        &app,
        t,
        Method::POST,
        "/Groups",
        Some(json!({"displayName": "New"})),
    )
    .await;
    assert_eq!(status, 403, "{no_group}");
    let (status, syntax) = scim(&app, t, Method::POST, "/Users", Some(json!("not a user"))).await;
    assert_eq!(
        (status, syntax["scimType"].as_str()),
        (400, Some("invalidSyntax"))
    );
    let (status, _) = scim(
        &app,
        t,
        Method::POST,
        "/ServiceProviderConfig",
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 405);
    let (status, _) = scim(&app, t, Method::POST, "/.search", Some(json!({}))).await;
    assert_eq!(status, 501);
}

async fn lists_are_paged_and_describe_the_service(app: TestApp) {
    signed_in(&app).await;
    let okta = token(&app, TokenScope::Global).await;
    let t = Some(okta.as_str());
    for (n, name) in ["ann", "bo", "cy"].iter().enumerate() {
        let mut user = ann();
        user["userName"] = json!(format!("{name}@example.com"));
        user["externalId"] = json!(format!("00u{n}"));
        user["emails"] = json!([{"value": format!("{name}@example.com")}]);
        let (status, body) = scim(&app, t, Method::POST, "/Users", Some(user)).await;
        assert_eq!(status, 201, "{body}");
    }
    let (_, page) = scim(
        &app,
        t,
        Method::GET,
        "/Users?startIndex=2&count=1&attributes=userName",
        None,
    )
    .await;
    assert_eq!(
        (page["totalResults"].as_u64(), page["itemsPerPage"].as_u64()),
        (Some(3), Some(1)),
        "{page}"
    );
    assert_eq!(page["Resources"][0]["userName"], "bo@example.com");
    assert!(
        page["Resources"][0].get("name").is_none(),
        "only what was asked, and the id"
    );
    assert!(page["Resources"][0].get("id").is_some());
    let (_, by_id) = scim(
        &app,
        t,
        Method::GET,
        "/Users?filter=externalId%20eq%20%2200u2%22",
        None,
    )
    .await;
    assert_eq!(by_id["Resources"][0]["userName"], "cy@example.com");

    let (status, config) = scim(&app, t, Method::GET, "/ServiceProviderConfig", None).await;
    assert_eq!(
        (status, config["patch"]["supported"].as_bool()),
        (200, Some(true))
    );
    let (_, schemas) = scim(&app, t, Method::GET, "/Schemas", None).await;
    let profile = schemas["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == EXTENSION)
        .unwrap();
    let department = profile["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "department")
        .unwrap();
    assert_eq!(department["canonicalValues"][0], "Engineering");
    let (status, one) = scim(&app, t, Method::GET, &format!("/Schemas/{EXTENSION}"), None).await;
    assert_eq!((status, one["name"].as_str()), (200, Some("Profile")));
    let (_, types) = scim(&app, t, Method::GET, "/ResourceTypes", None).await;
    assert_eq!(types["totalResults"], 2);
    let (_, groups) = scim(&app, t, Method::GET, "/Groups", None).await;
    assert_eq!(
        groups["totalResults"], 8,
        "two tracks × four roles: {groups}"
    );
}
