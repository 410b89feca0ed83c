//! A user as SCIM sends one (`UserWrite`, read from a POST or PUT body, or
//! from a resource a PATCH changed) and as it is answered (`UserView`).

use super::patch::field;
use super::{ScimError, EXTENSION, USER};
use crate::{Email, FieldKind, PersonForm, ProfileField};
use serde_json::{json, Map, Value};

/// The longest userName or externalId kept.
const MAX_NAME_CHARS: usize = 255;
/// Addresses one user may carry.
const MAX_EMAILS: usize = 20;

/// What a provider says of one user.
#[derive(Debug, Clone, PartialEq)]
pub struct UserWrite {
    pub user_name: String,
    pub external_id: Option<String>,
    /// `emails` as sent, kept to be answered as sent.
    pub emails: Option<Value>,
    /// `None`: not said, which counts as active.
    pub active: Option<bool>,
    pub first_name: String,
    pub last_name: String,
    /// Profile field key → the answer as a CSV cell holds it.
    pub answers: Vec<(String, String)>,
}

impl UserWrite {
    pub fn parse(body: &Value, fields: &[ProfileField]) -> Result<UserWrite, ScimError> {
        if !body.is_object() {
            return Err(ScimError::invalid_syntax("A user is a JSON object."));
        }
        let text = |name: &str| -> Result<Option<String>, ScimError> {
            match field(body, name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) if s.chars().count() <= MAX_NAME_CHARS => {
                    Ok(Some(s.trim().to_owned()))
                }
                Some(Value::String(_)) => Err(ScimError::invalid_value(format!(
                    "`{name}` is over {MAX_NAME_CHARS} characters: shorten it."
                ))),
                Some(_) => Err(ScimError::invalid_value(format!("`{name}` is a string."))),
            }
        };
        let user_name = text("userName")?.filter(|n| !n.is_empty()).ok_or_else(|| {
            ScimError::invalid_value(
                "`userName` is required: send the person's user name (usually their email).",
            )
        })?;
        let name = field(body, "name");
        let part = |key: &str| {
            name.and_then(|n| field(n, key))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .trim()
                .to_owned()
        };
        let emails = match field(body, "emails") {
            None | Some(Value::Null) => None,
            Some(Value::Array(list)) if list.len() <= MAX_EMAILS => {
                Some(Value::Array(list.clone()))
            }
            Some(_) => {
                return Err(ScimError::invalid_value(format!(
                    "`emails` is a list of at most {MAX_EMAILS} addresses."
                )))
            }
        };
        Ok(UserWrite {
            external_id: text("externalId")?,
            emails,
            active: active(field(body, "active"))?,
            first_name: part("givenName"),
            last_name: part("familyName"),
            answers: answers(field(body, EXTENSION), fields)?,
            user_name,
        })
    }

    /// Someone SCIM never wrote, as it sees them: their address is their
    /// userName and their one email.
    pub fn on_file(email: &str) -> UserWrite {
        UserWrite {
            user_name: email.to_owned(),
            external_id: None,
            emails: Some(json!([{"value": email, "type": "work", "primary": true}])),
            active: None,
            first_name: String::new(),
            last_name: String::new(),
            answers: Vec::new(),
        }
    }

    /// Active unless the provider says otherwise.
    pub fn is_active(&self) -> bool {
        self.active != Some(false)
    }

    /// The address the person is known by: the primary (or first) of
    /// `emails`, else the user name when it is an address.
    pub fn email(&self) -> Option<String> {
        let listed = self.emails.as_ref().and_then(Value::as_array);
        let value = |e: &Value| field(e, "value").and_then(Value::as_str).map(str::to_owned);
        listed
            .and_then(|l| {
                l.iter()
                    .find(|e| field(e, "primary").and_then(Value::as_bool) == Some(true))
                    .and_then(value)
                    .or_else(|| l.iter().find_map(value))
            })
            .or_else(|| {
                Email::parse(&self.user_name)
                    .ok()
                    .map(|_| self.user_name.clone())
            })
    }

    /// The person as the add form would hold them, at this address.
    pub fn form(&self, email: &str) -> PersonForm {
        PersonForm {
            email: email.to_owned(),
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            answers: self.answers.clone(),
        }
    }
}

/// `emails` as sent, with the address the person is known by (the primary
/// or first) as Roster has it now: a file import or an undo may have
/// changed it since.
pub fn with_address(emails: &Value, address: &str) -> Value {
    let mut emails = emails.clone();
    if let Some(list) = emails.as_array_mut() {
        let primary = list
            .iter()
            .position(|e| field(e, "primary").and_then(Value::as_bool) == Some(true))
            .or_else(|| list.iter().position(|e| field(e, "value").is_some()));
        if let Some(Value::Object(chosen)) = primary.and_then(|i| list.get_mut(i)) {
            let differs = chosen
                .get("value")
                .and_then(Value::as_str)
                .is_none_or(|v| crate::email::normalize(v) != crate::email::normalize(address));
            if differs {
                chosen.insert("value".into(), json!(address));
            }
        }
    }
    emails
}

