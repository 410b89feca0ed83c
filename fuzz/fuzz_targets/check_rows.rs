//! Any bytes through the whole check a file gets (decode, read, pre-match,
//! every row checked), for each way of giving roles: never a panic, and a
//! row yields a person exactly when it has no errors.
#![no_main]

use domain::csv_upload::{check_file, RoleChoice};
use domain::{FieldKind, ProfileField, Role, Roles};
use libfuzzer_sys::fuzz_target;

fn fields() -> Vec<ProfileField> {
    vec![
        ProfileField::new(
            "department",
            "Department",
            FieldKind::PickOne,
            &["Engineering", "Sales"],
        ),
        ProfileField::new(
            "languages",
            "Languages",
            FieldKind::PickMultiple,
            &["English", "French"],
        ),
        ProfileField::new(
            "goals",
            "Goals",
            FieldKind::OrderedOptions,
            &["Leadership", "Growth"],
        ),
        ProfileField::new("start_date", "Start Date", FieldKind::Date, &[]),
        ProfileField::new("years", "Years of Experience", FieldKind::Number, &[]),
        ProfileField::new("job_title", "Job Title", FieldKind::Text, &[]),
        ProfileField::new("bio", "About Me", FieldKind::Paragraph, &[]),
    ]
}

fuzz_target!(|bytes: &[u8]| {
    let fields = fields();
    for roles in [
        RoleChoice::Everyone(Roles::empty().with(Role::Mentee)),
        RoleChoice::FromColumn,
        RoleChoice::Dormant,
    ] {
        if let Ok(checks) = check_file(bytes, &fields, &roles, 1_000) {
            for check in checks {
                assert_eq!(check.person.is_some(), check.errors.is_empty());
            }
        }
    }
});
