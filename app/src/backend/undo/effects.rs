//! Writing an undo that was worked out: chunked multi-row statements in
//! the caller's transaction.

use crate::backend::bulk::insert_rows;
use crate::backend::entities::stored::Named;
use crate::backend::entities::{membership, outbox, profile_answer, user};
use crate::backend::error::ServiceError;
use crate::backend::external_ids::copy_answers;
use crate::backend::imports::{set_emails, upsert_answers, CHUNK};
use crate::domain::OutboxStatus;
use crate::AppError;
use chrono::Utc;
use sea_orm::sea_query::{CaseStatement, Expr};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, SqlErr};
use std::collections::BTreeMap;

use super::plan::Effects;

impl Effects {
    /// Writes the undo: chunked multi-row statements, in the caller's transaction.
    pub(super) async fn apply(&self, txn: &impl ConnectionTrait) -> Result<(), ServiceError> {
        for chunk in self.cancel_emails.chunks(CHUNK) {
            outbox::Entity::update_many()
                .col_expr(
                    outbox::Column::Status,
                    Expr::value(Named(OutboxStatus::Cancelled)),
                )
                .col_expr(
                    outbox::Column::LastError,
                    Expr::value("Cancelled: the import was undone."),
                )
                .filter(outbox::Column::Id.is_in(chunk.iter().copied()))
                .filter(outbox::Column::Status.eq(Named(OutboxStatus::Queued)))
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
        let now = Utc::now();
        let rows = self
            .restore_memberships
            .iter()
            .map(|&(user_id, track_id, roles)| {
                [
                    user_id.into(),
                    track_id.into(),
                    roles.into(),
                    now.into(),
                    now.into(),
                ]
            })
            .collect();
        insert_rows::<membership::Entity, 5>(
            txn,
            [
                membership::Column::UserId,
                membership::Column::TrackId,
                membership::Column::Roles,
                membership::Column::CreatedAt,
                membership::Column::UpdatedAt,
            ],
            "",
            rows,
        )
        .await?;
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
        set_emails(txn, &self.restore_emails).await.map_err(|e| {
            taken(
                e,
                "An address this undo would give back is another person's now",
            )
        })?;
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
        if let Some(field_id) = self.id_field {
            copy_answers(txn, field_id, &self.ids_changed)
                .await
                .map_err(|e| taken(e, "An ID this undo would give back is another person's now"))?;
        }
        Ok(())
    }
}

/// A unique address or ID the undo would give back to someone who had it,
/// which another person has since been given: said in a sentence.
fn taken(error: DbErr, what: &str) -> ServiceError {
    // Each write it wraps has one unique column it can clash on.
    if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) {
        ServiceError::Refused(AppError::Invalid(format!(
            "{what}: give that person another one first, then undo again."
        )))
    } else {
        error.into()
    }
}
