//! The cells of one data row.

use serde::{Deserialize, Serialize};

/// The cells of one row, kept in one string: two allocations a row
/// instead of one a cell, which is most of the cost of reading a big file
/// (in wasm above all). Sent and received as a list of strings.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Cells {
    text: String,
    /// Where each cell ends in `text`.
    ends: Vec<usize>,
}

impl Cells {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)?;
        let start = match index {
            0 => 0,
            _ => self.ends[index - 1],
        };
        self.text.get(start..end)
    }

    /// The bytes of all the cells' text.
    pub fn text_len(&self) -> usize {
        self.text.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).filter_map(|index| self.get(index))
    }

    pub fn push(&mut self, cell: &str) {
        self.text.push_str(cell);
        self.ends.push(self.text.len());
    }

    /// Sets one cell; a short (ragged) row grows with empty cells up to it.
    pub fn set(&mut self, index: usize, value: &str) {
        let mut cells = Cells::default();
        for i in 0..self.len().max(index + 1) {
            cells.push(if i == index {
                value
            } else {
                self.get(i).unwrap_or("")
            });
        }
        *self = cells;
    }

    /// A row from its cells' text, one after another, and where each ends.
    pub(super) fn from_parts(text: String, ends: Vec<usize>) -> Self {
        Cells { text, ends }
    }
}

impl<'c> FromIterator<&'c str> for Cells {
    fn from_iter<I: IntoIterator<Item = &'c str>>(cells: I) -> Self {
        let mut row = Cells::default();
        for cell in cells {
            row.push(cell);
        }
        row
    }
}

impl From<Vec<String>> for Cells {
    fn from(cells: Vec<String>) -> Self {
        cells.iter().map(String::as_str).collect()
    }
}

impl<const N: usize> PartialEq<[&str; N]> for Cells {
    fn eq(&self, other: &[&str; N]) -> bool {
        self.len() == N && self.iter().eq(other.iter().copied())
    }
}

impl std::fmt::Debug for Cells {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for Cells {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Cells {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<String>::deserialize(deserializer).map(Cells::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// A row edited in place keeps its other cells; a short row grows.
        #[test]
        fn setting_a_cell_changes_only_that_cell(
            cells in proptest::collection::vec("[a-zé\"]{0,4}", 0..6),
            index in 0usize..8,
            value in "[a-z]{0,4}",
        ) {
            let mut row: Cells = cells.iter().map(String::as_str).collect();
            row.set(index, &value);
            let mut expected = cells.clone();
            if expected.len() <= index {
                expected.resize(index + 1, String::new());
            }
            expected[index] = value;
            proptest::prop_assert_eq!(row.iter().collect::<Vec<_>>(), expected);
            let json = serde_json::to_string(&row).unwrap();
            proptest::prop_assert_eq!(serde_json::from_str::<Cells>(&json).unwrap(), row);
        }
    }
}