/// `active`: a boolean, or (as Entra ID sends it) "True"/"False".
fn active(value: Option<&Value>) -> Result<Option<bool>, ScimError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(Some(false)),
        Some(_) => Err(ScimError::invalid_value("`active` is true or false.")),
    }
}

/// The extension's attributes as profile answers, each as a CSV cell
/// holds it (several options sent as a list are joined with ", ").
fn answers(
    extension: Option<&Value>,
    fields: &[ProfileField],
) -> Result<Vec<(String, String)>, ScimError> {
    let Some(extension) = extension.filter(|e| !e.is_null()) else {
        return Ok(Vec::new());
    };
    let Some(given) = extension.as_object() else {
        return Err(ScimError::invalid_value(format!(
            "`{EXTENSION}` is an object of profile fields."
        )));
    };
    let mut answers = Vec::with_capacity(given.len());
    // Some clients repeat the extension's `schemas` inside it.
    for (key, value) in given.iter().filter(|(k, _)| *k != "schemas") {
        let Some(f) = fields.iter().find(|f| f.key.eq_ignore_ascii_case(key)) else {
            let keys: Vec<&str> = fields.iter().map(|f| f.key.as_str()).collect();
            return Err(ScimError::invalid_path(format!(
                "The profile has no field `{key}`: its fields are {}.",
                keys.join(", ")
            )));
        };
        let cell = match value {
            Value::Null => continue,
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Array(items) => items
                .iter()
                .map(|i| {
                    i.as_str()
                        .map(str::to_owned)
                        .unwrap_or_else(|| i.to_string())
                })
                .collect::<Vec<_>>()
                .join(", "),
            _ => {
                return Err(ScimError::invalid_value(format!(
                    "`{key}` is a string{}.",
                    if f.kind == FieldKind::Number {
                        " or a number"
                    } else {
                        ""
                    }
                )))
            }
        };
        answers.push((f.key.clone(), cell));
    }
    Ok(answers)
}

/// A group a user is in, as the user's `groups` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRef {
    pub id: String,
    pub display: String,
}

/// A user as answered.
#[derive(Debug, Clone, PartialEq)]
pub struct UserView {
    pub id: i64,
    pub user_name: String,
    pub external_id: Option<String>,
    /// What to answer as `emails`: what the provider sent, or the address
    /// on file for someone it never wrote.
    pub emails: Option<Value>,
    pub active: Option<bool>,
    pub first_name: String,
    pub last_name: String,
    pub answers: Vec<(String, String)>,
    pub groups: Vec<GroupRef>,
    pub created: String,
    pub last_modified: String,
}

impl UserView {
    pub fn resource(&self, fields: &[ProfileField], base: &str) -> Map<String, Value> {
        let mut profile = Map::new();
        for (key, value) in &self.answers {
            let Some(f) = fields.iter().find(|f| &f.key == key) else {
                continue;
            };
            profile.insert(key.clone(), answer_value(f, value));
        }
        let mut user = json!({
            "schemas": if profile.is_empty() { json!([USER]) } else { json!([USER, EXTENSION]) },
            "id": self.id.to_string(),
            "userName": self.user_name,
            "name": {"givenName": self.first_name, "familyName": self.last_name},
            "meta": {
                "resourceType": "User",
                "created": self.created,
                "lastModified": self.last_modified,
                "location": format!("{base}/Users/{}", self.id)
            }
        });
        if let Some(active) = self.active {
            user["active"] = json!(active);
        }
        if let Some(id) = &self.external_id {
            user["externalId"] = json!(id);
        }
        if let Some(emails) = &self.emails {
            user["emails"] = emails.clone();
        }
        if !self.groups.is_empty() {
            user["groups"] = self
                .groups
                .iter()
                .map(|g| json!({"value": g.id, "display": g.display}))
                .collect();
        }
        if !profile.is_empty() {
            user[EXTENSION] = Value::Object(profile);
        }
        match user {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }
}

/// A stored answer as the extension's attribute: a number as a number,
/// the rest (several options too) as the text a file's cell holds.
fn answer_value(field: &ProfileField, value: &str) -> Value {
    match field.kind {
        FieldKind::Number => value
            .parse::<serde_json::Number>()
            .map_or_else(|_| json!(value), Value::Number),
        _ => json!(value),
    }
}
