//! What undoing an import would do, worked out before anything is written:
//! per person, what is still the import's own and what a later write changed.

use super::minute;
use crate::api::undo::{LaterImport, UndoCounts};
use crate::backend::entities::import_row::Previous;
use crate::backend::entities::stored::Named;
use crate::backend::entities::{
    import, import_row, membership, outbox, profile_answer, profile_field, user,
};
use crate::backend::error::ServiceError;
use crate::backend::imports::{joined_track, UserEmail, CHUNK};
use crate::domain::email::normalize;
use crate::domain::text::search_key;
use crate::domain::{ImportStatus, OutboxStatus};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::{BTreeMap, HashMap, HashSet};

/// What a later import (not undone) wrote of one person.
#[derive(Default)]
struct LaterChanges {
    /// It wrote the names (an import that only fills empty fields does not).
    names: bool,
    /// It changed their email (their external ID found them).
    email: bool,
    /// Profile fields it wrote.
    fields: HashSet<String>,
    /// Tracks it listed them in.
    tracks: HashSet<i64>,
}

/// Everything undoing one import does, worked out before anything is written.
#[derive(Default)]
pub(super) struct Effects {
    pub(super) counts: UndoCounts,
    pub(super) later: Vec<LaterImport>,
    pub(super) track_id: Option<i64>,
    /// People who are active now and will not be after.
    pub(super) leaving: u64,
    /// People in no track now who will be after (a leave undone).
    pub(super) returning: u64,
    /// User, track, roles: memberships a leave removed, put back.
    pub(super) restore_memberships: Vec<(i64, i64, i32)>,
    pub(super) delete_users: Vec<i64>,
    pub(super) remove_memberships: Vec<i64>,
    /// Membership id → the roles to put back.
    pub(super) restore_roles: Vec<(i64, i32)>,
    /// User, first name, last name, search key.
    pub(super) restore_names: Vec<(i64, String, String, String)>,
    /// The addresses the import changed, put back.
    pub(super) restore_emails: Vec<UserEmail>,
    /// The field of the people's external ID, and the users whose answer
    /// there the undo changes (their copy in `users` follows).
    pub(super) id_field: Option<i64>,
    pub(super) ids_changed: Vec<i64>,
    pub(super) restore_answers: Vec<profile_answer::Model>,
    /// Field id → users whose value there was none before.
    pub(super) delete_answers: BTreeMap<i64, Vec<i64>>,
    pub(super) cancel_emails: Vec<i64>,
}

/// One person an import wrote: when, and what it overwrote.
struct Written {
    user_id: i64,
    write_order: i64,
    previous: Previous,
}

/// The import's rows that wrote someone.
async fn written_rows(
    db: &impl ConnectionTrait,
    import_id: i64,
) -> Result<Vec<Written>, ServiceError> {
    let written = import_row::Entity::find()
        .filter(import_row::Column::ImportId.eq(import_id))
        .filter(import_row::Column::UserId.is_not_null())
        .order_by_asc(import_row::Column::Line)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|r| {
            Some(Written {
                user_id: r.user_id?,
                write_order: r.write_order,
                previous: r.previous?.0,
            })
        })
        .collect::<Vec<_>>();
    Ok(written)
}

/// What other imports, not undone, wrote of these people after this one
/// did. "After" is per person and by write order, not by import id: two
/// imports running at once can write in the opposite order of their ids.
async fn later_changes(
    db: &impl ConnectionTrait,
    import_id: i64,
    written: &[Written],
) -> Result<(HashMap<i64, LaterChanges>, Vec<LaterImport>), ServiceError> {
    let order_of: HashMap<i64, i64> = written.iter().map(|w| (w.user_id, w.write_order)).collect();
    let Some(first) = order_of.values().min().copied() else {
        return Ok((HashMap::new(), Vec::new()));
    };
    let user_ids: Vec<i64> = order_of.keys().copied().collect();
    let mut later_rows = Vec::new();
    for chunk in user_ids.chunks(CHUNK) {
        later_rows.extend(
            import_row::Entity::find()
                .filter(import_row::Column::UserId.is_in(chunk.iter().copied()))
                .filter(import_row::Column::WriteOrder.gt(first))
                .filter(import_row::Column::ImportId.ne(import_id))
                .all(db)
                .await?
                .into_iter()
                .filter(|r| {
                    r.user_id
                        .and_then(|user| order_of.get(&user))
                        .is_some_and(|&mine| r.write_order > mine)
                }),
        );
    }
    let import_ids: HashSet<i64> = later_rows.iter().map(|r| r.import_id).collect();
    let mut imports: HashMap<i64, (import::Model, Option<i64>)> = HashMap::new();
    let ids: Vec<i64> = import_ids.into_iter().collect();
    for chunk in ids.chunks(CHUNK) {
        for imp in import::Entity::find()
            .filter(import::Column::Id.is_in(chunk.iter().copied()))
            .filter(import::Column::Status.ne(Named(ImportStatus::Undone)))
            .all(db)
            .await?
        {
            let joins = joined_track(&imp)?;
            imports.insert(imp.id, (imp, joins));
        }
    }
    let mut changes: HashMap<i64, LaterChanges> = HashMap::new();
    let mut people: BTreeMap<i64, u64> = BTreeMap::new();
    for r in later_rows {
        let (Some(user_id), Some((_, joins))) = (r.user_id, imports.get(&r.import_id)) else {
            continue;
        };
        let previous = r.previous.unwrap_or_default().0;
        let entry = changes.entry(user_id).or_default();
        entry.names |= previous.names.is_some();
        entry.email |= previous.email.is_some();
        entry
            .fields
            .extend(previous.answers.into_iter().map(|(key, _)| key));
        entry.tracks.extend(*joins);
        *people.entry(r.import_id).or_default() += 1;
    }
    let later = people
        .into_iter()
        .filter_map(|(id, people)| {
            imports.get(&id).map(|(imp, _)| LaterImport {
                id,
                started_at: minute(imp.started_at),
                people,
            })
        })
        .collect();
    Ok((changes, later))
}

