//! What applying checked rows does to each person (docs/importing.md, "What applying does"), and
//! the preview's forecast of it: the same rule decides a row's outcome on
//! the server and predicts it in the browser.

use super::row_check::Person;
use crate::{Roles, SystemEmail};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What happened (or will happen) to one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowOutcome {
    /// A new user (and, at a track, their membership).
    Created,
    /// An existing user added to the track.
    Added,
    /// An existing member who gained roles.
    RolesAdded,
    /// An existing user whose profile was updated, nothing else.
    Updated,
    /// Not imported: see the errors.
    Skipped,
}

impl RowOutcome {
    const ALL: [RowOutcome; 5] = [
        RowOutcome::Created,
        RowOutcome::Added,
        RowOutcome::RolesAdded,
        RowOutcome::Updated,
        RowOutcome::Skipped,
    ];

    /// A checked person's outcome. `existed`: the email is already a user;
    /// `roles_before`: their roles in the import's track if already a member.
    pub fn for_person(
        at_track: bool,
        existed: bool,
        roles_before: Option<Roles>,
        roles: Roles,
    ) -> RowOutcome {
        match (at_track, roles_before, existed) {
            // A membership found decides, even for a user a concurrent
            // import created a moment ago: nobody joins (or is emailed) twice.
            (true, Some(had), _) if had.union(roles) == had => RowOutcome::Updated,
            (true, Some(_), _) => RowOutcome::RolesAdded,
            (_, _, false) => RowOutcome::Created,
            (false, _, true) => RowOutcome::Updated,
            (true, None, true) => RowOutcome::Added,
        }
    }

    /// A membership is created: the person joins the track and is emailed.
    pub fn joins_track(self, at_track: bool) -> bool {
        at_track && matches!(self, RowOutcome::Created | RowOutcome::Added)
    }

    pub fn key(self) -> &'static str {
        match self {
            RowOutcome::Created => "created",
            RowOutcome::Added => "added",
            RowOutcome::RolesAdded => "roles_added",
            RowOutcome::Updated => "updated",
            RowOutcome::Skipped => "skipped",
        }
    }

    pub fn from_key(key: &str) -> Option<RowOutcome> {
        Self::ALL.into_iter().find(|o| o.key() == key)
    }
}

/// What the server knows of one of the file's people, for the preview's
/// counts and licence meter; only what the caller needs and may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownPerson {
    /// The normalised email (trimmed, lower-case).
    pub email: String,
    /// A member of at least one track: already counted against the licence.
    pub active: bool,
    /// Their roles in the import's track, when already a member of it.
    pub roles_in_track: Option<Roles>,
}

/// How many of one system email an import will queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmailForecast {
    pub email: SystemEmail,
    pub people: u64,
    /// Switched off for the track: nobody will receive it.
    pub off: bool,
}

/// The preview's figures for the rows that passed every check.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Forecast {
    /// Emails unknown to the platform: new users.
    pub new: u64,
    /// Existing users who join the track.
    pub joining: u64,
    /// Members of the track who gain roles.
    pub roles_added: u64,
    /// Existing users whose profile is updated, nothing else.
    pub unchanged: u64,
    /// People who become active (count against the licence) for the first time.
    pub newly_active: u64,
    /// In the order of [`SystemEmail::ALL`], only those anyone would get.
    pub emails: Vec<EmailForecast>,
}

impl Forecast {
    /// `known` maps normalised emails to what the server knows of them;
    /// `off` lists the track's switched-off templates.
    pub fn new<'p>(
        persons: impl IntoIterator<Item = &'p Person>,
        known: &HashMap<String, KnownPerson>,
        at_track: bool,
        off: &[SystemEmail],
    ) -> Forecast {
        let mut forecast = Forecast::default();
        let mut emails: HashMap<SystemEmail, u64> = HashMap::new();
        for person in persons {
            // Nobody known (a file of new people): no key to work out.
            let found = if known.is_empty() {
                None
            } else {
                known.get(&person.email.normalized())
            };
            let outcome = RowOutcome::for_person(
                at_track,
                found.is_some(),
                found.and_then(|k| k.roles_in_track),
                person.roles,
            );
            match outcome {
                RowOutcome::Created => forecast.new += 1,
                RowOutcome::Added => forecast.joining += 1,
                RowOutcome::RolesAdded => forecast.roles_added += 1,
                RowOutcome::Updated | RowOutcome::Skipped => forecast.unchanged += 1,
            }
            if outcome.joins_track(at_track) {
                if !found.is_some_and(|k| k.active) {
                    forecast.newly_active += 1;
                }
                if let Some(email) = SystemEmail::for_roles(person.roles) {
                    *emails.entry(email).or_default() += 1;
                }
            }
        }
        forecast.emails = SystemEmail::ALL
            .into_iter()
            .filter_map(|email| {
                emails.get(&email).map(|&people| EmailForecast {
                    email,
                    people,
                    off: off.contains(&email),
                })
            })
            .collect();
        forecast
    }
}

#[cfg(test)]
mod tests {
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
        assert_eq!(RowOutcome::for_person(true, false, None, mentor()), Created);
        assert_eq!(RowOutcome::for_person(true, true, None, mentor()), Added);
        assert_eq!(
            RowOutcome::for_person(true, true, Some(mentee()), mentor()),
            RolesAdded
        );
        assert_eq!(
            RowOutcome::for_person(true, true, Some(mentor().with(Role::Mentee)), mentor()),
            Updated
        );
        // Dormant imports create or update, never anything else.
        assert_eq!(
            RowOutcome::for_person(false, false, None, Roles::empty()),
            Created
        );
        assert_eq!(
            RowOutcome::for_person(false, true, Some(mentor()), Roles::empty()),
            Updated
        );
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
                },
            )
        })
        .collect();
        let f = Forecast::new(&persons, &known, true, &[SystemEmail::NewMentor]);
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
            },
        )]);
        let f = Forecast::new(&persons, &known, false, &[]);
        assert_eq!((f.new, f.unchanged, f.newly_active), (1, 1, 0));
        assert!(f.emails.is_empty());
    }
}
