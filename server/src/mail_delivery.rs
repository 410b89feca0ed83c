//! Delivers the outbox (docs/system-emails.md): a worker claims emails whose hold time has
//! passed, sends each once — through SMTP, or as an `.eml` file — and
//! retries a transient failure later with a doubling wait.
//!
//! A row is claimed (status `sending`) before it is sent, in one statement
//! on PostgreSQL (`FOR UPDATE SKIP LOCKED`, so several servers share the
//! work) and in one write transaction on SQLite (one writer at a time), so
//! no email is sent twice. Told to stop (SIGTERM), the worker finishes the
//! email it is sending and gives the rest of its round back to the queue; a
//! process killed mid-send leaves the email being sent in `sending`, not
//! retried, because it may have gone out.

use crate::config::MailConfig;
use crate::error::StartError;
use app::backend::db::begin_write;
use app::backend::entities::stored::Named;
use app::backend::entities::{membership, outbox};
use app::domain::email_text::html_body;
use app::domain::OutboxStatus;
use chrono::{Duration, Utc};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::Error as SmtpError;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, ExprTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Statement,
};
use std::path::Path;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Emails claimed per round.
const CLAIM: u64 = 20;
/// Tries before an email that keeps failing transiently is given up.
const MAX_ATTEMPTS: i32 = 6;

/// Where emails go.
#[derive(Clone)]
pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>),
}

/// Why one email was not sent.
struct Failure {
    /// Worth trying again later (a busy server, a lost connection).
    transient: bool,
    message: String,
}

impl Mailer {
    /// SMTP when a URL is given, else `.eml` files in `<data_dir>/outbox`.
    pub fn new(config: &MailConfig, data_dir: &Path) -> Result<Self, StartError> {
        match &config.smtp_url {
            Some(url) => AsyncSmtpTransport::<Tokio1Executor>::from_url(&smtp_url(url))
                .map(|b| Mailer::Smtp(b.build()))
                .map_err(|e| {
                    StartError::Config(format!(
                        "SMTP_URL is not usable ({e}): write it as smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465."
                    ))
                }),
            None => {
                let dir = data_dir.join("outbox");
                std::fs::create_dir_all(&dir).map_err(|e| {
                    StartError::Config(format!(
                        "cannot create {} for emails written as files: {e}. Check ROSTER_DATA_DIR, or set SMTP_URL.",
                        dir.display()
                    ))
                })?;
                Ok(Mailer::Files(AsyncFileTransport::new(dir)))
            }
        }
    }

    async fn send(&self, message: Message) -> Result<(), Failure> {
        match self {
            Mailer::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(|e| Failure {
                transient: is_transient(&e),
                message: e.to_string(),
            }),
            Mailer::Files(files) => files.send(message).await.map(|_| ()).map_err(|e| Failure {
                transient: true,
                message: e.to_string(),
            }),
        }
    }
}

/// `smtp://` means STARTTLS unless the URL says otherwise (lettre's own
/// default for it is no encryption at all).
fn smtp_url(url: &str) -> String {
    if url.starts_with("smtp://") && !url.contains("tls=") {
        let joiner = if url.contains('?') { '&' } else { '?' };
        format!("{url}{joiner}tls=required")
    } else {
        url.to_owned()
    }
}

/// A refusal with a 5xx code will be refused again; everything else (4xx,
/// connection trouble, timeouts) may pass later.
fn is_transient(e: &SmtpError) -> bool {
    !e.is_permanent()
}

/// The outbox worker, running until it is stopped or this is dropped.
pub struct MailWorker {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl MailWorker {
    pub fn start(db: DatabaseConnection, mailer: Mailer, config: MailConfig) -> Self {
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(run_worker(db, mailer, config, stopped));
        MailWorker { stop, task }
    }

