//! A track's system emails (docs/system-emails.md): templates saved only when every
//! placeholder is known, and the outbox as the track's admins see it.

use crate::api::emails::{EmailTemplate, OutboxEntry, TrackEmails, OUTBOX_SHOWN};
use crate::backend::entities::stored::Named;
use crate::backend::entities::{email_template, outbox};
use crate::backend::error::ServiceError;
use crate::backend::imports::track_to_manage;
use crate::backend::overview::settings;
use crate::domain::email_text;
use crate::domain::{Admin, SystemEmail};
use crate::AppError;
use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

#[tracing::instrument(skip_all, fields(track = track_slug))]
pub async fn track_emails(
    db: &DatabaseConnection,
    admin: &Admin,
    track_slug: &str,
) -> Result<TrackEmails, ServiceError> {
    let track = track_to_manage(db, admin, track_slug).await?;
    let stored = email_template::Entity::find()
        .filter(email_template::Column::TrackId.eq(track.id))
        .all(db)
        .await?;
    let templates = SystemEmail::ALL
        .into_iter()
        .map(|email| match stored.iter().find(|t| t.template == email) {
            Some(t) => EmailTemplate {
                email,
                subject: t.subject.clone(),
                body: t.body.clone(),
                enabled: t.enabled,
                edited: (t.subject.as_str(), t.body.as_str()) != email.default_text(),
            },
            None => {
                let (subject, body) = email.default_text();
                EmailTemplate {
                    email,
                    subject: subject.to_owned(),
                    body: body.to_owned(),
                    enabled: true,
                    edited: false,
                }
            }
        })
        .collect();
    let outbox = outbox::Entity::find()
        .filter(outbox::Column::TrackId.eq(track.id))
        .order_by_desc(outbox::Column::Id)
        .limit(OUTBOX_SHOWN)
        .all(db)
        .await?
        .into_iter()
        .map(|e| OutboxEntry {
            at: e
                .sent_at
                .unwrap_or(e.created_at)
                .format("%Y-%m-%d %H:%M")
                .to_string(),
            email: *e.template,
            to: e.to_address,
            subject: e.subject,
            status: *e.status,
            error: e.last_error,
        })
        .collect();
    let settings = settings(db).await?;
    Ok(TrackEmails {
        templates,
        outbox,
        hold_minutes: u32::try_from(settings.email_hold_minutes).unwrap_or(0),
        sign_in_url: settings.sign_in_url,
    })
}

#[tracing::instrument(skip_all, fields(track = track_slug, email = template.email.key()))]
pub async fn save_template(
    db: &DatabaseConnection,
    admin: &Admin,
    track_slug: &str,
    template: EmailTemplate,
) -> Result<EmailTemplate, ServiceError> {
    let track = track_to_manage(db, admin, track_slug).await?;
    if template.subject.trim().is_empty() {
        return Err(AppError::Invalid("The subject is empty: write one.".into()).into());
    }
    for (part, text) in [("Subject", &template.subject), ("Body", &template.body)] {
        if let Err(e) = email_text::check(text) {
            return Err(AppError::Invalid(format!("{part}: {e}")).into());
        }
    }
    email_template::Entity::insert(email_template::ActiveModel {
        track_id: Set(track.id),
        template: Set(Named(template.email)),
        subject: Set(template.subject.trim().to_owned()),
        body: Set(template.body.clone()),
        enabled: Set(template.enabled),
        updated_at: Set(Utc::now()),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([
            email_template::Column::TrackId,
            email_template::Column::Template,
        ])
        .update_columns([
            email_template::Column::Subject,
            email_template::Column::Body,
            email_template::Column::Enabled,
            email_template::Column::UpdatedAt,
        ])
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    let edited = (template.subject.trim(), template.body.as_str()) != template.email.default_text();
    Ok(EmailTemplate {
        subject: template.subject.trim().to_owned(),
        edited,
        ..template
    })
}
