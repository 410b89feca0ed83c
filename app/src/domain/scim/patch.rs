//! PATCH (RFC 7644 §3.5.2) on a resource as JSON: each operation's path
//! worked out (`active`, `name.givenName`, `emails[type eq "work"].value`,
//! an extension's URN and attribute), then added, replaced or removed.
//! The server reads the resource, applies the operations here, and writes
//! the result as a whole, the way a PUT would.

use super::{Filter, ScimError};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Add,
    Remove,
    Replace,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PatchOp {
    pub op: Op,
    path: Option<Path>,
    pub value: Option<Value>,
}

/// Where an operation applies: an attribute of the resource or of one of
/// its extensions, perhaps the elements a filter picks, perhaps one
/// sub-attribute.
#[derive(Debug, Clone, PartialEq)]
struct Path {
    /// The extension's URN, for its attributes; `None`: the core schema.
    extension: Option<String>,
    /// `None`: the extension as a whole.
    attribute: Option<String>,
    filter: Option<Filter>,
    sub: Option<String>,
}

/// Operations one request may carry.
const MAX_OPERATIONS: usize = 1_000;
/// The core schemas, whose URN may prefix an attribute's path.
const CORE: [&str; 2] = [super::USER, super::GROUP];

impl PatchOp {
    /// The operations of a PATCH request's body. `extensions`: the URNs of
    /// the resource's extension schemas.
    pub fn parse_request(body: &Value, extensions: &[&str]) -> Result<Vec<PatchOp>, ScimError> {
        let operations = field(body, "Operations")
            .and_then(Value::as_array)
            .ok_or_else(|| {
                ScimError::invalid_syntax("A PATCH request carries its changes in `Operations`.")
            })?;
        if operations.len() > MAX_OPERATIONS {
            return Err(ScimError::new(
                400,
                Some("tooMany"),
                format!("A PATCH request carries at most {MAX_OPERATIONS} operations."),
            ));
        }
        operations
            .iter()
            .map(|o| PatchOp::parse(o, extensions))
            .collect()
    }

    fn parse(operation: &Value, extensions: &[&str]) -> Result<PatchOp, ScimError> {
        let op = match field(operation, "op").and_then(Value::as_str) {
            Some(op) if op.eq_ignore_ascii_case("add") => Op::Add,
            Some(op) if op.eq_ignore_ascii_case("remove") => Op::Remove,
            Some(op) if op.eq_ignore_ascii_case("replace") => Op::Replace,
            _ => {
                return Err(ScimError::invalid_syntax(
                    "Each operation's `op` is add, remove or replace.",
                ))
            }
        };
        let path = match field(operation, "path").and_then(Value::as_str) {
            Some(text) => Some(Path::parse(text, extensions)?),
            None => None,
        };
        let value = field(operation, "value").cloned();
        if op == Op::Remove && path.is_none() {
            return Err(ScimError::new(
                400,
                Some("noTarget"),
                "A remove operation names the attribute it removes in `path`.",
            ));
        }
        if op != Op::Remove && value.is_none() {
            return Err(ScimError::invalid_value(
                "An add or replace operation carries a `value`.",
            ));
        }
        if path.is_none() && !value.as_ref().is_some_and(Value::is_object) {
            return Err(ScimError::invalid_value(
                "An operation without a `path` carries an object of attributes as its `value`.",
            ));
        }
        Ok(PatchOp { op, path, value })
    }

    /// Applies the operation to `resource`, a JSON object.
    pub fn apply(
        &self,
        resource: &mut Map<String, Value>,
        extensions: &[&str],
    ) -> Result<(), ScimError> {
        match (&self.path, &self.value) {
            (Some(path), value) => apply_at(resource, self.op, path, value.clone()),
            (None, Some(Value::Object(attributes))) => {
                for (key, value) in attributes {
                    let path = Path::parse(key, extensions)?;
                    apply_at(resource, self.op, &path, Some(value.clone()))?;
                }
                Ok(())
            }
            (None, _) => Err(ScimError::invalid_value(
                "An operation without a `path` needs an object.",
            )),
        }
    }
}

