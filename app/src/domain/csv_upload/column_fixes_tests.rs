//! Tests of `column_fixes.rs`.
use super::*;

#[test]
fn trimming_takes_spaces_from_the_ends_and_makes_inner_runs_one() {
    let fixes = ColumnFixes {
        trim: true,
        ..Default::default()
    };
    let email = Target::Email;
    assert_eq!(fixes.fix(&email, "  Ann  Lee\u{a0}"), "Ann Lee");
    assert!(
        matches!(fixes.fix(&email, "Ann Lee"), Cow::Borrowed(_)),
        "nothing to do: no copy"
    );
    assert_eq!(fixes.fix(&email, "\tann@example.com "), "ann@example.com");
}

#[test]
fn each_applied_fix_is_listed_and_undone_alone() {
    let mut fixes = ColumnFixes {
        trim: true,
        dates: [("start".to_owned(), DateOrder::MonthFirst)].into(),
        replacements: vec![Replacement {
            target: Target::LastName,
            find: "Jr".into(),
            replace: String::new(),
        }],
        ..Default::default()
    };
    let applied = fixes.applied();
    assert_eq!(applied.len(), 3);
    fixes.undo(&applied[1]);
    assert!(fixes.trim && fixes.dates.is_empty() && fixes.replacements.len() == 1);
    fixes.undo(&applied[2]);
    fixes.undo(&applied[0]);
    assert!(fixes.is_empty());
}

#[test]
fn fixes_apply_to_their_own_column_only() {
    let languages = Target::Field("languages".into());
    let fixes = ColumnFixes {
        lower_case_emails: true,
        separators: [("languages".to_owned(), Separator::Semicolon)].into(),
        replacements: vec![Replacement {
            target: Target::FirstName,
            find: "Dr. ".into(),
            replace: String::new(),
        }],
        ..Default::default()
    };
    assert_eq!(
        fixes.fix(&Target::Email, "Ann.Lee@Example.COM"),
        "ann.lee@example.com"
    );
    assert_eq!(fixes.fix(&Target::LastName, "Lee;Dr. X"), "Lee;Dr. X");
    assert_eq!(fixes.fix(&languages, "English; French"), "English, French");
    assert_eq!(fixes.fix(&Target::FirstName, "Dr. Ann"), "Ann");
    assert!(fixes.touches(&languages) && fixes.touches(&Target::Email));
    assert!(!fixes.touches(&Target::LastName));
}

#[test]
fn dates_written_another_way_are_read_in_the_order_given() {
    use DateOrder::*;
    let read = |cell, order| read_date(cell, order);
    assert_eq!(read("05/01/2024", DayFirst).as_deref(), Some("2024-01-05"));
    assert_eq!(
        read("05/01/2024", MonthFirst).as_deref(),
        Some("2024-05-01")
    );
    assert_eq!(read("5.1.2024", DayFirst).as_deref(), Some("2024-01-05"));
    assert_eq!(
        read("2024.01.05", MonthFirst).as_deref(),
        Some("2024-01-05")
    );
    assert_eq!(
        read("5 Jan 2024", MonthFirst).as_deref(),
        Some("2024-01-05")
    );
    assert_eq!(
        read("January 5, 2024", DayFirst).as_deref(),
        Some("2024-01-05")
    );
    assert_eq!(
        read("Sept. 30 2024", DayFirst).as_deref(),
        Some("2024-09-30")
    );
    // Not real dates, or not dates at all.
    assert_eq!(read("31/02/2024", DayFirst), None);
    assert_eq!(read("13/25/2024", DayFirst), None);
    assert_eq!(
        read("05/01/24", DayFirst),
        None,
        "a two-digit year is not guessed"
    );
    assert_eq!(read("Ma 5 2024", DayFirst), None);
    assert_eq!(read("soon", DayFirst), None);
}

#[test]
fn the_order_is_asked_only_when_the_file_cannot_tell() {
    use DateOrder::*;
    let ambiguous = DateWriting::of(["05/01/2024", "2024-02-03", "", "7 Mar 2024"]);
    assert_eq!(ambiguous.other_way, 2);
    assert_eq!(ambiguous.orders(), [DayFirst, MonthFirst]);
    let day_first = DateWriting::of(["05/01/2024", "25/01/2024"]);
    assert_eq!(day_first.orders(), [DayFirst]);
    let mixed = DateWriting::of(["25/01/2024", "01/25/2024"]);
    assert!(mixed.orders().is_empty());
    assert_eq!(DateWriting::of(["2024-01-05"]).other_way, 0);
}

#[test]
fn a_full_name_splits_at_its_last_word_or_its_comma() {
    let split = |s| split_full_name(s);
    assert_eq!(split("Ann Lee"), Some(("Ann".into(), "Lee".into())));
    assert_eq!(
        split(" Ann  Marie Lee "),
        Some(("Ann Marie".into(), "Lee".into()))
    );
    assert_eq!(split("Lee, Ann"), Some(("Ann".into(), "Lee".into())));
    assert_eq!(
        split("van der Berg, Jan"),
        Some(("Jan".into(), "van der Berg".into()))
    );
    assert_eq!(split("Cher"), None);
    assert_eq!(split("Lee,"), None);
    assert_eq!(split("a, b, c"), None);
}

#[test]
fn each_fix_must_fit_its_field() {
    let fields = super::super::mapping::tests::fields();
    let mut fixes = ColumnFixes::default();
    assert_eq!(fixes.validate(&fields), Ok(()));
    fixes
        .separators
        .insert("department".into(), Separator::Pipe);
    assert_eq!(
        fixes.validate(&fields),
        Err(FixError::NotMultiple("department".into()))
    );
    fixes.separators.clear();
    fixes.dates.insert("job_title".into(), DateOrder::DayFirst);
    assert_eq!(
        fixes.validate(&fields),
        Err(FixError::NotADate("job_title".into()))
    );
    fixes.dates.clear();
    let replace = |find: &str| Replacement {
        target: Target::Field("job_title".into()),
        find: find.into(),
        replace: "x".into(),
    };
    fixes.replacements = vec![replace("")];
    assert_eq!(fixes.validate(&fields), Err(FixError::BadReplacement));
    fixes.replacements = vec![replace(&"a".repeat(256))];
    assert_eq!(fixes.validate(&fields), Err(FixError::BadReplacement));
    fixes.replacements = vec![replace("Sr."); 51];
    assert_eq!(fixes.validate(&fields), Err(FixError::TooManyReplacements));
    fixes.replacements = vec![Replacement {
        target: Target::Field("gone".into()),
        ..replace("a")
    }];
    assert_eq!(
        fixes.validate(&fields),
        Err(FixError::UnknownField("gone".into()))
    );
}
