//! The instance definition (tracks, profile fields, settings) from TOML.
//!
//! A bad file gets an error naming its line and the problem, so whoever
//! edits it can fix it without reading code.

use app::domain::FieldKind;
use serde::Deserialize;
use std::collections::HashSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

pub const DEFAULT_UPLOAD_ROW_LIMIT: i64 = 1_000;
pub const DEFAULT_EMAIL_HOLD_MINUTES: i64 = 10;
/// Until an instance names its platform's sign-in page.
const DEFAULT_SIGN_IN_URL: &str = "https://mentoring.example.com/sign-in";
const BUILT_IN_TITLES: [&str; 3] = ["first name", "last name", "email"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceDefinition {
    pub name: String,
    pub license_limit: i64,
    pub upload_row_limit: i64,
    pub track_admins_use_global_pool: bool,
    pub email_hold_minutes: i64,
    /// Where the people added sign in to the mentoring platform (the
    /// `{sign_in_link}` of system emails).
    pub sign_in_url: String,
    pub tracks: Vec<TrackDefinition>,
    pub profile_fields: Vec<FieldDefinition>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackDefinition {
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDefinition {
    pub key: String,
    pub title: String,
    pub kind: FieldKind,
    pub required: bool,
    pub options: Vec<String>,
    /// Holds the people's ID in other systems (at most one field).
    pub external_id: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum InstanceFileError {
    #[error("cannot read the instance file {path}: {source}. Check ROSTER_INSTANCE names a readable TOML file.")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}, line {line}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInstance {
    name: Spanned<String>,
    license_limit: Spanned<i64>,
    upload_row_limit: Option<Spanned<i64>>,
    #[serde(default)]
    track_admins_use_global_pool: bool,
    email_hold_minutes: Option<Spanned<i64>>,
    sign_in_url: Option<Spanned<String>>,
    #[serde(default)]
    tracks: Vec<Spanned<RawTrack>>,
    #[serde(default)]
    profile_fields: Vec<Spanned<RawField>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTrack {
    slug: Spanned<String>,
    name: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    key: Spanned<String>,
    title: Spanned<String>,
    #[serde(rename = "type")]
    kind: Spanned<String>,
    #[serde(default)]
    required: bool,
    options: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    external_id: Option<Spanned<bool>>,
}

pub fn load(path: &Path) -> Result<InstanceDefinition, InstanceFileError> {
    let text = std::fs::read_to_string(path).map_err(|source| InstanceFileError::Read {
        path: path.to_owned(),
        source,
    })?;
    parse(&text).map_err(|(span, message)| InstanceFileError::Invalid {
        path: path.to_owned(),
        line: line_of(&text, span.start),
        message,
    })
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

type Problem = (Range<usize>, String);

fn problem<T>(span: Range<usize>, message: impl Into<String>) -> Result<T, Problem> {
    Err((span, message.into()))
}

/// Parses and checks a definition; a problem comes with where it is.
pub fn parse(text: &str) -> Result<InstanceDefinition, Problem> {
    let raw: RawInstance = toml::from_str(text).map_err(|e| {
        let message = e.message().trim_end_matches('\n').to_owned();
        (e.span().unwrap_or(0..0), format!("{message}."))
    })?;

    let name = raw.name.get_ref().trim().to_owned();
    if name.is_empty() {
        return problem(
            raw.name.span(),
            "`name` is empty: give the instance a name.",
        );
    }
    let license_limit = in_range(&raw.license_limit, "license_limit", 0, 10_000_000)?;
    let upload_row_limit = match &raw.upload_row_limit {
        Some(v) => in_range(v, "upload_row_limit", 1, 1_000_000)?,
        None => DEFAULT_UPLOAD_ROW_LIMIT,
    };
    let email_hold_minutes = match &raw.email_hold_minutes {
        Some(v) => in_range(v, "email_hold_minutes", 0, 7 * 24 * 60)?,
        None => DEFAULT_EMAIL_HOLD_MINUTES,
    };
    let sign_in_url = match &raw.sign_in_url {
        Some(v) => {
            let url = v.get_ref().trim();
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return problem(
                    v.span(),
                    "`sign_in_url` must be a web address starting with https:// (where people sign in to the platform).",
                );
            }
            url.to_owned()
        }
        None => DEFAULT_SIGN_IN_URL.to_owned(),
    };

    let tracks = parse_tracks(&raw.tracks)?;
    let fields = parse_fields(&raw.profile_fields)?;

    Ok(InstanceDefinition {
        name,
        license_limit,
        upload_row_limit,
        track_admins_use_global_pool: raw.track_admins_use_global_pool,
        email_hold_minutes,
        sign_in_url,
        tracks,
        profile_fields: fields,
    })
}

/// The tracks: at least one, each with a slug usable in a web address.
fn parse_tracks(raw: &[Spanned<RawTrack>]) -> Result<Vec<TrackDefinition>, Problem> {
    if raw.is_empty() {
        return problem(
            0..0,
            "no tracks: add at least one [[tracks]] table with a slug and a name.",
        );
    }
    let mut slugs = HashSet::new();
    let mut tracks = Vec::with_capacity(raw.len());
    for track in raw {
        let t = track.get_ref();
        let slug = t.slug.get_ref().trim();
        if slug.is_empty()
            || !slug
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return problem(
                t.slug.span(),
                format!("track slug {slug:?} is not usable in a web address: use lowercase letters, digits and hyphens."),
            );
        }
        if !slugs.insert(slug.to_owned()) {
            return problem(
                t.slug.span(),
                format!("track slug {slug:?} is used twice: give each track its own slug."),
            );
        }
        let track_name = t.name.get_ref().trim();
        if track_name.is_empty() {
            return problem(
                t.name.span(),
                "track name is empty: give the track a name admins will recognise.",
            );
        }
        tracks.push(TrackDefinition {
            slug: slug.to_owned(),
            name: track_name.to_owned(),
        });
    }
    Ok(tracks)
}

/// The profile fields: keys and titles unique, types known, options fit.
fn parse_fields(raw: &[Spanned<RawField>]) -> Result<Vec<FieldDefinition>, Problem> {
    let mut keys = HashSet::new();
    let mut titles = HashSet::new();
    let mut id_field: Option<String> = None;
    let mut fields = Vec::with_capacity(raw.len());
    for field in raw {
        let f = field.get_ref();
        let key = f.key.get_ref().trim();
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return problem(
                f.key.span(),
                format!("field key {key:?} must be lowercase letters, digits and underscores."),
            );
        }
        if !keys.insert(key.to_owned()) {
            return problem(
                f.key.span(),
                format!("field key {key:?} is used twice: give each field its own key."),
            );
        }
        let title = f.title.get_ref().trim();
        if title.is_empty() {
            return problem(
                f.title.span(),
                "field title is empty: it is what admins and CSV headers call the field.",
            );
        }
        let folded = title.to_lowercase();
        if BUILT_IN_TITLES.contains(&folded.as_str()) {
            return problem(
                f.title.span(),
                format!("{title:?} is built in (First Name, Last Name and Email always come first): remove this field."),
            );
        }
        if !titles.insert(folded) {
            return problem(
                f.title.span(),
                format!(
                    "field title {title:?} is used twice: CSV headers could not tell them apart."
                ),
            );
        }
        let Some(kind) = FieldKind::parse(f.kind.get_ref().trim()) else {
            let known: Vec<&str> = FieldKind::ALL.iter().map(|k| k.as_str()).collect();
            return problem(
                f.kind.span(),
                format!(
                    "unknown field type {:?}: use one of {}.",
                    f.kind.get_ref(),
                    known.join(", ")
                ),
            );
        };
        let options = check_options(kind, title, f, field.span())?;
        let external_id = check_external_id(f, kind, title, &mut id_field)?;
        fields.push(FieldDefinition {
            key: key.to_owned(),
            title: title.to_owned(),
            kind,
            required: f.required,
            options,
            external_id,
        });
    }
    Ok(fields)
}

/// `external_id = true` names the field of the people's ID in other
/// systems: one short value, so text or number, and one field at most.
fn check_external_id(
    f: &RawField,
    kind: FieldKind,
    title: &str,
    id_field: &mut Option<String>,
) -> Result<bool, Problem> {
    let Some(flag) = &f.external_id else {
        return Ok(false);
    };
    if !*flag.get_ref() {
        return Ok(false);
    }
    if !kind.can_be_an_id() {
        return problem(
            flag.span(),
            format!("{title:?} is a {kind} field: an external ID must be a text or number field."),
        );
    }
    if let Some(first) = id_field.replace(title.to_owned()) {
        return problem(
            flag.span(),
            format!(
                "{first:?} is already the external ID: name one field only, as people are found by one ID."
            ),
        );
    }
    Ok(true)
}

fn in_range(value: &Spanned<i64>, key: &str, min: i64, max: i64) -> Result<i64, Problem> {
    let v = *value.get_ref();
    if (min..=max).contains(&v) {
        Ok(v)
    } else {
        problem(
            value.span(),
            format!("`{key}` is {v}: use a whole number from {min} to {max}."),
        )
    }
}

fn check_options(
    kind: FieldKind,
    title: &str,
    f: &RawField,
    field_span: Range<usize>,
) -> Result<Vec<String>, Problem> {
    let Some(options) = &f.options else {
        if kind.has_options() {
            return problem(
                field_span,
                format!(
                    "field {title:?} is {kind} but has no `options`: list the allowed answers."
                ),
            );
        }
        return Ok(Vec::new());
    };
    if !kind.has_options() {
        return problem(
            options.span(),
            format!("field {title:?} is {kind}, which takes no `options`: remove them."),
        );
    }
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(options.get_ref().len());
    for option in options.get_ref() {
        let option = option.trim();
        if option.is_empty() {
            return problem(
                options.span(),
                format!("field {title:?} has an empty option: remove it."),
            );
        }
        if kind.is_multi() && option.contains(',') {
            return problem(
                options.span(),
                format!("option {option:?} of {title:?} contains a comma, which separates answers in a CSV cell: reword it."),
            );
        }
        if !seen.insert(option.to_owned()) {
            return problem(
                options.span(),
                format!("option {option:?} of {title:?} is listed twice: remove one."),
            );
        }
        out.push(option.to_owned());
    }
    if out.is_empty() {
        return problem(
            options.span(),
            format!("field {title:?} has an empty `options` list: list the allowed answers."),
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str =
        "name = \"Acme\"\nlicense_limit = 10\n[[tracks]]\nslug = \"main\"\nname = \"Main\"\n";

    fn line_and_message(text: &str) -> (usize, String) {
        let (span, message) = parse(text).unwrap_err();
        (line_of(text, span.start), message)
    }

    #[test]
    fn the_shipped_demo_instance_is_valid_and_covers_every_field_type() {
        let text = include_str!("../../instance/demo.toml");
        let def = parse(text).unwrap();
        assert!(def.tracks.len() >= 2);
        assert_eq!(def.upload_row_limit, 1_000);
        for kind in FieldKind::ALL {
            assert!(
                def.profile_fields.iter().any(|f| f.kind == kind),
                "demo lacks a {kind} field"
            );
        }
    }

    #[test]
    fn defaults_apply_when_optional_settings_are_absent() {
        let def = parse(MINIMAL).unwrap();
        assert_eq!(def.upload_row_limit, DEFAULT_UPLOAD_ROW_LIMIT);
        assert_eq!(def.email_hold_minutes, DEFAULT_EMAIL_HOLD_MINUTES);
        assert!(!def.track_admins_use_global_pool);
        assert!(def.profile_fields.is_empty());
    }

    #[test]
    fn a_syntax_error_names_its_line() {
        let (line, message) = line_and_message("name = \"Acme\"\nlicense_limit = \n");
        assert_eq!(line, 2, "{message}");
    }

    #[test]
    fn an_unknown_field_type_names_its_line_and_the_known_types() {
        let text = format!(
            "{MINIMAL}[[profile_fields]]\nkey = \"x\"\ntitle = \"X\"\ntype = \"dropdown\"\n"
        );
        let (line, message) = line_and_message(&text);
        assert_eq!(line, 9);
        assert!(
            message.contains("dropdown") && message.contains("pick_one"),
            "{message}"
        );
    }

    #[test]
    fn duplicate_slugs_are_refused_at_the_second_one() {
        let text = format!("{MINIMAL}[[tracks]]\nslug = \"main\"\nname = \"Other\"\n");
        let (line, message) = line_and_message(&text);
        assert_eq!(line, 7);
        assert!(message.contains("used twice"), "{message}");
    }

    #[test]
    fn choice_fields_need_options_and_other_fields_refuse_them() {
        let text = format!(
            "{MINIMAL}[[profile_fields]]\nkey = \"d\"\ntitle = \"Dept\"\ntype = \"pick_one\"\n"
        );
        assert!(line_and_message(&text).1.contains("no `options`"));
        let text = format!("{MINIMAL}[[profile_fields]]\nkey = \"d\"\ntitle = \"Dept\"\ntype = \"text\"\noptions = [\"a\"]\n");
        let (line, message) = line_and_message(&text);
        assert_eq!(line, 10);
        assert!(message.contains("takes no `options`"), "{message}");
    }

    #[test]
    fn one_text_or_number_field_may_be_the_external_id() {
        let field = |key: &str, kind: &str| {
            format!("[[profile_fields]]\nkey = \"{key}\"\ntitle = \"{key}\"\ntype = \"{kind}\"\nexternal_id = true\n")
        };
        let def = parse(&format!("{MINIMAL}{}", field("emp", "number"))).unwrap();
        assert!(def.profile_fields[0].external_id);

        let text = format!("{MINIMAL}{}", field("when", "date"));
        let (line, message) = line_and_message(&text);
        assert_eq!(line, 10);
        assert!(
            message.contains("must be a text or number field"),
            "{message}"
        );

        let text = format!("{MINIMAL}{}{}", field("emp", "text"), field("hr", "text"));
        let (line, message) = line_and_message(&text);
        assert_eq!(line, 15);
        assert!(
            message.contains("\"emp\" is already the external ID"),
            "{message}"
        );
    }

    #[test]
    fn built_in_titles_and_commas_in_multi_options_are_refused() {
        let text = format!(
            "{MINIMAL}[[profile_fields]]\nkey = \"e\"\ntitle = \"Email\"\ntype = \"text\"\n"
        );
        assert!(line_and_message(&text).1.contains("built in"));
        let text = format!(
            "{MINIMAL}[[profile_fields]]\nkey = \"l\"\ntitle = \"Langs\"\ntype = \"pick_multiple\"\noptions = [\"a, b\"]\n"
        );
        assert!(line_and_message(&text).1.contains("comma"));
    }

    #[test]
    fn out_of_range_numbers_and_unknown_keys_are_refused() {
        let (line, message) = line_and_message(
            "name = \"Acme\"\nlicense_limit = -1\n[[tracks]]\nslug = \"m\"\nname = \"M\"\n",
        );
        assert_eq!(line, 2);
        assert!(message.contains("license_limit"), "{message}");
        let (_, message) = line_and_message(&format!("{MINIMAL}colour = \"red\"\n"));
        assert!(message.contains("colour"), "{message}");
    }

    #[test]
    fn load_reports_the_path_with_the_line() {
        let dir = std::env::temp_dir().join(format!("roster-instance-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("bad.toml");
        std::fs::write(&path, "name = \"\"\nlicense_limit = 1\n").unwrap();
        let err = load(&path).unwrap_err().to_string();
        assert!(err.contains("bad.toml, line 1:"), "{err}");
        let missing = load(&dir.join("missing.toml")).unwrap_err().to_string();
        assert!(missing.contains("ROSTER_INSTANCE"), "{missing}");
    }
}
