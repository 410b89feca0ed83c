//! One cell's value checked against its profile field: options (and the
//! option a typo most likely meant), numbers, dates, yes/no, roles and
//! lengths; each writes the canonical value that gets stored.

use super::value_maps::FieldValueMap;
use crate::text::{longer_than, thousands};
use crate::{FieldKind, ProfileField, Role, Roles};

/// The longest first or last name: longer ones are data in the wrong
/// column, and PostgreSQL cannot index a name of several kilobytes.
pub const MAX_NAME_CHARS: usize = 200;
/// The longest answer to a text field, and to a paragraph field.
pub const MAX_ANSWER_CHARS: usize = 2_000;
pub const MAX_PARAGRAPH_CHARS: usize = 10_000;

/// Roles as a Role column holds them: names separated by commas.
pub fn parse_roles(value: &str) -> Result<Roles, String> {
    let mut roles = Roles::empty();
    for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        match Role::parse(name) {
            Some(role) => roles = roles.with(role),
            None => {
                return Err(format!(
                    "“{name}” is not a role: use Mentor, Mentee, Teacher or Admin, several separated by commas."
                ))
            }
        }
    }
    if roles.is_empty() {
        return Err(
            "Role is empty: give each person at least one role (Mentor, Mentee, Teacher or Admin)."
                .into(),
        );
    }
    Ok(roles)
}

/// What a spreadsheet shows in a cell whose formula failed (Excel's and
/// LibreOffice's words): a workbook's error cell reads as one, and a CSV
/// saved from a sheet holds the same text.
const SPREADSHEET_ERRORS: [&str; 11] = [
    "#N/A",
    "#REF!",
    "#VALUE!",
    "#DIV/0!",
    "#NAME?",
    "#NULL!",
    "#NUM!",
    "#SPILL!",
    "#CALC!",
    "#GETTING_DATA",
    "#DATA!",
];

/// The cell holds a spreadsheet's error instead of a value.
pub(super) fn is_spreadsheet_error(value: &str) -> bool {
    value.starts_with('#') && SPREADSHEET_ERRORS.contains(&value)
}

pub(super) type AnswerError = (String, Option<String>);

/// Checks one non-empty cell against its field and writes the canonical
/// value — what gets stored: options joined with ", ", dates as
/// YYYY-MM-DD — to `out`. `chosen` is scratch space.
pub(super) fn write_answer<'f>(
    field: &'f ProfileField,
    value: &str,
    mapped: Option<&FieldValueMap>,
    out: &mut String,
    chosen: &mut Vec<&'f str>,
) -> Result<(), AnswerError> {
    match field.kind {
        FieldKind::Text | FieldKind::Paragraph => {
            let max = if field.kind == FieldKind::Text {
                MAX_ANSWER_CHARS
            } else {
                MAX_PARAGRAPH_CHARS
            };
            if longer_than(value, max) {
                return Err((
                    format!(
                        "{} is too long: use at most {} characters.",
                        field.title,
                        thousands(max)
                    ),
                    None,
                ));
            }
            out.push_str(value);
        }
        FieldKind::PickOne => out.push_str(check_option(field, value, mapped)?),
        FieldKind::PickMultiple | FieldKind::OrderedOptions => {
            chosen.clear();
            for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                let option = check_option(field, part, mapped)?;
                if chosen.contains(&option) {
                    return Err((
                        format!(
                            "“{option}” is listed twice in {}: list each answer once.",
                            field.title
                        ),
                        None,
                    ));
                }
                if !chosen.is_empty() {
                    out.push_str(", ");
                }
                out.push_str(option);
                chosen.push(option);
            }
        }
        FieldKind::Date => {
            let date = parse_date(value).ok_or_else(|| {
                (
                    format!(
                        "{} must be a date written as YYYY-MM-DD, such as 2024-03-31.",
                        field.title
                    ),
                    None,
                )
            })?;
            date.write_to(out);
        }
        FieldKind::Number => match value.parse::<f64>() {
            Ok(n)
                if n.is_finite()
                    && !value.contains(['e', 'E'])
                    && !value.eq_ignore_ascii_case("nan") =>
            {
                out.push_str(value);
            }
            _ => {
                return Err((
                    format!(
                        "{} must be a number, such as 12 or 3.5 (no thousands separators).",
                        field.title
                    ),
                    None,
                ))
            }
        },
    }
    Ok(())
}

/// The option `value` is, or the one the admin mapped it to.
pub(super) fn check_option<'f>(
    field: &'f ProfileField,
    value: &str,
    mapped: Option<&FieldValueMap>,
) -> Result<&'f str, AnswerError> {
    let meant = mapped
        .and_then(|m| m.get(value))
        .map_or(value, String::as_str);
    if let Some(option) = field.options.iter().find(|o| o.as_str() == meant) {
        return Ok(option);
    }
    let suggestion = near_match(value, &field.options).map(str::to_owned);
    let hint = match &suggestion {
        Some(s) => format!(" Did you mean “{s}”?"),
        None => String::new(),
    };
    Err((
        format!(
            "“{value}” is not one of the {} options.{hint} Answers must match exactly: {}.",
            field.title,
            field.options.join(", ")
        ),
        suggestion,
    ))
}

/// The option a mistyped answer most likely meant: the same letters in
/// another case or punctuation, or within a small edit distance.
pub fn near_match<'o>(value: &str, options: &'o [String]) -> Option<&'o str> {
    let folded = super::mapping::fold(value);
    if let Some(o) = options.iter().find(|o| super::mapping::fold(o) == folded) {
        return Some(o);
    }
    let lower = value.to_lowercase();
    let length = lower.chars().count();
    let budget = (length / 4).clamp(1, 3);
    options
        .iter()
        // Words whose lengths differ by more than the budget cannot be
        // within it: a long cell is never compared letter by letter.
        .filter(|o| o.chars().count().abs_diff(length) <= budget)
        .map(|o| (edit_distance(&lower, &o.to_lowercase()), o))
        .filter(|(d, _)| *d <= budget)
        .min_by_key(|(d, _)| *d)
        .map(|(_, o)| o.as_str())
}

pub(super) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        current.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

/// A calendar date; shown as YYYY-MM-DD.
pub(super) struct Date {
    year: u32,
    month: u32,
    day: u32,
}

impl Date {
    /// Writes YYYY-MM-DD digit by digit: `write!` with widths costs several
    /// times more, and every date cell of a file goes through here.
    pub(super) fn write_to(&self, out: &mut String) {
        let digits = |out: &mut String, n: u32, width: u32| {
            for place in (0..width).rev() {
                out.extend(char::from_digit(n / 10u32.pow(place) % 10, 10));
            }
        };
        digits(out, self.year, 4);
        out.push('-');
        digits(out, self.month, 2);
        out.push('-');
        digits(out, self.day, 2);
    }
}

/// A calendar date written as YYYY-MM-DD (single-digit months and days accepted).
pub(super) fn parse_date(value: &str) -> Option<Date> {
    let mut parts = value.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some()
        || y.len() != 4
        || !(1..=2).contains(&m.len())
        || !(1..=2).contains(&d.len())
    {
        return None;
    }
    let (y, m, d): (u32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days).contains(&d).then_some(Date {
        year: y,
        month: m,
        day: d,
    })
}
