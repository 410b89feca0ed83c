//! What applying checked rows does to each person (docs/importing.md, "What applying does"), and
//! the preview's forecast of it: the same rule decides a row's outcome on
//! the server and predicts it in the browser.

use super::row_check::Person;
use crate::{AddRule, ProfileField, Roles, SystemEmail};
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
    /// Already on the platform, and the import only adds new people.
    SkippedExisting,
    /// Not on the platform, and the import only updates existing people.
    SkippedNew,
    /// Took out of a track, or of some of its roles (SCIM, docs/scim.md).
    Left,
}

impl RowOutcome {
    const ALL: [RowOutcome; 8] = [
        RowOutcome::Created,
        RowOutcome::Added,
        RowOutcome::RolesAdded,
        RowOutcome::Updated,
        RowOutcome::Skipped,
        RowOutcome::SkippedExisting,
        RowOutcome::SkippedNew,
        RowOutcome::Left,
    ];

    /// A checked person's outcome under the import's rule. `existed`: the
    /// email is already a user; `roles_before`: their roles in the
    /// import's track if already a member.
    pub fn for_person(
        at_track: bool,
        rule: AddRule,
        existed: bool,
        roles_before: Option<Roles>,
        roles: Roles,
    ) -> RowOutcome {
        if let Some(skipped) = rule.skips(existed) {
            return skipped;
        }
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

    /// How the history names it.
    pub fn label(self) -> &'static str {
        match self {
            RowOutcome::Created => "New user",
            RowOutcome::Added => "Joined the track",
            RowOutcome::RolesAdded => "Gained roles",
            RowOutcome::Updated => "Profile updated",
            RowOutcome::Skipped => "Skipped",
            RowOutcome::SkippedExisting => "Skipped: already on the platform",
            RowOutcome::SkippedNew => "Skipped: not on the platform",
            RowOutcome::Left => "Left the track",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            RowOutcome::Created => "created",
            RowOutcome::Added => "added",
            RowOutcome::RolesAdded => "roles_added",
            RowOutcome::Updated => "updated",
            RowOutcome::Skipped => "skipped",
            RowOutcome::SkippedExisting => "skipped_existing",
            RowOutcome::SkippedNew => "skipped_new",
            RowOutcome::Left => "left",
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
    /// Their external ID on file, when the instance has one and they do.
    #[serde(default)]
    pub external_id: Option<String>,
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
    /// Existing users the rule leaves alone (only new people are added).
    pub skipped_existing: u64,
    /// New emails the rule leaves out (only existing people are updated).
    pub skipped_new: u64,
    /// Existing people whose external ID found them under another email:
    /// their email changes to the file's.
    pub email_changes: u64,
    /// Rows whose ID and email find two different people: not imported.
    pub id_conflicts: Vec<IdConflict>,
    /// People who become active (count against the licence) for the first time.
    pub newly_active: u64,
    /// In the order of [`SystemEmail::ALL`], only those anyone would get.
    pub emails: Vec<EmailForecast>,
}

/// A row whose external ID is one person's and whose email another's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdConflict {
    pub line: u64,
    /// What is wrong and what to do.
    pub message: String,
}

/// How the preview finds the file's people among those the server knows:
/// by the external ID first (when the instance names one), then by email.
pub struct Known<'k> {
    by_email: &'k HashMap<String, KnownPerson>,
    /// The ID field's key and title, and the known people by their ID.
    by_id: Option<(&'k str, &'k str, HashMap<&'k str, &'k KnownPerson>)>,
}

