//! Whole-column fixes (docs/importing.md, "Fixing whole columns"): each
//! one rewrites the cells of a column before the checks read them, in the
//! browser and on the server alike, for every row at once. They travel in
//! the [`Mapping`](super::Mapping), so they are remembered with it; the
//! file's rows themselves are never changed.

use super::cell_values::parse_date;
use super::mapping::Target;
use crate::{FieldKind, ProfileField};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Find-and-replace pairs one import may carry.
pub const MAX_REPLACEMENTS: usize = 50;
/// Characters in what is found or put in its place.
pub const MAX_REPLACEMENT_CHARS: usize = 255;

/// The fixes chosen on the preview.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ColumnFixes {
    /// Spaces trimmed from both ends of every mapped cell, and each run of
    /// spaces inside made one.
    #[serde(default)]
    pub trim: bool,
    /// The email column lower-cased.
    #[serde(default)]
    pub lower_case_emails: bool,
    /// Choice fields whose cells separate options with another character
    /// than a comma: field key → separator.
    #[serde(default)]
    pub separators: BTreeMap<String, Separator>,
    /// Find and replace, in order, each within the column of one target.
    #[serde(default)]
    pub replacements: Vec<Replacement>,
    /// Date fields written another way: field key → which comes first.
    #[serde(default)]
    pub dates: BTreeMap<String, DateOrder>,
}

/// What separates the options in a multi-choice cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Separator {
    Semicolon,
    Pipe,
}

impl Separator {
    pub const ALL: [Separator; 2] = [Separator::Semicolon, Separator::Pipe];

    pub fn char(self) -> char {
        match self {
            Separator::Semicolon => ';',
            Separator::Pipe => '|',
        }
    }
}

/// Every `find` in the column of `target` becomes `replace`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replacement {
    pub target: Target,
    pub find: String,
    pub replace: String,
}

/// How a date such as `05/01/2024` is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    /// 05/01/2024 is 5 January 2024.
    DayFirst,
    /// 05/01/2024 is May 1, 2024.
    MonthFirst,
}

impl DateOrder {
    pub fn label(self) -> &'static str {
        match self {
            DateOrder::DayFirst => "day first (05/01/2024 is 5 January 2024)",
            DateOrder::MonthFirst => "month first (05/01/2024 is May 1, 2024)",
        }
    }
}

/// One fix applied, as the preview lists it to undo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppliedFix {
    Trim,
    LowerCaseEmails,
    /// A field's separator.
    Separator(String, Separator),
    /// A date field's order.
    Date(String, DateOrder),
    /// A find and replace, by its place.
    Replacement(usize, Replacement),
}

/// Why a set of fixes cannot be applied, said to the person.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum FixError {
    #[error("{0} is not a field whose options are separated: choose the separator of a multiple-choice field.")]
    NotMultiple(String),
    #[error("{0} is not a date field: read dates only in a date field's column.")]
    NotADate(String),
    #[error("A find and replace names a field that no longer exists ({0}): reload the page and fix the column again.")]
    UnknownField(String),
    #[error("Find and replace needs something to find, of at most 255 characters, and a replacement of at most 255.")]
    BadReplacement,
    #[error("At most 50 find-and-replace fixes fit one import: upload a corrected file instead.")]
    TooManyReplacements,
}

impl ColumnFixes {
    pub fn is_empty(&self) -> bool {
        *self == ColumnFixes::default()
    }

    /// Checks that each fix names a field that can take it, within bounds.
    pub fn validate(&self, fields: &[ProfileField]) -> Result<(), FixError> {
        let field = |key: &str| fields.iter().find(|f| f.key == key);
        for key in self.separators.keys() {
            if !field(key).is_some_and(|f| f.kind.is_multi()) {
                return Err(FixError::NotMultiple(key.clone()));
            }
        }
        for key in self.dates.keys() {
            if !field(key).is_some_and(|f| f.kind == FieldKind::Date) {
                return Err(FixError::NotADate(key.clone()));
            }
        }
        if self.replacements.len() > MAX_REPLACEMENTS {
            return Err(FixError::TooManyReplacements);
        }
        for r in &self.replacements {
            if let Target::Field(key) = &r.target {
                if field(key).is_none() {
                    return Err(FixError::UnknownField(key.clone()));
                }
            }
            let long = |s: &str| s.chars().count() > MAX_REPLACEMENT_CHARS;
            if r.find.is_empty() || long(&r.find) || long(&r.replace) {
                return Err(FixError::BadReplacement);
            }
        }
        Ok(())
    }