impl Path {
    fn parse(text: &str, extensions: &[&str]) -> Result<Path, ScimError> {
        let bad = || {
            ScimError::invalid_path(format!(
                "`{text}` is not an attribute path this service knows."
            ))
        };
        let lower = text.to_ascii_lowercase();
        let mut extension = None;
        let mut rest = text;
        if lower.starts_with("urn:") {
            let schema = extensions
                .iter()
                .map(|e| (Some(*e), *e))
                .chain(CORE.iter().map(|c| (None, *c)))
                .filter(|(_, urn)| lower.starts_with(&urn.to_ascii_lowercase()))
                .max_by_key(|(_, urn)| urn.len())
                .ok_or_else(bad)?;
            extension = schema.0.map(str::to_owned);
            rest = &text[schema.1.len()..];
            rest = match rest.strip_prefix(':') {
                Some(after) => after,
                None if rest.is_empty() && extension.is_some() => "",
                None => return Err(bad()),
            };
        }
        if rest.is_empty() {
            return Ok(Path {
                extension,
                attribute: None,
                filter: None,
                sub: None,
            });
        }
        let (head, filter, tail) = match rest.split_once('[') {
            Some((head, after)) => {
                let (inside, tail) = after.split_once(']').ok_or_else(bad)?;
                let filter = Filter::parse(inside).map_err(|_| bad())?;
                (head, Some(filter), tail)
            }
            None => match rest.split_once('.') {
                Some((head, _)) => (head, None, &rest[head.len()..]),
                None => (rest, None, ""),
            },
        };
        let sub = match tail {
            "" => None,
            t => Some(
                t.strip_prefix('.')
                    .filter(|s| !s.is_empty())
                    .ok_or_else(bad)?
                    .to_owned(),
            ),
        };
        if head.is_empty()
            || !head
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '-')
        {
            return Err(bad());
        }
        Ok(Path {
            extension,
            attribute: Some(head.to_owned()),
            filter,
            sub,
        })
    }
}

