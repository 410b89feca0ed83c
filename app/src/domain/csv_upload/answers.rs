//! The profile answers of one checked row.

use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Field key → canonical value, in field order, for a row's mapped,
/// non-empty cells. The values share one string and the keys are shared
/// with the checker, so a row's answers cost two allocations however many
/// fields it fills: a 100,000-row file is checked (and dropped) far faster.
/// Sent and received as a list of `[key, value]` pairs.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Answers {
    text: String,
    /// Each answer's field key and where its value ends in `text`.
    keys: Vec<(Arc<str>, usize)>,
}

impl Answers {
    /// Room for `answers` answers of `bytes` bytes in all.
    pub fn with_capacity(answers: usize, bytes: usize) -> Self {
        Answers {
            text: String::with_capacity(bytes),
            keys: Vec::with_capacity(answers),
        }
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// `(field key, value)` in field order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        let starts = std::iter::once(0).chain(self.keys.iter().map(|(_, end)| *end));
        self.keys
            .iter()
            .zip(starts)
            .map(|((key, end), start)| (&**key, self.text.get(start..*end).unwrap_or("")))
    }

    /// The value given for this field key, if any.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    pub fn push(&mut self, key: Arc<str>, value: &str) {
        self.text.push_str(value);
        self.end(key);
    }

    /// The string the next value is written to, before [`Self::end`].
    pub(super) fn value_buffer(&mut self) -> &mut String {
        &mut self.text
    }

    /// Ends the value written to [`Self::value_buffer`] since the last answer.
    pub(super) fn end(&mut self, key: Arc<str>) {
        self.keys.push((key, self.text.len()));
    }

    /// Drops what was written since the last answer (a value found wrong
    /// halfway).
    pub(super) fn discard_unended(&mut self) {
        let end = self.keys.last().map_or(0, |(_, end)| *end);
        self.text.truncate(end);
    }
}

impl std::fmt::Debug for Answers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Serialize for Answers {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Answers {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let pairs = Vec::<(String, String)>::deserialize(deserializer)?;
        let mut answers = Answers::default();
        for (key, value) in pairs {
            answers.push(key.into(), &value);
        }
        Ok(answers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// What goes in comes out, in order, and survives the wire.
        #[test]
        fn answers_keep_their_keys_values_and_order(
            pairs in proptest::collection::vec(("[a-z]{1,6}", "[a-zé, ]{0,6}"), 0..8),
        ) {
            let mut answers = Answers::default();
            for (key, value) in &pairs {
                answers.push(key.as_str().into(), value);
                // A value abandoned halfway leaves no trace.
                answers.value_buffer().push_str("half-written");
                answers.discard_unended();
            }
            let read: Vec<(String, String)> =
                answers.iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
            proptest::prop_assert_eq!(&read, &pairs);
            let json = serde_json::to_string(&answers).unwrap();
            proptest::prop_assert_eq!(json.clone(), serde_json::to_string(&pairs).unwrap());
            proptest::prop_assert_eq!(serde_json::from_str::<Answers>(&json).unwrap(), answers);
        }
    }
}
