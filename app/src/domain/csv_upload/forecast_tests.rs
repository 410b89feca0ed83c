//! Tests of `forecast.rs`.
use super::*;
use crate::{Email, Role};

fn person(email: &str, roles: Roles) -> Person {
    Person {
        line: 2,
        email: Email::parse(email).unwrap(),
        first_name: "A".into(),
        last_name: "B".into(),
        roles,
        answers: Default::default(),
    }
}

fn mentor() -> Roles {
    Roles::empty().with(Role::Mentor)
}

fn mentee() -> Roles {
    Roles::empty().with(Role::Mentee)
}

#[test]
fn outcome_follows_the_track_semantics() {
    use RowOutcome::*;
    assert_eq!(
        RowOutcome::for_person(true, AddRule::AddAndUpdate, false, None, mentor()),
        Created
    );
    assert_eq!(
        RowOutcome::for_person(true, AddRule::AddAndUpdate, true, None, mentor()),
        Added
    );
    assert_eq!(
        RowOutcome::for_person(true, AddRule::AddAndUpdate, true, Some(mentee()), mentor()),
        RolesAdded
    );
    assert_eq!(
        RowOutcome::for_person(
            true,
            AddRule::AddAndUpdate,
            true,
            Some(mentor().with(Role::Mentee)),
            mentor()
        ),
        Updated
    );
    // Dormant imports create or update, never anything else.
    assert_eq!(
        RowOutcome::for_person(false, AddRule::AddAndUpdate, false, None, Roles::empty()),
        Created
    );
    assert_eq!(
        RowOutcome::for_person(
            false,
            AddRule::AddAndUpdate,
            true,
            Some(mentor()),
            Roles::empty()
        ),
        Updated
    );
}

#[test]
fn a_rule_skips_whom_it_leaves_out_and_decides_nothing_else() {
    use RowOutcome::*;
    // Every case there is: where, whether they exist, their roles before.
    for at_track in [true, false] {
        for existed in [true, false] {
            for before in [None, Some(mentee()), Some(mentor())] {
                let plain = RowOutcome::for_person(
                    at_track,
                    AddRule::AddAndUpdate,
                    existed,
                    before,
                    mentor(),
                );
                let only_new =
                    RowOutcome::for_person(at_track, AddRule::OnlyNew, existed, before, mentor());
                let only_existing = RowOutcome::for_person(
                    at_track,
                    AddRule::OnlyExisting,
                    existed,
                    before,
                    mentor(),
                );
                assert_eq!(only_new, if existed { SkippedExisting } else { plain });
                assert_eq!(only_existing, if existed { plain } else { SkippedNew });
                assert!(!only_new.joins_track(at_track) || !existed);
            }
        }
    }
}

#[test]
fn only_new_memberships_join_the_track() {
    assert!(RowOutcome::Created.joins_track(true));
    assert!(RowOutcome::Added.joins_track(true));
    assert!(!RowOutcome::RolesAdded.joins_track(true));
    assert!(!RowOutcome::Created.joins_track(false));
}

#[test]
fn outcome_keys_round_trip() {
    for o in RowOutcome::ALL {
        assert_eq!(RowOutcome::from_key(o.key()), Some(o));
    }
    assert_eq!(RowOutcome::from_key("nope"), None);
}

#[test]
fn forecast_counts_people_licences_and_emails() {
    let persons = [
        person("new@example.com", mentee()),
        person("Dormant@Example.com", mentee()),
        person("elsewhere@example.com", mentor()),
        person("member@example.com", mentor()),
        person("same@example.com", mentee()),
    ];
    let known: HashMap<String, KnownPerson> = [
        ("dormant@example.com", false, None),
        ("elsewhere@example.com", true, None),
        ("member@example.com", true, Some(mentee())),
        ("same@example.com", true, Some(mentee())),
    ]
    .into_iter()
    .map(|(email, active, roles_in_track)| {
        (
            email.to_owned(),
            KnownPerson {
                email: email.to_owned(),
                active,
                roles_in_track,
                external_id: None,
            },
        )
    })
    .collect();
    let f = Forecast::new(
        &persons,
        &Known::new(&known, None),
        true,
        AddRule::AddAndUpdate,
        &[SystemEmail::NewMentor],
    );
    assert_eq!((f.new, f.joining, f.roles_added, f.unchanged), (1, 2, 1, 1));
    // The new user and the dormant one take a licence; the member of
    // another track already holds one.
    assert_eq!(f.newly_active, 2);
    assert_eq!(
        f.emails,
        vec![
            EmailForecast {
                email: SystemEmail::NewMentor,
                people: 1,
                off: true
            },
            EmailForecast {
                email: SystemEmail::NewMentee,
                people: 2,
                off: false
            },
        ]
    );
}

