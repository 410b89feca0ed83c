//! `attributes` and `excludedAttributes` (RFC 7644 §3.4.2.5): which of a
//! resource's attributes an answer carries. Named to their top-level
//! attribute (`name.givenName` keeps or drops `name` as a whole); `id`
//! and `schemas` are always answered.

use serde_json::{Map, Value};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Projection {
    only: Vec<Named>,
    excluded: Vec<Named>,
}

/// An attribute named in a request: its extension's URN (lower-case) when
/// it is an extension's, and its top-level name (lower-case; empty: the
/// extension as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Named {
    extension: Option<String>,
    name: String,
}

const ALWAYS: [&str; 3] = ["id", "schemas", "meta"];

impl Projection {
    pub fn parse(attributes: Option<&str>, excluded: Option<&str>, extensions: &[&str]) -> Self {
        let list = |text: Option<&str>| -> Vec<Named> {
            text.unwrap_or_default()
                .split(',')
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .take(100)
                .map(|n| Named::parse(n, extensions))
                .collect()
        };
        Projection {
            only: list(attributes),
            excluded: list(excluded),
        }
    }

    pub fn apply(&self, resource: &mut Map<String, Value>, extensions: &[&str]) {
        let is_extension = |key: &str| extensions.iter().any(|e| e.eq_ignore_ascii_case(key));
        let keys: Vec<String> = resource.keys().cloned().collect();
        for key in keys {
            let lower = key.to_ascii_lowercase();
            if ALWAYS.contains(&lower.as_str()) {
                continue;
            }
            if is_extension(&key) {
                self.apply_to_extension(resource, &key, &lower);
                continue;
            }
            let named = |list: &[Named]| {
                list.iter()
                    .any(|n| n.extension.is_none() && n.name == lower)
            };
            if (!self.only.is_empty() && !named(&self.only)) || named(&self.excluded) {
                resource.remove(&key);
            }
        }
    }

    fn apply_to_extension(&self, resource: &mut Map<String, Value>, key: &str, urn: &str) {
        let whole = |list: &[Named]| {
            list.iter()
                .any(|n| n.extension.as_deref() == Some(urn) && n.name.is_empty())
        };
        if whole(&self.excluded) {
            resource.remove(key);
            return;
        }
        let keep_all = self.only.is_empty() || whole(&self.only);
        if let Some(Value::Object(attributes)) = resource.get_mut(key) {
            attributes.retain(|name, _| {
                let lower = name.to_ascii_lowercase();
                let named = |list: &[Named]| {
                    list.iter()
                        .any(|n| n.extension.as_deref() == Some(urn) && n.name == lower)
                };
                (keep_all || named(&self.only)) && !named(&self.excluded)
            });
            if attributes.is_empty() {
                resource.remove(key);
            }
        }
    }
}

impl Named {
    fn parse(text: &str, extensions: &[&str]) -> Named {
        let lower = text.to_ascii_lowercase();
        let prefix = extensions
            .iter()
            .map(|e| (true, e.to_ascii_lowercase()))
            .chain([super::USER, super::GROUP].map(|c| (false, c.to_ascii_lowercase())))
            .filter(|(_, urn)| lower.starts_with(urn.as_str()))
            .max_by_key(|(_, urn)| urn.len());
        let (extension, rest) = match prefix {
            Some((is_extension, urn)) => {
                let rest = lower[urn.len()..].trim_start_matches(':').to_owned();
                (is_extension.then_some(urn), rest)
            }
            None => (None, lower),
        };
        let name = rest.split(['.', '[']).next().unwrap_or_default().to_owned();
        Named { extension, name }
    }
}
