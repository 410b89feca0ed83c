//! The people's ID in other systems (docs/importing.md, "Matching people
//! by an ID"). The ID is a profile answer like any other; `users.external_id`
//! holds a copy, so that one unique index keeps it unique and finds people
//! by it. Whatever writes answers copies them with [`copy_answers`].

use crate::backend::entities::{profile_answer, profile_field, user};
use crate::backend::imports::CHUNK;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};

/// The field the instance names as the people's ID, unless archived.
pub async fn id_field(db: &impl ConnectionTrait) -> Result<Option<profile_field::Model>, DbErr> {
    profile_field::Entity::find()
        .filter(profile_field::Column::ExternalId.eq(true))
        .filter(profile_field::Column::Archived.eq(false))
        .one(db)
        .await
}

/// The users holding these IDs, asked in chunks.
pub(crate) async fn users_by_id(
    db: &impl ConnectionTrait,
    ids: &[String],
) -> Result<Vec<user::Model>, DbErr> {
    let mut found = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        found.extend(
            user::Entity::find()
                .filter(user::Column::ExternalId.is_in(chunk.iter().cloned()))
                .all(db)
                .await?,
        );
    }
    Ok(found)
}

/// Copies these users' answers to the ID field (or nothing, when they have
/// none) to `users.external_id`.
pub(crate) async fn copy_answers(
    db: &impl ConnectionTrait,
    field_id: i64,
    user_ids: &[i64],
) -> Result<(), DbErr> {
    for chunk in user_ids.chunks(CHUNK) {
        user::Entity::update_many()
            .col_expr(user::Column::ExternalId, answer_of_the_user(field_id))
            .filter(user::Column::Id.is_in(chunk.iter().copied()))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// The user's answer to the field, for an UPDATE of `users`. The id is
/// written into the statement: a number of the database's own.
fn answer_of_the_user(field_id: i64) -> Expr {
    Expr::cust(format!(
        "(SELECT profile_answers.value FROM profile_answers \
         WHERE profile_answers.user_id = users.id AND profile_answers.field_id = {field_id})"
    ))
}

/// Makes `users.external_id` hold every user's answer to `field` (none
/// when no field is the ID), after the instance file named or changed
/// it. Two people with one ID are refused with a sentence that names it.
pub async fn copy_every_answer(
    db: &impl ConnectionTrait,
    field: Option<&profile_field::Model>,
) -> Result<(), DbErr> {
    user::Entity::update_many()
        .col_expr(
            user::Column::ExternalId,
            Expr::value(Option::<String>::None),
        )
        .filter(user::Column::ExternalId.is_not_null())
        .exec(db)
        .await?;
    let Some(field) = field else {
        return Ok(());
    };
    let shared: Option<(String, i64)> = profile_answer::Entity::find()
        .select_only()
        .column(profile_answer::Column::Value)
        .column_as(profile_answer::Column::UserId.count(), "people")
        .filter(profile_answer::Column::FieldId.eq(field.id))
        .group_by(profile_answer::Column::Value)
        .having(profile_answer::Column::UserId.count().gt(1))
        .into_tuple()
        .one(db)
        .await?;
    if let Some((value, people)) = shared {
        return Err(DbErr::Custom(format!(
            "{people} people have {value:?} as their {title}, so it cannot be the external ID: \
             give each person their own {title}, or remove `external_id` from the field.",
            title = field.title
        )));
    }
    user::Entity::update_many()
        .col_expr(user::Column::ExternalId, answer_of_the_user(field.id))
        .filter(
            user::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(profile_answer::Column::UserId)
                    .from(profile_answer::Entity)
                    .and_where(profile_answer::Column::FieldId.eq(field.id))
                    .to_owned(),
            ),
        )
        .exec(db)
        .await?;
    Ok(())
}