#[test]
fn skipped_people_take_no_licence_and_get_no_email() {
    let persons = [
        person("new@example.com", mentee()),
        person("dormant@example.com", mentee()),
        person("member@example.com", mentor()),
    ];
    let known: HashMap<String, KnownPerson> = [
        ("dormant@example.com", false, None),
        ("member@example.com", true, Some(mentee())),
    ]
    .into_iter()
    .map(|(email, active, roles_in_track)| {
        let k = KnownPerson {
            email: email.to_owned(),
            active,
            roles_in_track,
            external_id: None,
        };
        (email.to_owned(), k)
    })
    .collect();
    let only_new = Forecast::new(
        &persons,
        &Known::new(&known, None),
        true,
        AddRule::OnlyNew,
        &[],
    );
    assert_eq!(
        (
            only_new.new,
            only_new.skipped_existing,
            only_new.skipped_new
        ),
        (1, 2, 0)
    );
    assert_eq!((only_new.joining, only_new.roles_added), (0, 0));
    assert_eq!(only_new.newly_active, 1);
    assert_eq!(only_new.emails.iter().map(|e| e.people).sum::<u64>(), 1);

    let only_existing = Forecast::new(
        &persons,
        &Known::new(&known, None),
        true,
        AddRule::OnlyExisting,
        &[],
    );
    assert_eq!((only_existing.new, only_existing.skipped_new), (0, 1));
    assert_eq!((only_existing.joining, only_existing.roles_added), (1, 1));
    // The dormant person joins and takes a licence; the new one is left out.
    assert_eq!(only_existing.newly_active, 1);
}

#[test]
fn dormant_forecast_has_no_licences_or_emails() {
    let persons = [
        person("new@example.com", Roles::empty()),
        person("old@example.com", Roles::empty()),
    ];
    let known = HashMap::from([(
        "old@example.com".to_owned(),
        KnownPerson {
            email: "old@example.com".into(),
            active: true,
            roles_in_track: None,
            external_id: None,
        },
    )]);
    let f = Forecast::new(
        &persons,
        &Known::new(&known, None),
        false,
        AddRule::AddAndUpdate,
        &[],
    );
    assert_eq!((f.new, f.unchanged, f.newly_active), (1, 1, 0));
    assert!(f.emails.is_empty());
}

#[test]
fn the_external_id_finds_people_first_and_a_clash_is_a_row_error() {
    let id_field = ProfileField {
        external_id: true,
        ..ProfileField::new("emp", "Employee ID", crate::FieldKind::Text, &[])
    };
    let with_id = |email: &str, line: u64, id: &str| {
        let mut p = person(email, mentee());
        p.line = line;
        p.answers.push("emp".into(), id);
        p
    };
    let known_person = |email: &str, id: &str| KnownPerson {
        email: email.into(),
        active: true,
        roles_in_track: Some(mentee()),
        external_id: Some(id.into()),
    };
    let known: HashMap<String, KnownPerson> = [
        known_person("ann@example.com", "E1"),
        known_person("bo@example.com", "E2"),
        known_person("cy@example.com", "E3"),
    ]
    .into_iter()
    .map(|k| (k.email.clone(), k))
    .collect();
    let persons = [
        // E1 is Ann's: her email changes.
        with_id("ann.lee@example.com", 2, "E1"),
        // E2 is Bo's, but the address is Cy's.
        with_id("cy@example.com", 3, "E2"),
        // Ann's old address, on another row: the same person twice.
        with_id("ann@example.com", 4, "E9"),
        // Unknown ID, known email: found by email.
        with_id("bo@example.com", 5, "E8"),
    ];
    let f = Forecast::new(
        &persons,
        &Known::new(&known, Some(&id_field)),
        true,
        AddRule::AddAndUpdate,
        &[],
    );
    assert_eq!((f.email_changes, f.unchanged, f.new), (1, 2, 0));
    let lines: Vec<u64> = f.id_conflicts.iter().map(|c| c.line).collect();
    assert_eq!(lines, [3, 4]);
    assert_eq!(
        f.id_conflicts[0].message,
        "Employee ID E2 is bo@example.com's, but cy@example.com is another person's: correct \
         the Employee ID or the email, so that both find the same person."
    );
    // Without the instance's ID, the same rows are found by email alone.
    let by_email = Forecast::new(
        &persons,
        &Known::new(&known, None),
        true,
        AddRule::AddAndUpdate,
        &[],
    );
    assert_eq!((by_email.email_changes, by_email.new), (0, 1));
    assert!(by_email.id_conflicts.is_empty());
    // Under "only add new people" Ann is left alone: no email changes.
    let only_new = Forecast::new(
        &persons,
        &Known::new(&known, Some(&id_field)),
        true,
        AddRule::OnlyNew,
        &[],
    );
    assert_eq!((only_new.email_changes, only_new.skipped_existing), (0, 2));
}
