//! The system email a person added to a track gets, queued in the
//! batch's transaction and held for the undo window.

use crate::backend::entities::stored::Named;
use crate::backend::entities::{email_template, outbox, track};
use crate::backend::error::ServiceError;
use crate::backend::overview::settings;
use crate::domain::csv_upload::Person;
use crate::domain::email_text::{self, Recipient};
use crate::domain::{OutboxStatus, SystemEmail};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, Value};
use std::collections::HashMap;

/// The track's name and its edited templates (missing ones use the default text).
pub(super) async fn track_templates(
    txn: &DatabaseTransaction,
    track_id: i64,
) -> Result<(String, HashMap<SystemEmail, email_template::Model>), ServiceError> {
    let name = track::Entity::find_by_id(track_id)
        .one(txn)
        .await?
        .map(|t| t.name)
        .unwrap_or_default();
    let templates = email_template::Entity::find()
        .filter(email_template::Column::TrackId.eq(track_id))
        .all(txn)
        .await?
        .into_iter()
        .map(|t| (*t.template, t))
        .collect();
    Ok((name, templates))
}

/// What every system email of a batch shares.
pub(super) struct MailSettings {
    hold_minutes: i64,
    sign_in_url: String,
}

pub(super) async fn mail_settings(txn: &DatabaseTransaction) -> Result<MailSettings, ServiceError> {
    let s = settings(txn).await?;
    Ok(MailSettings {
        hold_minutes: i64::from(s.email_hold_minutes),
        sign_in_url: s.sign_in_url,
    })
}

/// The outbox columns a system email fills, in the order of
/// [`system_email`]'s values.
pub(super) const QUEUED_EMAIL: [outbox::Column; 11] = [
    outbox::Column::TrackId,
    outbox::Column::UserId,
    outbox::Column::ImportId,
    outbox::Column::Template,
    outbox::Column::ToAddress,
    outbox::Column::Subject,
    outbox::Column::Body,
    outbox::Column::Status,
    outbox::Column::NotBefore,
    outbox::Column::Attempts,
    outbox::Column::CreatedAt,
];

/// The outbox row for a person added to a track, unless the template is off.
pub(super) fn system_email(
    (track_name, templates): &(String, HashMap<SystemEmail, email_template::Model>),
    track_id: i64,
    import_id: i64,
    (user_id, address): (i64, &str),
    p: &Person,
    now: DateTime<Utc>,
    mail: &MailSettings,
) -> Option<[Value; 11]> {
    let kind = SystemEmail::for_roles(p.roles)?;
    let (subject, body) = match templates.get(&kind) {
        Some(t) if !t.enabled => return None,
        Some(t) => (t.subject.as_str(), t.body.as_str()),
        None => kind.default_text(),
    };
    let to = Recipient {
        first_name: &p.first_name,
        last_name: &p.last_name,
        track_name,
        roles: p.roles,
        sign_in_link: &mail.sign_in_url,
    };
    let render = |text: &str| email_text::fill(text, &to);
    Some([
        track_id.into(),
        user_id.into(),
        Some(import_id).into(),
        Named(kind).into(),
        address.into(),
        render(subject).into(),
        render(body).into(),
        Named(OutboxStatus::Queued).into(),
        // Held so that an import can still be undone before anyone is mailed.
        (now + Duration::minutes(mail.hold_minutes)).into(),
        0i32.into(),
        now.into(),
    ])
}