    /// Lets the email being sent finish (waiting at most `within`) and
    /// returns the rest of the round to the queue.
    pub async fn stop(self, within: std::time::Duration) {
        let _ = self.stop.send(true);
        if tokio::time::timeout(within, self.task).await.is_err() {
            tracing::warn!(
                seconds = within.as_secs(),
                "an email was still being sent at shutdown: it stays `sending`, not retried"
            );
        }
    }
}

async fn run_worker(
    db: DatabaseConnection,
    mailer: Mailer,
    config: MailConfig,
    mut stop: watch::Receiver<bool>,
) {
    let from = match config.from.parse::<Mailbox>() {
        Ok(from) => from,
        Err(e) => {
            tracing::error!(from = %config.from, error = %e, "SMTP_FROM is not an address: no email will be sent");
            return;
        }
    };
    loop {
        let round = deliver_due(&db, &mailer, &from, &config, &stop).await;
        if let Err(e) = &round {
            tracing::error!(error = %e, "the outbox could not be read or updated");
        }
        if *stop.borrow() {
            return;
        }
        // A full round: there may be more waiting.
        if matches!(round, Ok(n) if n as u64 == CLAIM) {
            continue;
        }
        tokio::select! {
            _ = tokio::time::sleep(config.poll) => {}
            // Stopped, or the handle dropped.
            _ = stop.changed() => return,
        }
    }
}

/// Claims the emails due and sends them; how many were claimed.
async fn deliver_due(
    db: &DatabaseConnection,
    mailer: &Mailer,
    from: &Mailbox,
    config: &MailConfig,
    stop: &watch::Receiver<bool>,
) -> Result<usize, DbErr> {
    let claimed = claim_due(db).await?;
    for (i, email) in claimed.iter().enumerate() {
        if *stop.borrow() {
            release(db, claimed[i..].iter().map(|e| e.id)).await?;
            break;
        }
        // An import undone since the email was queued (or while it was
        // being sent and then put back) took the person out of the track:
        // the welcome is not theirs any more.
        if !still_a_member(db, email).await? {
            still_sending(email.id)
                .col_expr(
                    outbox::Column::Status,
                    Expr::value(Named(OutboxStatus::Cancelled)),
                )
                .col_expr(
                    outbox::Column::LastError,
                    Expr::value(Some(NO_LONGER_A_MEMBER)),
                )
                .exec(db)
                .await?;
            continue;
        }
        let result = match build(email, from) {
            Ok(message) => mailer.send(message).await,
            Err(message) => Err(Failure {
                transient: false,
                message,
            }),
        };
        // Only a row this worker still holds is written (`still_sending`):
        // an undo may have decided about it meanwhile.
        match result {
            Ok(()) => {
                still_sending(email.id)
                    .col_expr(
                        outbox::Column::Status,
                        Expr::value(Named(OutboxStatus::Sent)),
                    )
                    .col_expr(outbox::Column::SentAt, Expr::value(Some(Utc::now())))
                    .col_expr(outbox::Column::LastError, Expr::value(None::<String>))
                    .exec(db)
                    .await?;
            }
            Err(failure) => after_failure(db, email, failure, config).await?,
        }
    }
    Ok(claimed.len())
}

/// An email that did not go: tried again later after a passing failure
/// (waiting twice as long each time), given up on after a lasting one or
/// the last try, called off if the person left the track meanwhile.
async fn after_failure(
    db: &DatabaseConnection,
    email: &outbox::Model,
    failure: Failure,
    config: &MailConfig,
) -> Result<(), DbErr> {
    let member = still_a_member(db, email).await?;
    let again = failure.transient && email.attempts < MAX_ATTEMPTS;
    tracing::warn!(id = email.id, to = %email.to_address, error = %failure.message, retry = again, "an email was not sent");
    let wait =
        config.retry_after * 2u32.saturating_pow(u32::try_from(email.attempts - 1).unwrap_or(0));
    let next = Utc::now() + Duration::from_std(wait).unwrap_or(Duration::hours(1));
    still_sending(email.id)
        .col_expr(
            outbox::Column::Status,
            Expr::value(Named(match (member, again) {
                (false, _) => OutboxStatus::Cancelled,
                (true, true) => OutboxStatus::Queued,
                (true, false) => OutboxStatus::Failed,
            })),
        )
        .col_expr(outbox::Column::NotBefore, Expr::value(next))
        .col_expr(
            outbox::Column::LastError,
            Expr::value(Some(if member {
                failure.message
            } else {
                NO_LONGER_A_MEMBER.to_owned()
            })),
        )
        .exec(db)
        .await?;
    Ok(())
}

const NO_LONGER_A_MEMBER: &str =
    "Cancelled: the person is no longer a member of the track (the import was undone).";

fn still_sending(id: i64) -> sea_orm::UpdateMany<outbox::Entity> {
    outbox::Entity::update_many()
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::Status.eq(Named(OutboxStatus::Sending)))
}

/// Whether the person an email welcomes is still in its track.
async fn still_a_member(db: &DatabaseConnection, email: &outbox::Model) -> Result<bool, DbErr> {
    Ok(membership::Entity::find()
        .filter(membership::Column::UserId.eq(email.user_id))
        .filter(membership::Column::TrackId.eq(email.track_id))
        .count(db)
        .await?
        > 0)
}