    /// Every fix, in the order the preview lists them.
    pub fn applied(&self) -> Vec<AppliedFix> {
        let mut applied = Vec::new();
        if self.trim {
            applied.push(AppliedFix::Trim);
        }
        if self.lower_case_emails {
            applied.push(AppliedFix::LowerCaseEmails);
        }
        let separators = self.separators.iter();
        applied.extend(separators.map(|(k, s)| AppliedFix::Separator(k.clone(), *s)));
        applied.extend(
            self.dates
                .iter()
                .map(|(k, o)| AppliedFix::Date(k.clone(), *o)),
        );
        let replacements = self.replacements.iter().cloned().enumerate();
        applied.extend(replacements.map(|(i, r)| AppliedFix::Replacement(i, r)));
        applied
    }

    /// Takes one fix back.
    pub fn undo(&mut self, fix: &AppliedFix) {
        match fix {
            AppliedFix::Trim => self.trim = false,
            AppliedFix::LowerCaseEmails => self.lower_case_emails = false,
            AppliedFix::Separator(key, _) => _ = self.separators.remove(key),
            AppliedFix::Date(key, _) => _ = self.dates.remove(key),
            AppliedFix::Replacement(i, r) => {
                if self.replacements.get(*i) == Some(r) {
                    self.replacements.remove(*i);
                }
            }
        }
    }

    /// Whether any fix rewrites the cells of `target`'s column.
    pub fn touches(&self, target: &Target) -> bool {
        self.trim
            || (self.lower_case_emails && *target == Target::Email)
            || self.replacements.iter().any(|r| r.target == *target)
            || matches!(target, Target::Field(key)
                if self.separators.contains_key(key) || self.dates.contains_key(key))
    }

    /// The cell of `target`'s column as the fixes make it.
    pub fn fix<'c>(&self, target: &Target, cell: &'c str) -> Cow<'c, str> {
        let mut value = Cow::Borrowed(cell);
        if self.trim {
            value = trim_spaces(&value).map_or(value, Cow::Owned);
        }
        for r in self.replacements.iter().filter(|r| r.target == *target) {
            if value.contains(r.find.as_str()) {
                value = Cow::Owned(value.replace(r.find.as_str(), &r.replace));
            }
        }
        if self.lower_case_emails
            && *target == Target::Email
            && value.chars().any(char::is_uppercase)
        {
            value = Cow::Owned(value.to_lowercase());
        }
        if let Target::Field(key) = target {
            if let Some(separator) = self.separators.get(key) {
                if value.contains(separator.char()) {
                    value = Cow::Owned(value.replace(separator.char(), ","));
                }
            }
            if let Some(&order) = self.dates.get(key) {
                if let Some(iso) = read_date(&value, order) {
                    value = Cow::Owned(iso);
                }
            }
        }
        value
    }
}