/// What the database holds now of the people an import wrote.
#[derive(Default)]
struct Current {
    memberships: HashMap<i64, Vec<membership::Model>>,
    names: HashMap<i64, (String, String)>,
    /// Each user's normalised address.
    email_of: HashMap<i64, String>,
    /// (user, field) → value.
    answers: HashMap<(i64, i64), String>,
    field_ids: HashMap<String, i64>,
    id_field: Option<i64>,
    /// The import's own emails, by user.
    emails: HashMap<i64, Vec<outbox::Model>>,
    /// When this was read: the time restored answers are written at.
    read_at: DateTime<Utc>,
}

async fn current(
    db: &impl ConnectionTrait,
    import_id: i64,
    user_ids: &[i64],
) -> Result<Current, ServiceError> {
    let mut now = Current {
        read_at: Utc::now(),
        ..Current::default()
    };
    for chunk in user_ids.chunks(CHUNK) {
        for m in membership::Entity::find()
            .filter(membership::Column::UserId.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            now.memberships.entry(m.user_id).or_default().push(m);
        }
        for u in user::Entity::find()
            .filter(user::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            now.names.insert(u.id, (u.first_name, u.last_name));
            now.email_of.insert(u.id, u.email_normalized);
        }
        for a in profile_answer::Entity::find()
            .filter(profile_answer::Column::UserId.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            now.answers.insert((a.user_id, a.field_id), a.value);
        }
    }
    for f in profile_field::Entity::find().all(db).await? {
        if f.external_id && !f.archived {
            now.id_field = Some(f.id);
        }
        now.field_ids.insert(f.key, f.id);
    }
    for e in outbox::Entity::find()
        .filter(outbox::Column::ImportId.eq(import_id))
        .all(db)
        .await?
    {
        now.emails.entry(e.user_id).or_default().push(e);
    }
    Ok(now)
}

pub(super) async fn plan(
    db: &impl ConnectionTrait,
    imp: &import::Model,
) -> Result<Effects, ServiceError> {
    let joined = joined_track(imp)?;
    let rows = written_rows(db, imp.id).await?;
    let user_ids: Vec<i64> = rows.iter().map(|w| w.user_id).collect();
    let (later, later_imports) = later_changes(db, imp.id, &rows).await?;
    let current = current(db, imp.id, &user_ids).await?;
    let mut fx = Effects {
        later: later_imports,
        track_id: joined,
        id_field: current.id_field,
        ..Effects::default()
    };
    for written in rows {
        let later = later.get(&written.user_id);
        fx.undo_person(&current, written, later);
    }
    Ok(fx)
}

