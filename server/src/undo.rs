//! Undoing an import (SPEC §9), from what each row recorded at apply time:
//! what is still the import's own is taken back; what a later import
//! changed stays as that import left it.

use crate::db::begin_write;
use crate::entities::{
    import, import_row, membership, outbox, profile_answer, profile_field, track, user,
};
use crate::error::ServiceError;
use crate::history::visible_import;
use crate::imports::{joined_track, upsert_answers, write_people_alone, Previous, CHUNK};
use crate::overview::{license_use, settings};
use app::api::undo::{LaterImport, UndoCounts, UndoPlan, UndoWindow};
use app::domain::text::search_key;
use app::domain::text::thousands;
use app::domain::Admin;
use app::AppError;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{CaseStatement, Expr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use std::collections::{BTreeMap, HashMap, HashSet};

/// "YYYY-MM-DD HH:MM", UTC, as the history shows times.
pub(crate) fn minute(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M").to_string()
}

/// Until when `imp` may be undone, or why it may not: within the
/// instance's email hold time after its last write.
pub(crate) fn window(
    imp: &import::Model,
    last_write: DateTime<Utc>,
    hold_minutes: i32,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, String> {
    if imp.status == "undone" {
        let at = imp.undone_at.map(minute).unwrap_or_default();
        return Err(format!("This import was already undone, at {at} UTC."));
    }
    let wrote = imp.created_count + imp.updated_count + imp.added_count + imp.roles_added_count;
    if wrote == 0 {
        return Err("This import wrote nothing, so there is nothing to undo.".into());
    }
    if hold_minutes <= 0 {
        return Err(
            "This instance sends emails without holding them first, so imports cannot be undone."
                .into(),
        );
    }
    let until = last_write + Duration::minutes(i64::from(hold_minutes));
    if now > until {
        return Err(format!(
            "Undo was possible until {} UTC, {} minutes after the import; it can no \
             longer be undone.",
            minute(until),
            thousands(hold_minutes)
        ));
    }
    Ok(until)
}

/// When the import last wrote: when it finished, else its latest row.
async fn last_write(
    db: &impl ConnectionTrait,
    imp: &import::Model,
) -> Result<DateTime<Utc>, ServiceError> {
    if let Some(at) = imp.finished_at {
        return Ok(at);
    }
    let latest = import_row::Entity::find()
        .filter(import_row::Column::ImportId.eq(imp.id))
        .order_by_desc(import_row::Column::AppliedAt)
        .one(db)
        .await?;
    Ok(latest.map_or(imp.started_at, |r| r.applied_at))
}

/// The undo window as the import's page shows it.
pub(crate) async fn window_of(
    db: &DatabaseConnection,
    imp: &import::Model,
    undone_by: Option<String>,
) -> Result<UndoWindow, ServiceError> {
    if let (Some(at), "undone") = (imp.undone_at, imp.status.as_str()) {
        return Ok(UndoWindow::Undone {
            at: minute(at),
            by: undone_by,
        });
    }
    let hold = settings(db).await?.email_hold_minutes;
    Ok(
        match window(imp, last_write(db, imp).await?, hold, Utc::now()) {
            Ok(until) => UndoWindow::Open {
                until: minute(until),
            },
            Err(why) => UndoWindow::Closed(why),
        },
    )
}

/// The import, if this admin may undo it now, with the end of its window.
async fn undoable(
    db: &impl ConnectionTrait,
    admin: &Admin,
    id: i64,
) -> Result<(import::Model, DateTime<Utc>), ServiceError> {
    let imp = visible_import(db, admin, id).await?;
    let hold = settings(db).await?.email_hold_minutes;
    let until = window(&imp, last_write(db, &imp).await?, hold, Utc::now())
        .map_err(|why| ServiceError::Refused(AppError::Invalid(why)))?;
    Ok((imp, until))
}

pub async fn preview(
    db: &DatabaseConnection,
    admin: &Admin,
    id: i64,
) -> Result<UndoPlan, ServiceError> {
    let (imp, until) = undoable(db, admin, id).await?;
    let effects = plan(db, &imp).await?;
    let track_name = match effects.track_id {
        Some(id) => track::Entity::find_by_id(id).one(db).await?.map(|t| t.name),
        None => None,
    };
    let license_now = license_use(db).await?;
    Ok(UndoPlan {
        counts: effects.counts,
        later_imports: effects.later,
        track_name,
        active_after: license_now.active_users.saturating_sub(effects.leaving),
        license_now,
        until: minute(until),
    })
}

pub async fn undo(
    db: &DatabaseConnection,
    admin: &Admin,
    id: i64,
    expected: UndoCounts,
) -> Result<UndoCounts, ServiceError> {
    let txn = begin_write(db).await?;
    // A batch of the same import still running finishes first; after the
    // undo, further batches are refused.
    write_people_alone(&txn).await?;
    if txn.get_database_backend() == DbBackend::Postgres {
        // The outbox worker skips locked rows: none of these goes out meanwhile.
        outbox::Entity::find()
            .filter(outbox::Column::ImportId.eq(id))
            .filter(outbox::Column::Status.eq("queued"))
            .lock_exclusive()
            .all(&txn)
            .await?;
    }
    let (imp, _) = undoable(&txn, admin, id).await?;
    let effects = plan(&txn, &imp).await?;
    if effects.counts != expected {
        return Err(AppError::Invalid(
            "Something changed since the confirmation was shown: check the new figures and \
             confirm again."
                .into(),
        )
        .into());
    }
    if effects.counts.is_nothing() {
        return Err(AppError::Invalid(
            "Nothing of this import is left to undo: later imports changed all of it.".into(),
        )
        .into());
    }
    effects.apply(&txn).await?;
    import::Entity::update_many()
        .col_expr(import::Column::Status, Expr::value("undone"))
        .col_expr(import::Column::UndoneAt, Expr::value(Utc::now()))
        .col_expr(import::Column::UndoneBy, Expr::value(admin.id))
        .filter(import::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    tracing::info!(import = id, admin = admin.id, counts = ?effects.counts, "import undone");
    Ok(effects.counts)
}

/// What a later import (not undone) wrote of one person.
#[derive(Default)]
struct LaterChanges {
    /// Profile fields it wrote (it always writes the names).
    fields: HashSet<String>,
    /// Tracks it listed them in.
    tracks: HashSet<i64>,
}

/// Everything undoing one import does, worked out before anything is written.
#[derive(Default)]
struct Effects {
    counts: UndoCounts,
    later: Vec<LaterImport>,
    track_id: Option<i64>,
    /// People who are active now and will not be after.
    leaving: u64,
    delete_users: Vec<i64>,
    remove_memberships: Vec<i64>,
    /// Membership id → the roles to put back.
    restore_roles: Vec<(i64, i32)>,
    /// User id, first name, last name.
    /// User, first name, last name, search key.
    restore_names: Vec<(i64, String, String, String)>,
    restore_answers: Vec<profile_answer::Model>,
    /// Field id → users whose value there was none before.
    delete_answers: BTreeMap<i64, Vec<i64>>,
    cancel_emails: Vec<i64>,
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
    import_row::Entity::find()
        .filter(import_row::Column::ImportId.eq(import_id))
        .filter(import_row::Column::UserId.is_not_null())
        .order_by_asc(import_row::Column::Line)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|r| Some((r.user_id?, r.write_order, r.previous?)))
        .map(|(user_id, write_order, previous)| {
            serde_json::from_str(&previous)
                .map(|previous| Written {
                    user_id,
                    write_order,
                    previous,
                })
                .map_err(|e| ServiceError::Data(e.to_string()))
        })
        .collect()
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
            .filter(import::Column::Status.ne("undone"))
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
        let previous: Previous = serde_json::from_str(r.previous.as_deref().unwrap_or("{}"))
            .map_err(|e| ServiceError::Data(e.to_string()))?;
        let entry = changes.entry(user_id).or_default();
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

async fn plan(db: &impl ConnectionTrait, imp: &import::Model) -> Result<Effects, ServiceError> {
    let joined = joined_track(imp)?;
    let rows = written_rows(db, imp.id).await?;
    let user_ids: Vec<i64> = rows.iter().map(|w| w.user_id).collect();
    let (later, later_imports) = later_changes(db, imp.id, &rows).await?;

    let mut memberships: HashMap<i64, Vec<membership::Model>> = HashMap::new();
    let mut names: HashMap<i64, (String, String)> = HashMap::new();
    let mut email_of: HashMap<i64, String> = HashMap::new();
    let mut answers: HashMap<(i64, i64), String> = HashMap::new();
    for chunk in user_ids.chunks(CHUNK) {
        for m in membership::Entity::find()
            .filter(membership::Column::UserId.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            memberships.entry(m.user_id).or_default().push(m);
        }
        for u in user::Entity::find()
            .filter(user::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            names.insert(u.id, (u.first_name, u.last_name));
            email_of.insert(u.id, u.email_normalized);
        }
        for a in profile_answer::Entity::find()
            .filter(profile_answer::Column::UserId.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            answers.insert((a.user_id, a.field_id), a.value);
        }
    }
    let field_ids: HashMap<String, i64> = profile_field::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.key, f.id))
        .collect();
    let mut emails: HashMap<i64, Vec<outbox::Model>> = HashMap::new();
    for e in outbox::Entity::find()
        .filter(outbox::Column::ImportId.eq(imp.id))
        .all(db)
        .await?
    {
        emails.entry(e.user_id).or_default().push(e);
    }

    let no_later = LaterChanges::default();
    let mut fx = Effects {
        later: later_imports,
        track_id: joined,
        ..Effects::default()
    };
    let now = Utc::now();
    for Written {
        user_id, previous, ..
    } in rows
    {
        let Some(current_names) = names.get(&user_id) else {
            continue; // deleted meanwhile: nothing of theirs is left
        };
        let later_import = later.get(&user_id);
        let changed_later = later_import.is_some();
        let later_import = later_import.unwrap_or(&no_later);
        if changed_later {
            fx.counts.kept_for_later_imports += 1;
        }
        let held = memberships.get(&user_id).map(Vec::as_slice).unwrap_or(&[]);
        let in_track = joined.and_then(|t| held.iter().find(|m| m.track_id == t));
        let track_kept_later = joined.is_some_and(|t| later_import.tracks.contains(&t));
        let their_emails = emails.get(&user_id).map(Vec::as_slice).unwrap_or(&[]);
        let emailed = their_emails
            .iter()
            .any(|e| matches!(e.status.as_str(), "sent" | "sending"));

        // The track: leave it if the import brought them, else lose its roles.
        let leaves_track = previous.membership_created && !track_kept_later;
        let mut removed = None;
        if let (Some(m), false) = (in_track, track_kept_later) {
            if previous.membership_created {
                removed = Some(m.id);
            } else if let Some(before) = previous.roles.filter(|b| *b != m.roles) {
                fx.restore_roles.push((m.id, before));
                fx.counts.roles_removed += 1;
            }
        }
        let memberships_left = held.len() - usize::from(removed.is_some());
        let deleted = previous.user_created && !changed_later && memberships_left == 0 && !emailed;
        if deleted {
            fx.delete_users.push(user_id);
            fx.counts.users_deleted += 1;
        } else if let Some(id) = removed {
            fx.remove_memberships.push(id);
            if previous.user_created && emailed {
                fx.counts.emailed_kept_dormant += 1;
            } else {
                fx.counts.memberships_removed += 1;
            }
        }
        if !held.is_empty() && (deleted || removed.is_some()) && memberships_left == 0 {
            fx.leaving += 1;
        }

        // The profile: what was there before, where no later import wrote since.
        if !previous.user_created {
            let mut restored = false;
            if let Some((first, last)) = previous
                .names
                .filter(|n| !changed_later && n != current_names)
            {
                let email = email_of.get(&user_id).map_or("", String::as_str);
                let key = search_key(&first, &last, email);
                fx.restore_names.push((user_id, first, last, key));
                restored = true;
            }
            for (key, before) in previous.answers {
                let Some(&field_id) = field_ids.get(&key) else {
                    continue;
                };
                if later_import.fields.contains(&key)
                    || answers.get(&(user_id, field_id)) == before.as_ref()
                {
                    continue;
                }
                match before {
                    Some(value) => fx.restore_answers.push(profile_answer::Model {
                        user_id,
                        field_id,
                        value,
                        updated_at: now,
                    }),
                    None => fx.delete_answers.entry(field_id).or_default().push(user_id),
                }
                restored = true;
            }
            fx.counts.profiles_restored += u64::from(restored);
        }

        for e in their_emails {
            match e.status.as_str() {
                "queued" if leaves_track || deleted => {
                    fx.cancel_emails.push(e.id);
                    fx.counts.emails_cancelled += 1;
                }
                "queued" => fx.counts.emails_kept += 1,
                "sent" | "sending" => fx.counts.emails_sent += 1,
                _ => {}
            }
        }
    }
    Ok(fx)
}

impl Effects {
    /// Writes the undo: chunked multi-row statements, in the caller's transaction.
    async fn apply(&self, txn: &impl ConnectionTrait) -> Result<(), ServiceError> {
        for chunk in self.cancel_emails.chunks(CHUNK) {
            outbox::Entity::update_many()
                .col_expr(outbox::Column::Status, Expr::value("cancelled"))
                .col_expr(
                    outbox::Column::LastError,
                    Expr::value("Cancelled: the import was undone."),
                )
                .filter(outbox::Column::Id.is_in(chunk.iter().copied()))
                .filter(outbox::Column::Status.eq("queued"))
                .exec(txn)
                .await?;
        }
        for chunk in self.remove_memberships.chunks(CHUNK) {
            membership::Entity::delete_many()
                .filter(membership::Column::Id.is_in(chunk.iter().copied()))
                .exec(txn)
                .await?;
        }
        // Their memberships, answers and emails go with them.
        for chunk in self.delete_users.chunks(CHUNK) {
            user::Entity::delete_many()
                .filter(user::Column::Id.is_in(chunk.iter().copied()))
                .exec(txn)
                .await?;
        }
        let mut by_roles: BTreeMap<i32, Vec<i64>> = BTreeMap::new();
        for (id, roles) in &self.restore_roles {
            by_roles.entry(*roles).or_default().push(*id);
        }
        for (roles, ids) in by_roles {
            for chunk in ids.chunks(CHUNK) {
                membership::Entity::update_many()
                    .col_expr(membership::Column::Roles, Expr::value(roles))
                    .col_expr(membership::Column::UpdatedAt, Expr::value(Utc::now()))
                    .filter(membership::Column::Id.is_in(chunk.iter().copied()))
                    .exec(txn)
                    .await?;
            }
        }
        for chunk in self.restore_names.chunks(CHUNK) {
            let mut first = CaseStatement::new();
            let mut last = CaseStatement::new();
            let mut keys = CaseStatement::new();
            for (id, f, l, k) in chunk {
                first = first.case(user::Column::Id.eq(*id), Expr::value(f.clone()));
                last = last.case(user::Column::Id.eq(*id), Expr::value(l.clone()));
                keys = keys.case(user::Column::Id.eq(*id), Expr::value(k.clone()));
            }
            user::Entity::update_many()
                .col_expr(user::Column::FirstName, first.into())
                .col_expr(user::Column::LastName, last.into())
                .col_expr(user::Column::SearchKey, keys.into())
                .col_expr(user::Column::UpdatedAt, Expr::value(Utc::now()))
                .filter(user::Column::Id.is_in(chunk.iter().map(|(id, ..)| *id)))
                .exec(txn)
                .await?;
        }
        upsert_answers(txn, self.restore_answers.iter().cloned()).await?;
        for (field_id, users) in &self.delete_answers {
            for chunk in users.chunks(CHUNK) {
                profile_answer::Entity::delete_many()
                    .filter(profile_answer::Column::FieldId.eq(*field_id))
                    .filter(profile_answer::Column::UserId.is_in(chunk.iter().copied()))
                    .exec(txn)
                    .await?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn import(status: &str, created: i32) -> import::Model {
        let at = Utc::now();
        import::Model {
            id: 1,
            kind: "csv_track".into(),
            track_id: Some(1),
            admin_id: Some(1),
            status: status.into(),
            file_name: None,
            file_hash: None,
            mapping: None,
            role_choice: None,
            rows_total: 1,
            created_count: created,
            updated_count: 0,
            added_count: 0,
            roles_added_count: 0,
            emails_queued_count: 0,
            skipped_count: 0,
            started_at: at,
            finished_at: Some(at),
            undone_at: (status == "undone").then_some(at),
            undone_by: None,
        }
    }

    #[test]
    fn the_window_is_the_hold_time_after_the_last_write() {
        let wrote = Utc::now();
        let imp = import("completed", 1);
        let until = window(&imp, wrote, 10, wrote + Duration::minutes(9)).unwrap();
        assert_eq!(until, wrote + Duration::minutes(10));
        let late = window(&imp, wrote, 10, wrote + Duration::minutes(11)).unwrap_err();
        assert!(late.contains("can no longer be undone"), "{late}");
        assert!(late.contains(&minute(until)), "{late}");
    }

    #[test]
    fn undone_empty_or_unheld_imports_cannot_be_undone() {
        let now = Utc::now();
        let twice = window(&import("undone", 1), now, 10, now).unwrap_err();
        assert!(twice.contains("already undone"), "{twice}");
        let empty = window(&import("completed", 0), now, 10, now).unwrap_err();
        assert!(empty.contains("nothing to undo"), "{empty}");
        let unheld = window(&import("completed", 1), now, 0, now).unwrap_err();
        assert!(unheld.contains("without holding"), "{unheld}");
    }
}
