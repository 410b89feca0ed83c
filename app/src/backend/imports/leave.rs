//! Taking a person out of tracks — SCIM's `active: false`, a deletion, a
//! group's member removed (docs/scim.md) — as an import of its own: one
//! row, recorded with the roles each track had, so that the history shows
//! it and undo gives them back.

use super::batch::{next_write_order, write_people_alone};
use super::{invalid, ImportSource};
use crate::backend::db::begin_write;
use crate::backend::entities::import_row::Previous;
use crate::backend::entities::stored::{Json, Named};
use crate::backend::entities::{import, import_row, membership, user};
use crate::backend::error::ServiceError;
use crate::domain::csv_upload::RoleChoice;
use crate::domain::{Admin, ImportKind, ImportStatus, Roles};
use crate::RowOutcome;
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

/// Who leaves what.
#[derive(Debug, Clone, Copy)]
pub struct Leaving {
    pub user_id: i64,
    /// `None`: every track.
    pub track_id: Option<i64>,
    /// The roles taken away; `None`: all (the membership goes).
    pub roles: Option<Roles>,
}

/// Takes the person out, in one transaction with its record. Answers the
/// import's id, or `None` when they held nothing to take (nothing is
/// written or recorded then).
#[tracing::instrument(skip_all, fields(user = leaving.user_id))]
pub async fn leave(
    db: &sea_orm::DatabaseConnection,
    admin: &Admin,
    source: ImportSource,
    leaving: Leaving,
) -> Result<Option<i64>, ServiceError> {
    if !admin.administers(leaving.track_id) {
        return invalid("Only a global admin can take people out of every track.");
    }
    let txn = begin_write(db).await?;
    write_people_alone(&txn).await?;
    let Some(person) = user::Entity::find_by_id(leaving.user_id).one(&txn).await? else {
        return invalid("No such person.");
    };
    let mut held = membership::Entity::find().filter(membership::Column::UserId.eq(person.id));
    if let Some(track_id) = leaving.track_id {
        held = held.filter(membership::Column::TrackId.eq(track_id));
    }
    let now = Utc::now();
    let mut left = Vec::new();
    for m in held.all(&txn).await? {
        let keep = leaving.roles.map_or(0, |taken| m.roles & !taken.bits());
        if keep == m.roles {
            continue;
        }
        left.push((m.track_id, m.roles));
        let by_id = membership::Column::Id.eq(m.id);
        if keep == 0 {
            membership::Entity::delete_many()
                .filter(by_id)
                .exec(&txn)
                .await?;
        } else {
            membership::Entity::update_many()
                .col_expr(membership::Column::Roles, Expr::value(keep))
                .col_expr(membership::Column::UpdatedAt, Expr::value(now))
                .filter(by_id)
                .exec(&txn)
                .await?;
        }
    }
    if left.is_empty() {
        return Ok(None);
    }
    let kind = match source {
        ImportSource::Scim => ImportKind::Scim,
        _ => ImportKind::Manual,
    };
    let recorded = import::ActiveModel {
        kind: Set(Named(kind)),
        track_id: Set(leaving.track_id),
        admin_id: Set(Some(admin.id)),
        status: Set(Named(ImportStatus::Completed)),
        file_name: Set(Some(match leaving.track_id {
            Some(_) => "Left the track".into(),
            None => "Left every track".into(),
        })),
        role_choice: Set(Some(Json(RoleChoice::Dormant))),
        rows_total: Set(1),
        add_rule: Set(Named(Default::default())),
        write_rule: Set(Named(Default::default())),
        left_count: Set(1),
        started_at: Set(now),
        finished_at: Set(Some(now)),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    import_row::ActiveModel {
        import_id: Set(recorded.id),
        line: Set(1),
        outcome: Set(Named(RowOutcome::Left)),
        user_id: Set(Some(person.id)),
        email: Set(Some(person.email_normalized)),
        errors: Set(None),
        previous: Set(Some(Json(Previous {
            left,
            ..Previous::default()
        }))),
        applied_at: Set(now),
        write_order: Set(next_write_order(&txn).await?),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(Some(recorded.id))
}
