#![allow(clippy::expect_used)]
//! `cargo bench -p domain --bench csv_check`: reading and
//! checking a 20-column file natively (decode + table + pre-match + every
//! row check), 1,000 and 100,000 rows. Prints medians; docs/performance.md has the bars.

use domain::csv_upload::{
    check_file, decode, read_table, values_not_options, Delimiter, Mapping, RoleChoice, RowChecker,
};
use domain::{FieldKind, ProfileField, Role, Roles};
use std::time::{Duration, Instant};

fn fields() -> Vec<ProfileField> {
    vec![
        ProfileField::new(
            "department",
            "Department",
            FieldKind::PickOne,
            &["Engineering", "Sales", "Marketing", "Finance", "People"],
        ),
        ProfileField::new(
            "languages",
            "Languages",
            FieldKind::PickMultiple,
            &["English", "French", "German", "Spanish", "Japanese"],
        ),
        ProfileField::new(
            "goals",
            "Goals",
            FieldKind::OrderedOptions,
            &["Leadership", "Public speaking", "Career growth"],
        ),
        ProfileField::new("start_date", "Start Date", FieldKind::Date, &[]),
        ProfileField::new("years", "Years of Experience", FieldKind::Number, &[]),
        ProfileField::new("job_title", "Job Title", FieldKind::Text, &[]),
        ProfileField::new("employee_id", "Employee ID", FieldKind::Text, &[]),
        ProfileField::new("bio", "About Me", FieldKind::Paragraph, &[]),
    ]
}

/// A file of `rows` people and 20 columns, 9 of them not mapped.
pub fn generate(rows: usize) -> String {
    let mut text = String::from(
        "First Name,Last Name,Email,Department,Languages,Goals,Start Date,Years of Experience,Job Title,Employee ID,About Me",
    );
    for i in 1..=9 {
        text.push_str(&format!(",Extra {i}"));
    }
    text.push('\n');
    let departments = ["Engineering", "Sales", "Marketing", "Finance", "People"];
    for i in 0..rows {
        text.push_str(&format!(
            "First{i},Last{i},person{i}@example.com,{},\"English, French\",\"Leadership, Career growth\",2024-{:02}-{:02},{},Engineer {i},{:06},\"Likes mentoring, and, commas\"",
            departments[i % 5],
            i % 12 + 1,
            i % 28 + 1,
            i % 30,
            i
        ));
        for j in 1..=9 {
            text.push_str(&format!(",x{j}"));
        }
        text.push('\n');
    }
    text
}

fn check_all(bytes: &[u8], fields: &[ProfileField]) -> usize {
    let roles = RoleChoice::Everyone(Roles::empty().with(Role::Mentee));
    check_file(bytes, fields, &roles, 1_000_000)
        .expect("generated files read")
        .iter()
        .filter(|check| check.person.is_some())
        .count()
}

/// The two halves of [`check_all`], timed apart: where the time goes; and
/// beside them, the preview's list of values that are not options, and the
/// check again with every mapped column trimmed (the fix that rewrites the
/// most cells).
fn phases(bytes: &[u8], fields: &[ProfileField], runs: usize) -> [Duration; 4] {
    let roles = RoleChoice::Everyone(Roles::empty().with(Role::Mentee));
    let (mut read, mut check, mut values, mut fixed) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let start = Instant::now();
        let text = decode(bytes).expect("generated files decode").text;
        let table =
            read_table(&text, Delimiter::detect(&text), 1_000_000).expect("generated files read");
        read.push(start.elapsed());
        let start = Instant::now();
        let mapping = Mapping::suggest(&table.headers, fields, false);
        let mut checker = RowChecker::new(&table.headers, fields, &mapping, &roles);
        let valid = table
            .rows
            .iter()
            .map(|row| checker.check(row))
            .filter(|c| c.person.is_some())
            .count();
        check.push(start.elapsed());
        assert_eq!(valid, table.rows.len());
        let start = Instant::now();
        let found = values_not_options(&table.rows, fields, &mapping);
        values.push(start.elapsed());
        assert!(found.is_empty(), "every generated value is an option");
        let start = Instant::now();
        let mut trimmed = mapping.clone();
        trimmed.fixes.trim = true;
        let mut checker = RowChecker::new(&table.headers, fields, &trimmed, &roles);
        let valid = table
            .rows
            .iter()
            .filter(|row| checker.check(row).person.is_some())
            .count();
        fixed.push(start.elapsed());
        assert_eq!(valid, table.rows.len());
    }
    [median(read), median(check), median(values), median(fixed)]
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let fields = fields();
    for (rows, runs) in [(1_000usize, 51usize), (100_000, 7)] {
        let text = generate(rows);
        let mut samples = Vec::with_capacity(runs);
        for _ in 0..runs {
            let start = Instant::now();
            let valid = check_all(text.as_bytes(), &fields);
            samples.push(start.elapsed());
            assert_eq!(valid, rows, "every generated row is valid");
        }
        let m = median(samples);
        let [read, check, values, fixed] = phases(text.as_bytes(), &fields, runs);
        println!(
            "read + check {rows:>7} rows x 20 columns ({:.1} MB): median {:>8.2} ms over {runs} runs, {:.0} rows/s",
            text.len() as f64 / 1e6,
            m.as_secs_f64() * 1e3,
            rows as f64 / m.as_secs_f64()
        );
        println!(
            "    of which decode + read the table {:>8.2} ms, pre-match + check the rows {:>8.2} ms (medians)",
            read.as_secs_f64() * 1e3,
            check.as_secs_f64() * 1e3
        );
        println!(
            "    the preview's values that are not options (3 choice columns) {:>8.2} ms",
            values.as_secs_f64() * 1e3
        );
        println!(
            "    pre-match + check with every mapped cell trimmed (a column fix) {:>8.2} ms",
            fixed.as_secs_f64() * 1e3
        );
    }
}
