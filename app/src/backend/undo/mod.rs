//! Undoing an import (docs/history-and-undo.md), from what each row recorded at apply time:
//! what is still the import's own is taken back; what a later import
//! changed stays as that import left it.

mod effects;
mod plan;

use crate::api::undo::{UndoCounts, UndoPlan, UndoWindow};
use crate::backend::db::begin_write;
use crate::backend::entities::stored::Named;
use crate::backend::entities::{import, import_row, outbox, track};
use crate::backend::error::ServiceError;
use crate::backend::history::visible_import;
use crate::backend::imports::{within_the_licence, write_people_alone};
use crate::backend::overview::{license_use, settings};
use crate::domain::text::thousands;
use crate::domain::{Admin, ImportStatus, OutboxStatus};
use crate::AppError;
use chrono::{DateTime, Duration, Utc};
use plan::plan;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

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
    if imp.status == ImportStatus::Undone {
        let at = imp.undone_at.map(minute).unwrap_or_default();
        return Err(format!("This import was already undone, at {at} UTC."));
    }
    let wrote = imp.created_count
        + imp.updated_count
        + imp.added_count
        + imp.roles_added_count
        + imp.left_count;
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
    if let (Some(at), ImportStatus::Undone) = (imp.undone_at, *imp.status) {
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

#[tracing::instrument(skip_all, fields(import = id))]
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
        active_after: (license_now.active_users + effects.returning)
            .saturating_sub(effects.leaving),
        license_now,
        until: minute(until),
    })
}

#[tracing::instrument(skip_all, fields(import = id))]
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
            .filter(outbox::Column::Status.eq(Named(OutboxStatus::Queued)))
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
    if effects.returning > 0 {
        within_the_licence(&txn, "This undo").await?;
    }
    import::Entity::update_many()
        .col_expr(
            import::Column::Status,
            Expr::value(Named(ImportStatus::Undone)),
        )
        .col_expr(import::Column::UndoneAt, Expr::value(Utc::now()))
        .col_expr(import::Column::UndoneBy, Expr::value(admin.id))
        .filter(import::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    tracing::info!(import = id, admin = admin.id, counts = ?effects.counts, "import undone");
    Ok(effects.counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ImportKind;

    fn import(status: ImportStatus, created: i32) -> import::Model {
        let at = Utc::now();
        import::Model {
            id: 1,
            kind: Named(ImportKind::CsvTrack),
            track_id: Some(1),
            admin_id: Some(1),
            status: Named(status),
            file_name: None,
            file_hash: None,
            sheet: None,
            mapping: None,
            role_choice: None,
            rows_total: 1,
            add_rule: Named(Default::default()),
            write_rule: Named(Default::default()),
            created_count: created,
            updated_count: 0,
            added_count: 0,
            roles_added_count: 0,
            emails_queued_count: 0,
            skipped_count: 0,
            skipped_existing_count: 0,
            skipped_new_count: 0,
            left_count: 0,
            started_at: at,
            finished_at: Some(at),
            undone_at: (status == ImportStatus::Undone).then_some(at),
            undone_by: None,
        }
    }

    #[test]
    fn the_window_is_the_hold_time_after_the_last_write() {
        let wrote = Utc::now();
        let imp = import(ImportStatus::Completed, 1);
        let until = window(&imp, wrote, 10, wrote + Duration::minutes(9)).unwrap();
        assert_eq!(until, wrote + Duration::minutes(10));
        let late = window(&imp, wrote, 10, wrote + Duration::minutes(11)).unwrap_err();
        assert!(late.contains("can no longer be undone"), "{late}");
        assert!(late.contains(&minute(until)), "{late}");
    }

    #[test]
    fn undone_empty_or_unheld_imports_cannot_be_undone() {
        let now = Utc::now();
        let twice = window(&import(ImportStatus::Undone, 1), now, 10, now).unwrap_err();
        assert!(twice.contains("already undone"), "{twice}");
        let empty = window(&import(ImportStatus::Completed, 0), now, 10, now).unwrap_err();
        assert!(empty.contains("nothing to undo"), "{empty}");
        let unheld = window(&import(ImportStatus::Completed, 1), now, 0, now).unwrap_err();
        assert!(unheld.contains("without holding"), "{unheld}");
    }
}
