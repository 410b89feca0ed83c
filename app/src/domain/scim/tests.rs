use super::*;
use crate::{FieldKind, ProfileField};
use serde_json::{json, Map, Value};

fn fields() -> Vec<ProfileField> {
    vec![
        ProfileField::new("job_title", "Job Title", FieldKind::Text, &[]),
        ProfileField::new(
            "languages",
            "Languages",
            FieldKind::PickMultiple,
            &["English", "French"],
        ),
        ProfileField::new("years", "Years", FieldKind::Number, &[]),
    ]
}

fn patched(resource: Value, body: Value) -> Result<Value, ScimError> {
    let mut object = match resource {
        Value::Object(o) => o,
        _ => Map::new(),
    };
    for op in PatchOp::parse_request(&body, &[EXTENSION])? {
        op.apply(&mut object, &[EXTENSION])?;
    }
    Ok(Value::Object(object))
}

fn ops(list: Value) -> Value {
    json!({"schemas": [PATCH_OP], "Operations": list})
}

#[test]
fn a_filter_is_one_attribute_equal_to_one_value() {
    let f = Filter::parse(r#"userName eq "Ann@Example.com""#).unwrap();
    assert_eq!(
        (f.attribute.as_str(), f.value.as_str()),
        ("username", "Ann@Example.com")
    );
    let f = Filter::parse(&format!(r#"{USER}:userName Eq "a\"b""#)).unwrap();
    assert_eq!(
        (f.attribute.as_str(), f.value.as_str()),
        ("username", "a\"b")
    );
    let refused = Filter::parse(r#"userName sw "a""#).unwrap_err();
    assert_eq!(
        (refused.status, refused.scim_type),
        (400, Some("invalidFilter"))
    );
    assert!(Filter::parse("userName eq").is_err());
}

#[test]
fn okta_and_entra_deactivations_both_read_as_inactive() {
    let user = json!({"userName": "ann@example.com", "active": true});
    let okta = patched(
        user.clone(),
        ops(json!([{"op": "replace", "value": {"active": false}}])),
    )
    .unwrap();
    let entra = patched(
        user,
        ops(json!([{"op": "Replace", "path": "active", "value": "False"}])),
    )
    .unwrap();
    for patched in [okta, entra] {
        assert!(
            !UserWrite::parse(&patched, &fields()).unwrap().is_active(),
            "{patched}"
        );
    }
}

#[test]
fn a_filtered_path_changes_the_elements_it_picks_and_adds_one_when_none_is() {
    let user = json!({"emails": [{"type": "home", "value": "a@home.example"}]});
    let body = ops(
        json!([{"op": "replace", "path": "emails[type eq \"work\"].value", "value": "a@work.example"}]),
    );
    let user = patched(user, body).unwrap();
    assert_eq!(
        user["emails"],
        json!([{"type": "home", "value": "a@home.example"}, {"type": "work", "value": "a@work.example"}])
    );
    let body = ops(json!([{"op": "remove", "path": "emails[type eq \"home\"]"}]));
    let user = patched(user, body).unwrap();
    assert_eq!(
        user["emails"],
        json!([{"type": "work", "value": "a@work.example"}])
    );
}

#[test]
fn members_are_added_once_and_removed_by_filter_or_by_value() {
    let group = json!({"members": [{"value": "1"}]});
    let add = ops(
        json!([{"op": "add", "path": "members", "value": [{"value": "1"}, {"value": "2"}, {"value": "3"}]}]),
    );
    let group = patched(group, add).unwrap();
    assert_eq!(
        group["members"],
        json!([{"value": "1"}, {"value": "2"}, {"value": "3"}])
    );
    let remove = ops(json!([
        {"op": "remove", "path": "members[value eq \"1\"]"},
        {"op": "Remove", "path": "members", "value": [{"value": "3"}]}
    ]));
    assert_eq!(
        patched(group, remove).unwrap()["members"],
        json!([{"value": "2"}])
    );
}

#[test]
fn extension_attributes_are_reached_by_their_urn() {
    let path = format!("{EXTENSION}:job_title");
    let user = patched(
        json!({}),
        ops(json!([{"op": "add", "path": path, "value": "Chef"}])),
    )
    .unwrap();
    assert_eq!(user[EXTENSION]["job_title"], "Chef");
    let user = patched(
        user,
        ops(json!([{"op": "replace", "value": {EXTENSION: {"years": 4}}}])),
    )
    .unwrap();
    assert_eq!(user[EXTENSION], json!({"job_title": "Chef", "years": 4}));
    let user = patched(
        user,
        ops(json!([{"op": "remove", "path": format!("{EXTENSION}:job_title")}])),
    )
    .unwrap();
    assert_eq!(user[EXTENSION], json!({"years": 4}));
    let name = patched(
        json!({"name": {"givenName": "A"}}),
        ops(json!([{"op": "replace", "path": "name.familyName", "value": "Lee"}])),
    )
    .unwrap();
    assert_eq!(name["name"], json!({"givenName": "A", "familyName": "Lee"}));
}

#[test]
fn requests_that_say_nothing_clear_are_refused_with_a_sentence() {
    let no_ops = PatchOp::parse_request(&json!({"schemas": [PATCH_OP]}), &[]).unwrap_err();
    assert_eq!(no_ops.scim_type, Some("invalidSyntax"));
    let bad_op =
        PatchOp::parse_request(&ops(json!([{"op": "move", "path": "active"}])), &[]).unwrap_err();
    assert!(bad_op.detail.contains("add, remove or replace"));
    let no_path = PatchOp::parse_request(&ops(json!([{"op": "remove"}])), &[]).unwrap_err();
    assert_eq!(no_path.scim_type, Some("noTarget"));
    let odd_path = PatchOp::parse_request(
        &ops(json!([{"op": "add", "path": "urn:other:thing", "value": 1}])),
        &[EXTENSION],
    )
    .unwrap_err();
    assert_eq!(odd_path.scim_type, Some("invalidPath"));
}

#[test]
fn a_user_is_read_with_its_address_names_and_profile() {
    let body = json!({
        "schemas": [USER, EXTENSION],
        "userName": "alee",
        "name": {"givenName": " Ann ", "familyName": "Lee"},
        "emails": [{"value": "home@example.com"}, {"value": "Ann@Example.com", "primary": true}],
        EXTENSION: {"job_title": "Chef", "languages": ["French", "English"], "years": 4.5}
    });
    let user = UserWrite::parse(&body, &fields()).unwrap();
    assert_eq!(user.email().as_deref(), Some("Ann@Example.com"));
    assert_eq!(
        (user.first_name.as_str(), user.last_name.as_str()),
        ("Ann", "Lee")
    );
    assert_eq!(user.active, None);
    assert!(user.is_active());
    assert_eq!(
        user.answers,
        [
            ("job_title", "Chef"),
            ("languages", "French, English"),
            ("years", "4.5")
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
    let by_name = UserWrite::parse(&json!({"userName": "bo@example.com"}), &fields()).unwrap();
    assert_eq!(by_name.email().as_deref(), Some("bo@example.com"));
    let nobody = UserWrite::parse(&json!({"userName": "bo"}), &fields()).unwrap();
    assert_eq!(nobody.email(), None);
}

#[test]
fn a_user_with_nothing_to_go_by_is_refused() {
    assert!(UserWrite::parse(&json!({"name": {}}), &fields())
        .unwrap_err()
        .detail
        .contains("userName"));
    let unknown = UserWrite::parse(
        &json!({"userName": "a", EXTENSION: {"shoe": "9"}}),
        &fields(),
    )
    .unwrap_err();
    assert!(
        unknown.detail.contains("no field `shoe`"),
        "{}",
        unknown.detail
    );
    let long = UserWrite::parse(&json!({"userName": "a".repeat(256)}), &fields()).unwrap_err();
    assert!(long.detail.contains("over 255"));
}

#[test]
fn a_user_is_answered_with_numbers_as_numbers_and_options_as_text() {
    let view = UserView {
        id: 7,
        user_name: "ann".into(),
        external_id: Some("x1".into()),
        emails: None,
        active: Some(false),
        first_name: "Ann".into(),
        last_name: "Lee".into(),
        answers: vec![
            ("languages".into(), "English, French".into()),
            ("years".into(), "4".into()),
        ],
        groups: vec![GroupRef {
            id: "engineering:mentee".into(),
            display: "Engineering — Mentee".into(),
        }],
        created: "2026-12-07T00:00:00Z".into(),
        last_modified: "2026-12-07T00:00:00Z".into(),
    };
    let user = Value::Object(view.resource(&fields(), "https://r.example/scim/v2"));
    assert_eq!(user["id"], "7");
    assert_eq!(user["schemas"], json!([USER, EXTENSION]));
    assert_eq!(
        user[EXTENSION],
        json!({"languages": "English, French", "years": 4})
    );
    assert_eq!(user["groups"][0]["value"], "engineering:mentee");
    assert_eq!(
        user["meta"]["location"],
        "https://r.example/scim/v2/Users/7"
    );
    assert!(user.get("emails").is_none());
}

#[test]
fn projections_keep_what_is_asked_and_always_the_id() {
    let mut user = json!({"id": "1", "schemas": [USER], "userName": "a", "active": true,
        "emails": [], EXTENSION: {"job_title": "x", "years": 1}});
    let only = Projection::parse(
        Some("userName,urn:roster:params:scim:schemas:extension:profile:2.0:User:years"),
        None,
        &[EXTENSION],
    );
    if let Value::Object(o) = &mut user {
        only.apply(o, &[EXTENSION]);
    }
    assert_eq!(
        user,
        json!({"id": "1", "schemas": [USER], "userName": "a", EXTENSION: {"years": 1}})
    );
    let mut user = json!({"id": "1", "userName": "a", "emails": []});
    if let Value::Object(o) = &mut user {
        Projection::parse(None, Some("emails"), &[]).apply(o, &[]);
    }
    assert_eq!(user, json!({"id": "1", "userName": "a"}));
}

#[test]
fn the_profile_schema_names_each_field_with_its_options() {
    let docs = schemas(&fields(), "/scim/v2");
    let profile = docs.iter().find(|s| s["id"] == EXTENSION).unwrap();
    let languages = &profile["attributes"][1];
    assert_eq!(languages["name"], "languages");
    assert_eq!(
        languages["multiValued"], false,
        "one string, as a cell holds it"
    );
    assert_eq!(languages["canonicalValues"], json!(["English", "French"]));
    assert_eq!(profile["attributes"][2]["type"], "decimal");
    assert_eq!(
        resource_types("/scim/v2")[0]["schemaExtensions"][0]["schema"],
        EXTENSION
    );
}