/// Marks the emails due as `sending` (one more attempt each) and returns
/// them; a row is claimed by one worker only.
async fn claim_due(db: &DatabaseConnection) -> Result<Vec<outbox::Model>, DbErr> {
    let now = Utc::now();
    let ids: Vec<i64> = match db.get_database_backend() {
        DbBackend::Postgres => {
            let rows = db
                .query_all_raw(Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    "UPDATE outbox SET status = $3, attempts = attempts + 1 \
                     WHERE id IN (SELECT id FROM outbox WHERE status = $4 AND not_before <= $1 \
                     ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED) RETURNING id",
                    [
                        now.into(),
                        (CLAIM as i64).into(),
                        Named(OutboxStatus::Sending).into(),
                        Named(OutboxStatus::Queued).into(),
                    ],
                ))
                .await?;
            rows.iter()
                .map(|r| r.try_get::<i64>("", "id"))
                .collect::<Result<_, _>>()?
        }
        _ => {
            let txn = begin_write(db).await?;
            let ids: Vec<i64> = outbox::Entity::find()
                .select_only()
                .column(outbox::Column::Id)
                .filter(outbox::Column::Status.eq(Named(OutboxStatus::Queued)))
                .filter(outbox::Column::NotBefore.lte(now))
                .order_by_asc(outbox::Column::Id)
                .limit(CLAIM)
                .into_tuple()
                .all(&txn)
                .await?;
            if !ids.is_empty() {
                outbox::Entity::update_many()
                    .col_expr(
                        outbox::Column::Status,
                        Expr::value(Named(OutboxStatus::Sending)),
                    )
                    .col_expr(
                        outbox::Column::Attempts,
                        Expr::col(outbox::Column::Attempts).add(1),
                    )
                    .filter(outbox::Column::Id.is_in(ids.iter().copied()))
                    .exec(&txn)
                    .await?;
            }
            txn.commit().await?;
            ids
        }
    };
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    outbox::Entity::find()
        .filter(outbox::Column::Id.is_in(ids))
        .order_by_asc(outbox::Column::Id)
        .all(db)
        .await
}

/// Gives claimed emails that were not tried back to the queue, as they were.
async fn release(db: &DatabaseConnection, ids: impl Iterator<Item = i64>) -> Result<(), DbErr> {
    outbox::Entity::update_many()
        .col_expr(
            outbox::Column::Status,
            Expr::value(Named(OutboxStatus::Queued)),
        )
        .col_expr(
            outbox::Column::Attempts,
            Expr::col(outbox::Column::Attempts).sub(1),
        )
        .filter(outbox::Column::Id.is_in(ids))
        .filter(outbox::Column::Status.eq(Named(OutboxStatus::Sending)))
        .exec(db)
        .await?;
    Ok(())
}

/// The address as SMTP carries it: an internationalised domain in its
/// ASCII form (`bücher.de` is `xn--bcher-kva.de`), which every server
/// accepts, where the Unicode form needs the server's SMTPUTF8.
fn smtp_address(address: &str) -> Result<String, String> {
    match address.rsplit_once('@') {
        Some((local, domain)) if !domain.is_ascii() => idna::domain_to_ascii(domain)
            .map(|ascii| format!("{local}@{ascii}"))
            .map_err(|e| format!("its domain cannot be written in ASCII ({e})")),
        _ => Ok(address.to_owned()),
    }
}

/// The email as sent: plain text and its escaped HTML twin.
fn build(email: &outbox::Model, from: &Mailbox) -> Result<Message, String> {
    let to: Mailbox = smtp_address(&email.to_address)
        .and_then(|address| address.parse().map_err(|e| format!("{e}")))
        .map_err(|e| format!("the address {} cannot be used: {e}", email.to_address))?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(email.subject.clone())
        .multipart(MultiPart::alternative_plain_html(
            email.body.clone(),
            html_body(&email.body),
        ))
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::{smtp_address, smtp_url};

    #[test]
    fn international_domains_travel_in_ascii() {
        assert_eq!(
            smtp_address("uli@bücher.de").as_deref(),
            Ok("uli@xn--bcher-kva.de")
        );
        assert_eq!(
            smtp_address("Ann@Example.com").as_deref(),
            Ok("Ann@Example.com")
        );
    }

    #[test]
    fn plain_smtp_urls_ask_for_starttls() {
        assert_eq!(
            smtp_url("smtp://u:p@mail.example.com:587"),
            "smtp://u:p@mail.example.com:587?tls=required"
        );
        assert_eq!(
            smtp_url("smtp://127.0.0.1:2525?tls=opportunistic"),
            "smtp://127.0.0.1:2525?tls=opportunistic"
        );
        assert_eq!(
            smtp_url("smtps://u:p@mail.example.com"),
            "smtps://u:p@mail.example.com"
        );
    }
}