/// The cell without spaces at its ends and with one space for each run
/// inside, or `None` when it has nothing to trim.
fn trim_spaces(cell: &str) -> Option<String> {
    let is_space = |c: char| c.is_whitespace();
    let tidy = cell.trim_matches(is_space);
    let runs = tidy
        .as_bytes()
        .windows(2)
        .any(|w| w[0].is_ascii_whitespace() && w[1].is_ascii_whitespace());
    if tidy.len() == cell.len() && !runs && !tidy.contains(['\u{a0}', '\t']) {
        return None;
    }
    Some(
        tidy.split(is_space)
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// A date written another way, as `YYYY-MM-DD`: `05/01/2024`, `5.1.2024`,
/// `5-1-2024` (in `order`), `2024.01.05`, `2024/1/5`, `5 Jan 2024`,
/// `January 5, 2024`. `None`: not such a date (the check then says so).
pub fn read_date(cell: &str, order: DateOrder) -> Option<String> {
    let cell = cell.trim();
    let (y, m, d) = numeric_date(cell, order).or_else(|| named_month_date(cell))?;
    let iso = format!("{y:04}-{m:02}-{d:02}");
    parse_date(&iso).map(|_| iso)
}

fn numeric_date(cell: &str, order: DateOrder) -> Option<(u32, u32, u32)> {
    let parts: Vec<&str> = cell.split(['/', '.', '-']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let digits = |s: &str, lens: &[usize]| {
        (lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())?
    };
    if let (Some(y), Some(m), Some(d)) = (digits(a, &[4]), digits(b, &[1, 2]), digits(c, &[1, 2])) {
        return Some((y, m, d));
    }
    let (first, second, y) = (digits(a, &[1, 2])?, digits(b, &[1, 2])?, digits(c, &[4])?);
    Some(match order {
        DateOrder::DayFirst => (y, second, first),
        DateOrder::MonthFirst => (y, first, second),
    })
}

/// `5 Jan 2024`, `5 January 2024`, `Jan 5, 2024`, `January 5 2024`.
fn named_month_date(cell: &str) -> Option<(u32, u32, u32)> {
    let words: Vec<&str> = cell
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let [a, b, c] = words.as_slice() else {
        return None;
    };
    let year: u32 = (c.len() == 4).then(|| c.parse().ok())??;
    match (month(a), month(b)) {
        (None, Some(m)) => Some((year, m, a.parse().ok()?)),
        (Some(m), None) => Some((year, m, b.parse().ok()?)),
        _ => None,
    }
}

fn month(word: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let word = word.trim_end_matches('.').to_lowercase();
    if word.len() < 3 {
        return None;
    }
    let index = MONTHS.iter().position(|m| m.starts_with(&word))?;
    u32::try_from(index + 1).ok()
}

/// What a date column's cells say about how they are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DateWriting {
    /// Cells that are dates read one way or another, but not `YYYY-MM-DD`.
    pub other_way: usize,
    /// Such cells only day-first can read (such as `25/01/2024`).
    pub only_day_first: usize,
    /// Such cells only month-first can read (such as `01/25/2024`).
    pub only_month_first: usize,
}

impl DateWriting {
    /// Looks at a date column's cells.
    pub fn of<'c>(cells: impl IntoIterator<Item = &'c str>) -> DateWriting {
        let mut seen = DateWriting::default();
        for cell in cells {
            let cell = cell.trim();
            if cell.is_empty() || parse_date(cell).is_some() {
                continue;
            }
            let day = read_date(cell, DateOrder::DayFirst).is_some();
            let month = read_date(cell, DateOrder::MonthFirst).is_some();
            seen.other_way += usize::from(day || month);
            seen.only_day_first += usize::from(day && !month);
            seen.only_month_first += usize::from(month && !day);
        }
        seen
    }

    /// The readings that fit every cell: both when the file cannot tell
    /// (the admin is asked), one when it can, none when the cells disagree.
    pub fn orders(&self) -> Vec<DateOrder> {
        let mut orders = Vec::new();
        if self.only_month_first == 0 {
            orders.push(DateOrder::DayFirst);
        }
        if self.only_day_first == 0 {
            orders.push(DateOrder::MonthFirst);
        }
        orders
    }
}

/// Splits a full name: "Lee, Ann" is Last, First; otherwise the last word
/// is the last name and the words before it the first name. `None`: one
/// word, or an empty side of the comma.
pub fn split_full_name(cell: &str) -> Option<(String, String)> {
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some((last, first)) = cell.split_once(',') {
        let (first, last) = (words(first), words(last));
        return (!first.is_empty() && !last.is_empty() && !first.contains(','))
            .then_some((first, last));
    }
    let mut parts: Vec<&str> = cell.split_whitespace().collect();
    let last = parts.pop()?;
    (!parts.is_empty()).then(|| (parts.join(" "), last.to_owned()))
}

/// The rule [`split_full_name`] follows, as the Map step shows it.
pub const FULL_NAME_RULE: &str =
    "The last word is the last name (Ann Marie Lee → Ann Marie, Lee); with a comma, last name first (Lee, Ann → Ann, Lee).";

#[cfg(test)]
#[path = "column_fixes_tests.rs"]
mod tests;