/// A JSON object's member, its name matched regardless of case (SCIM's
/// attribute names are case-insensitive).
pub(super) fn field<'v>(value: &'v Value, name: &str) -> Option<&'v Value> {
    let object = value.as_object()?;
    object.get(name).or_else(|| {
        object
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

/// The key `name` has in `object`, whatever its case, or `name` itself.
fn key_in(object: &Map<String, Value>, name: &str) -> String {
    object
        .keys()
        .find(|k| k.eq_ignore_ascii_case(name))
        .cloned()
        .unwrap_or_else(|| name.to_owned())
}

fn apply_at(
    resource: &mut Map<String, Value>,
    op: Op,
    path: &Path,
    value: Option<Value>,
) -> Result<(), ScimError> {
    let container = match &path.extension {
        None => resource,
        Some(urn) => {
            let key = key_in(resource, urn);
            if path.attribute.is_none() {
                // The extension as a whole.
                return set(resource, &key, op, value);
            }
            match resource
                .entry(key)
                .or_insert_with(|| Value::Object(Map::new()))
            {
                Value::Object(object) => object,
                _ => {
                    return Err(ScimError::invalid_path(format!(
                        "`{urn}` is not an object."
                    )))
                }
            }
        }
    };
    let Some(attribute) = &path.attribute else {
        return Ok(());
    };
    let key = key_in(container, attribute);
    match (&path.filter, &path.sub) {
        (None, None) => set(container, &key, op, value),
        (None, Some(sub)) => {
            let target = container
                .entry(key)
                .or_insert_with(|| Value::Object(Map::new()));
            match target {
                Value::Object(object) => {
                    let sub_key = key_in(object, sub);
                    set(object, &sub_key, op, value)
                }
                Value::Array(elements) => {
                    for element in elements.iter_mut().filter_map(Value::as_object_mut) {
                        let sub_key = key_in(element, sub);
                        set(element, &sub_key, op, value.clone())?;
                    }
                    Ok(())
                }
                _ => Err(ScimError::invalid_path(format!(
                    "`{attribute}` has no sub-attributes."
                ))),
            }
        }
        (Some(filter), sub) => apply_filtered(container, &key, op, filter, sub.as_deref(), value),
    }
}

/// An operation on the elements of a multi-valued attribute that a filter
/// picks (`emails[type eq "work"].value`).
fn apply_filtered(
    container: &mut Map<String, Value>,
    key: &str,
    op: Op,
    filter: &Filter,
    sub: Option<&str>,
    value: Option<Value>,
) -> Result<(), ScimError> {
    let elements = match container
        .entry(key.to_owned())
        .or_insert_with(|| Value::Array(Vec::new()))
    {
        Value::Array(elements) => elements,
        _ => {
            return Err(ScimError::invalid_path(format!(
                "`{key}` is not multi-valued."
            )))
        }
    };
    let matches = |e: &Value| {
        field(e, &filter.attribute).is_some_and(|v| match v {
            Value::String(s) => s.eq_ignore_ascii_case(&filter.value),
            // `primary eq true`, `value eq 42`: the filter's literal as JSON.
            other => serde_json::from_str::<Value>(&filter.value).is_ok_and(|v| v == *other),
        })
    };
    let found = elements.iter().any(matches);
    match (op, sub) {
        (Op::Remove, None) => elements.retain(|e| !matches(e)),
        (_, Some(sub)) => {
            if !found && op != Op::Remove {
                // `replace emails[type eq "work"].value` on someone with no
                // work address gives them one.
                let mut element = Map::new();
                element.insert(
                    filter.attribute.clone(),
                    Value::String(filter.value.clone()),
                );
                elements.push(Value::Object(element));
            }
            for element in elements.iter_mut().filter(|e| matches(e)) {
                if let Value::Object(object) = element {
                    let sub_key = key_in(object, sub);
                    set(object, &sub_key, op, value.clone())?;
                }
            }
        }
        (_, None) => {
            let Some(Value::Object(given)) = value else {
                return Err(ScimError::invalid_value(
                    "A filtered add or replace carries an object.",
                ));
            };
            for element in elements.iter_mut().filter(|e| matches(e)) {
                if let Value::Object(object) = element {
                    for (k, v) in &given {
                        object.insert(key_in(object, k), v.clone());
                    }
                }
            }
        }
    }
    if elements.is_empty() {
        container.remove(key);
    }
    Ok(())
}

/// One attribute of an object added to, replaced or removed.
fn set(
    object: &mut Map<String, Value>,
    key: &str,
    op: Op,
    value: Option<Value>,
) -> Result<(), ScimError> {
    match (op, value) {
        (Op::Remove, Some(Value::Array(gone))) if object.get(key).is_some_and(Value::is_array) => {
            // Entra ID removes group members by listing them as the value.
            if let Some(Value::Array(elements)) = object.get_mut(key) {
                elements.retain(|e| !gone.iter().any(|g| same_value(e, g)));
                if elements.is_empty() {
                    object.remove(key);
                }
            }
        }
        (Op::Remove, _) | (_, Some(Value::Null)) | (_, None) => {
            object.remove(key);
        }
        (Op::Add, Some(Value::Array(more))) => match object.get_mut(key) {
            Some(Value::Array(elements)) => {
                for element in more {
                    if !elements.iter().any(|e| same_value(e, &element)) {
                        elements.push(element);
                    }
                }
            }
            _ => {
                object.insert(key.to_owned(), Value::Array(more));
            }
        },
        (_, Some(Value::Object(given))) if object.get(key).is_some_and(Value::is_object) => {
            if let Some(Value::Object(existing)) = object.get_mut(key) {
                for (k, v) in given {
                    let k = key_in(existing, &k);
                    if v.is_null() {
                        existing.remove(&k);
                    } else {
                        existing.insert(k, v);
                    }
                }
            }
        }
        (_, Some(value)) => {
            object.insert(key.to_owned(), value);
        }
    }
    Ok(())
}

/// Two elements of a multi-valued attribute are the same when their
/// `value`s are (or, without one, when they are equal).
fn same_value(a: &Value, b: &Value) -> bool {
    match (field(a, "value"), field(b, "value")) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}