impl<'k> Known<'k> {
    /// `by_email` maps normalised emails to what the server knows of them;
    /// `id_field` is the instance's external-ID field, if any.
    pub fn new(
        by_email: &'k HashMap<String, KnownPerson>,
        id_field: Option<&'k ProfileField>,
    ) -> Known<'k> {
        let by_id = id_field.map(|f| {
            let index = by_email
                .values()
                .filter_map(|k| Some((k.external_id.as_deref()?, k)))
                .collect();
            (f.key.as_str(), f.title.as_str(), index)
        });
        Known { by_email, by_id }
    }

    /// Whom the row finds, or why it cannot be imported.
    fn find(&self, person: &Person) -> Result<Found<'k>, String> {
        // Nobody known (a file of new people): no key to work out, and
        // nobody to find by an ID either (those are the known, too).
        if self.by_email.is_empty() {
            return Ok(Found::by_email(None));
        }
        let key = person.email.normalized();
        let by_email = self.by_email.get(&key);
        let Some((field, title, by_id)) = &self.by_id else {
            return Ok(Found::by_email(by_email));
        };
        let Some(id) = person.answers.get(field) else {
            return Ok(Found::by_email(by_email));
        };
        match (by_id.get(id), by_email) {
            (Some(holder), _) if holder.email == key => Ok(Found::by_email(Some(holder))),
            (Some(holder), Some(_)) => Err(format!(
                "{title} {id} is {}'s, but {} is another person's: correct the {title} or the \
                 email, so that both find the same person.",
                holder.email, person.email
            )),
            (Some(holder), None) => Ok(Found {
                person: Some(holder),
                moves_from: Some(&holder.email),
            }),
            (None, _) => Ok(Found::by_email(by_email)),
        }
    }
}

/// The known person a row finds, and their address if the row changes it.
struct Found<'k> {
    person: Option<&'k KnownPerson>,
    moves_from: Option<&'k str>,
}

impl<'k> Found<'k> {
    fn by_email(person: Option<&'k KnownPerson>) -> Found<'k> {
        Found {
            person,
            moves_from: None,
        }
    }
}

impl Forecast {
    /// `off` lists the track's switched-off templates.
    pub fn new<'p>(
        persons: impl IntoIterator<Item = &'p Person>,
        known: &Known<'_>,
        at_track: bool,
        rule: AddRule,
        off: &[SystemEmail],
    ) -> Forecast {
        let mut forecast = Forecast::default();
        let mut emails: HashMap<SystemEmail, u64> = HashMap::new();
        let found: Vec<(&Person, Result<Found, String>)> =
            persons.into_iter().map(|p| (p, known.find(p))).collect();
        // Old address → the line that changes it: another row with that
        // address would be the same person twice.
        let moved: HashMap<&str, u64> = found
            .iter()
            .filter_map(|(p, f)| Some((f.as_ref().ok()?.moves_from?, p.line)))
            .collect();
        for (person, found) in found {
            let found = match found {
                Ok(found) => found,
                Err(message) => {
                    let line = person.line;
                    forecast.id_conflicts.push(IdConflict { line, message });
                    continue;
                }
            };
            // Empty unless an ID moved someone: no key to work out then.
            let moved_line = (!moved.is_empty())
                .then(|| moved.get(person.email.normalized().as_str()))
                .flatten();
            if let Some(line) = moved_line {
                let message = format!(
                    "{} is the address line {line} changes: keep one row per person.",
                    person.email
                );
                let line = person.line;
                forecast.id_conflicts.push(IdConflict { line, message });
                continue;
            }
            let changes_email = found.moves_from.is_some();
            let found = found.person;
            let outcome = RowOutcome::for_person(
                at_track,
                rule,
                found.is_some(),
                found.and_then(|k| k.roles_in_track),
                person.roles,
            );
            match outcome {
                RowOutcome::Created => forecast.new += 1,
                RowOutcome::Added => forecast.joining += 1,
                RowOutcome::RolesAdded => forecast.roles_added += 1,
                RowOutcome::Updated => forecast.unchanged += 1,
                RowOutcome::SkippedExisting => forecast.skipped_existing += 1,
                RowOutcome::SkippedNew => forecast.skipped_new += 1,
                // Checked people are never skipped for errors; files
                // never take people out of tracks.
                RowOutcome::Skipped | RowOutcome::Left => {}
            }
            if changes_email && rule.skips(true).is_none() {
                forecast.email_changes += 1;
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
#[path = "forecast_tests.rs"]
mod tests;
