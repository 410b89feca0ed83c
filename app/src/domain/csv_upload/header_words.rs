//! The words of a header, as HR exports shorten them: "Dept" is
//! Department, "Emp #" an employee number, "Yrs Exp" years of experience.
//! The pre-matching compares these words with a field's title.

/// Shortenings, each with the word it stands for.
const SHORTENINGS: &[(&str, &str)] = &[
    ("dept", "department"),
    ("dpt", "department"),
    ("mgr", "manager"),
    ("emp", "employee"),
    ("empl", "employee"),
    ("yrs", "years"),
    ("yr", "years"),
    ("exp", "experience"),
    ("expr", "experience"),
    ("lang", "language"),
    ("langs", "language"),
    ("tel", "phone"),
    ("telephone", "phone"),
    ("mob", "mobile"),
    ("org", "organisation"),
    ("organization", "organisation"),
    ("pos", "position"),
    ("loc", "location"),
    ("addr", "address"),
    ("dob", "birth"),
    ("bio", "about"),
    ("biography", "about"),
    ("desc", "description"),
    ("info", "information"),
    ("no", "id"),
    ("nr", "id"),
    ("num", "id"),
    ("nbr", "id"),
    ("number", "id"),
    ("identifier", "id"),
    ("#", "id"),
    ("started", "start"),
    ("joined", "start"),
    ("hire", "start"),
    ("hired", "start"),
];

/// Words that say nothing about the field.
const FILLER: &[&str] = &[
    "of", "the", "a", "an", "in", "and", "me", "my", "your", "date",
];

/// The header's words, lower-case, shortenings spelt out, a plural's
/// `s` dropped, filler left out; "#" counts as a word.
pub fn header_words(header: &str) -> Vec<String> {
    let mut words = Vec::new();
    for raw in header
        .split(|c: char| !(c.is_alphanumeric() || c == '#'))
        .flat_map(split_hash)
        .filter(|w| !w.is_empty())
    {
        let lower = raw.to_lowercase();
        let word = SHORTENINGS
            .iter()
            .find(|(short, _)| *short == lower)
            .map_or(lower.as_str(), |(_, long)| long);
        if FILLER.contains(&word) {
            continue;
        }
        let singular = match word.strip_suffix('s') {
            Some(stem) if stem.len() > 2 && !word.ends_with("ss") => stem,
            _ => word,
        };
        words.push(singular.to_owned());
    }
    words
}

/// "Emp#" is "Emp" and "#".
fn split_hash(word: &str) -> impl Iterator<Item = &str> {
    let (head, hash) = match word.strip_suffix('#') {
        Some(head) => (head, Some("#")),
        None => (word, None),
    };
    std::iter::once(head).chain(hash)
}

/// Whether a header names this title in other words.
pub fn same_words(header: &str, title: &str) -> bool {
    let words = header_words(header);
    !words.is_empty() && words == header_words(title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortened_headers_name_the_fields_they_shorten() {
        for (header, title) in [
            ("Dept", "Department"),
            ("Dept.", "Department"),
            ("Emp #", "Employee ID"),
            ("Emp#", "Employee ID"),
            ("Employee No", "Employee ID"),
            ("Employee Number", "Employee ID"),
            ("Yrs Exp", "Years of Experience"),
            ("Years Experience", "Years of Experience"),
            ("Langs", "Languages"),
            ("Bio", "About Me"),
            ("Start", "Start Date"),
            ("Hire Date", "Start Date"),
        ] {
            assert!(same_words(header, title), "{header} is {title}");
        }
    }

    #[test]
    fn other_headers_do_not() {
        for (header, title) in [
            ("Manager", "Department"),
            ("Employee Name", "Employee ID"),
            ("Years", "Years of Experience"),
            ("", "Department"),
            ("Date", "Start Date"),
            ("Address", "Languages"),
        ] {
            assert!(!same_words(header, title), "{header} is not {title}");
        }
    }
}
