//! The documents that describe the service to an identity provider
//! (RFC 7643 §5–7): what it supports, the schemas of its users (the
//! instance's profile fields in an extension of their own) and groups, and
//! where each kind of resource lives.

use crate::{FieldKind, ProfileField};
use serde_json::{json, Value};

pub const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
/// The instance's profile fields, one attribute each, named by key.
pub const EXTENSION: &str = "urn:roster:params:scim:schemas:extension:profile:2.0:User";
pub const LIST: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
pub const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";
const RESOURCE_TYPE: &str = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";

/// Resources one list answers at most.
pub const MAX_RESULTS: u64 = 200;

pub fn service_provider_config(base: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
        "patch": {"supported": true},
        "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": true, "maxResults": MAX_RESULTS},
        "changePassword": {"supported": false},
        "sort": {"supported": false},
        "etag": {"supported": false},
        "authenticationSchemes": [{
            "type": "oauthbearertoken",
            "name": "API token",
            "description": "A Roster API token with the global level's rights, sent as `Authorization: Bearer roster_…`.",
            "primary": true
        }],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": format!("{base}/ServiceProviderConfig")
        }
    })
}

fn attribute(name: &str, kind: &str, required: bool, mutability: &str) -> Value {
    json!({
        "name": name,
        "type": kind,
        "multiValued": false,
        "required": required,
        "caseExact": false,
        "mutability": mutability,
        "returned": "default",
        "uniqueness": "none"
    })
}

fn complex(name: &str, multi: bool, required: bool, mutability: &str, subs: Vec<Value>) -> Value {
    let mut a = attribute(name, "complex", required, mutability);
    a["multiValued"] = json!(multi);
    a["subAttributes"] = json!(subs);
    a
}

pub fn user_schema() -> Value {
    let mut user_name = attribute("userName", "string", true, "readWrite");
    user_name["uniqueness"] = json!("server");
    let mut email_type = attribute("type", "string", false, "readWrite");
    email_type["canonicalValues"] = json!(["work", "home", "other"]);
    let mut member_of = attribute("value", "string", false, "readOnly");
    member_of["description"] = json!("The group's id: a track's slug and a role.");
    json!({
        "schemas": [SCHEMA],
        "id": USER,
        "name": "User",
        "description": "A person of the platform. Their email is the primary (or first) of `emails`, else `userName`.",
        "attributes": [
            user_name,
            complex("name", false, true, "readWrite", vec![
                attribute("givenName", "string", true, "readWrite"),
                attribute("familyName", "string", true, "readWrite"),
            ]),
            // Required: a person needs an address (a userName that is one
            // is taken too, as some providers send no emails).
            complex("emails", true, true, "readWrite", vec![
                attribute("value", "string", true, "readWrite"),
                email_type,
                attribute("primary", "boolean", false, "readWrite"),
            ]),
            attribute("active", "boolean", false, "readWrite"),
            complex("groups", true, false, "readOnly", vec![
                member_of,
                attribute("display", "string", false, "readOnly"),
            ]),
        ],
    })
}

/// The extension schema: one attribute per profile field.
pub fn profile_schema(fields: &[ProfileField]) -> Value {
    let attributes: Vec<Value> = fields.iter().map(profile_attribute).collect();
    json!({
        "schemas": [SCHEMA],
        "id": EXTENSION,
        "name": "Profile",
        "description": "The platform's profile fields, named by their keys.",
        "attributes": attributes,
    })
}

fn profile_attribute(field: &ProfileField) -> Value {
    let kind = match field.kind {
        FieldKind::Number => "decimal",
        _ => "string",
    };
    let mut a = attribute(&field.key, kind, field.required, "readWrite");
    a["caseExact"] = json!(true);
    // Several options are one string, as a file's cell holds them: a
    // multi-valued attribute would make PATCH `add` append to the choice
    // (RFC 7644 §3.5.2.1) where a provider means to set it.
    a["description"] = json!(match field.kind {
        FieldKind::Date => format!("{} (a date, YYYY-MM-DD)", field.title),
        FieldKind::PickMultiple => format!("{} (options separated by commas)", field.title),
        FieldKind::OrderedOptions => {
            format!("{} (options separated by commas, in order)", field.title)
        }
        _ => field.title.clone(),
    });
    if !field.options.is_empty() {
        a["canonicalValues"] = json!(field.options);
    }
    if field.external_id {
        a["uniqueness"] = json!("server");
    }
    a
}

pub fn group_schema() -> Value {
    json!({
        "schemas": [SCHEMA],
        "id": GROUP,
        "name": "Group",
        "description": "The people with one role in one track. Groups are the instance's tracks and roles: they cannot be created, renamed or deleted here.",
        "attributes": [
            attribute("displayName", "string", true, "readOnly"),
            complex("members", true, false, "readWrite", vec![
                attribute("value", "string", false, "immutable"),
                attribute("display", "string", false, "readOnly"),
            ]),
        ],
    })
}

/// The three schemas, each with where it lives.
pub fn schemas(fields: &[ProfileField], base: &str) -> Vec<Value> {
    [user_schema(), profile_schema(fields), group_schema()]
        .into_iter()
        .map(|mut s| {
            let id = s["id"].as_str().unwrap_or_default().to_owned();
            s["meta"] =
                json!({"resourceType": "Schema", "location": format!("{base}/Schemas/{id}")});
            s
        })
        .collect()
}

pub fn resource_types(base: &str) -> Vec<Value> {
    let kind = |id: &str, endpoint: &str, schema: &str, extensions: Value| {
        json!({
            "schemas": [RESOURCE_TYPE],
            "id": id,
            "name": id,
            "endpoint": endpoint,
            "schema": schema,
            "schemaExtensions": extensions,
            "meta": {"resourceType": "ResourceType", "location": format!("{base}/ResourceTypes/{id}")}
        })
    };
    vec![
        kind(
            "User",
            "/Users",
            USER,
            json!([{"schema": EXTENSION, "required": false}]),
        ),
        kind("Group", "/Groups", GROUP, json!([])),
    ]
}