impl Effects {
    /// What undoing the import does to one person it wrote.
    fn undo_person(&mut self, current: &Current, written: Written, later: Option<&LaterChanges>) {
        let Written {
            user_id, previous, ..
        } = written;
        let Some(current_names) = current.names.get(&user_id) else {
            return; // deleted meanwhile: nothing of theirs is left
        };
        let changed_later = later.is_some();
        let no_later = LaterChanges::default();
        let later = later.unwrap_or(&no_later);
        if changed_later {
            self.counts.kept_for_later_imports += 1;
        }
        let joined = self.track_id;
        let held = current
            .memberships
            .get(&user_id)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let in_track = joined.and_then(|t| held.iter().find(|m| m.track_id == t));
        let track_kept_later = joined.is_some_and(|t| later.tracks.contains(&t));
        let their_emails = current
            .emails
            .get(&user_id)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let emailed = their_emails.iter().any(|e| e.status.left_roster());

        // The track: leave it if the import brought them, else lose its roles.
        let leaves_track = previous.membership_created && !track_kept_later;
        let mut removed = None;
        if let (Some(m), false) = (in_track, track_kept_later) {
            if previous.membership_created {
                removed = Some(m.id);
            } else if let Some(before) = previous.roles.filter(|b| *b != m.roles) {
                self.restore_roles.push((m.id, before));
                self.counts.roles_removed += 1;
            }
        }
        let memberships_left = held.len() - usize::from(removed.is_some());
        let deleted = previous.user_created && !changed_later && memberships_left == 0 && !emailed;
        if deleted {
            self.delete_users.push(user_id);
            self.counts.users_deleted += 1;
        } else if let Some(id) = removed {
            self.remove_memberships.push(id);
            if previous.user_created && emailed {
                self.counts.emailed_kept_dormant += 1;
            } else {
                self.counts.memberships_removed += 1;
            }
        }
        if !held.is_empty() && (deleted || removed.is_some()) && memberships_left == 0 {
            self.leaving += 1;
        }
        if !previous.user_created {
            let names = previous
                .names
                .clone()
                .filter(|n| !later.names && n != current_names);
            let email = previous.email.clone().filter(|_| !later.email);
            self.restore_profile(current, user_id, (names, email), previous.answers, later);
        }
        self.settle_emails(their_emails, leaves_track || deleted);
        self.give_back_tracks(user_id, &previous.left, held, later);
    }

    /// The tracks (or roles) a leave took from them, given back where no
    /// later import listed them in that track since.
    fn give_back_tracks(
        &mut self,
        user_id: i64,
        left: &[(i64, i32)],
        held: &[membership::Model],
        later: &LaterChanges,
    ) {
        let mut gave = false;
        for &(track_id, roles) in left {
            if later.tracks.contains(&track_id) {
                continue;
            }
            match held.iter().find(|m| m.track_id == track_id) {
                Some(m) if m.roles | roles == m.roles => {}
                Some(m) => {
                    self.restore_roles.push((m.id, m.roles | roles));
                    gave = true;
                }
                None => {
                    self.restore_memberships.push((user_id, track_id, roles));
                    gave = true;
                }
            }
        }
        if gave {
            self.counts.memberships_restored += 1;
            self.returning += u64::from(held.is_empty());
        }
    }

    /// The profile: what was there before, where no later import wrote since.
    /// `(names, email)`: the names and the address to put back, if any.
    fn restore_profile(
        &mut self,
        current: &Current,
        user_id: i64,
        (names, email): (Option<(String, String)>, Option<String>),
        answers_before: Vec<(String, Option<String>)>,
        later: &LaterChanges,
    ) {
        let mut restored = names.is_some() || email.is_some();
        // The search key reads the names and the address as they will be.
        let address = email.as_deref().map(normalize);
        let address = address
            .or_else(|| current.email_of.get(&user_id).cloned())
            .unwrap_or_default();
        let (first, last) = names
            .clone()
            .or_else(|| current.names.get(&user_id).cloned())
            .unwrap_or_default();
        let search = search_key(&first, &last, &address);
        if let Some(given) = email {
            self.restore_emails
                .push((user_id, given, address, search.clone()));
        }
        if let Some((first, last)) = names {
            self.restore_names.push((user_id, first, last, search));
        }
        for (key, before) in answers_before {
            let Some(&field_id) = current.field_ids.get(&key) else {
                continue;
            };
            if later.fields.contains(&key)
                || current.answers.get(&(user_id, field_id)) == before.as_ref()
            {
                continue;
            }
            if Some(field_id) == self.id_field {
                self.ids_changed.push(user_id);
            }
            match before {
                Some(value) => self.restore_answers.push(profile_answer::Model {
                    user_id,
                    field_id,
                    value,
                    updated_at: current.read_at,
                }),
                None => self
                    .delete_answers
                    .entry(field_id)
                    .or_default()
                    .push(user_id),
            }
            restored = true;
        }
        self.counts.profiles_restored += u64::from(restored);
    }

    /// The import's emails to one person: those still waiting are called
    /// off when the person leaves the track or goes; the rest are counted.
    fn settle_emails(&mut self, their_emails: &[outbox::Model], cancel: bool) {
        for e in their_emails {
            match *e.status {
                OutboxStatus::Queued if cancel => {
                    self.cancel_emails.push(e.id);
                    self.counts.emails_cancelled += 1;
                }
                OutboxStatus::Queued => self.counts.emails_kept += 1,
                OutboxStatus::Sent | OutboxStatus::Sending => self.counts.emails_sent += 1,
                OutboxStatus::Failed | OutboxStatus::Cancelled => {}
            }
        }
    }
}
