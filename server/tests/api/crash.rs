//! A server killed mid-import (issue 9; docs/access-and-security.md: a crash mid-import
//! leaves whole batches or nothing): the real server binary, killed with
//! SIGKILL while a 10,000-row import is being applied, then started again
//! and the same import sent again; and stopped with SIGTERM mid-batch,
//! which it finishes first, and the email it is sending too, giving the
//! rest of its round back to the queue — on SQLite and PostgreSQL.

use crate::helpers::server_binary::{start_server, Server};
use crate::helpers::smtp_sink::SmtpSink;
use crate::helpers::{create_admin, everyone, login, Db, Encoding, ServerCall};
use app::api::imports::{ApplyBatch, FinishImport, LoadImportContext, StartImport};
use app::backend::entities::{import_row, membership, outbox, user};
use app::domain::csv_upload::{read_table, Delimiter, Mapping};
use app::domain::{OutboxStatus, Role};
use app::{ImportCounts, ImportPlan};
use leptos::server_fn::ServerFn;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const ROWS: usize = 10_000;
const BATCH: usize = app::api::imports::BATCH_ROWS;
/// The most rows one call may carry (the server's bound).
const LARGEST_BATCH: usize = 1_000;
const PASSWORD: &str = "a long password";

#[tokio::test]
async fn sqlite() {
    killed_mid_import_leaves_whole_batches_and_a_retry_completes_it(Db::Sqlite).await;
}

#[tokio::test]
async fn postgres() {
    killed_mid_import_leaves_whole_batches_and_a_retry_completes_it(Db::Postgres).await;
}

async fn signed_in_client(base: &str) -> reqwest::Client {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let answer = ServerCall::new(login("ann@example.com", PASSWORD))
        .request(&client, base)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200, "{}", answer.text().await.unwrap());
    client
}

/// Calls a server function of the server at `base` as `client`: its
/// answer, which must be a 200, or the error of a server that went away.
async fn call<F>(client: &reqwest::Client, base: &str, args: F) -> reqwest::Result<String>
where
    F: ServerFn + serde::Serialize + Sync + 'static,
    F::Protocol: Encoding,
{
    let answer = ServerCall::new(args).request(client, base).send().await?;
    let status = answer.status();
    let text = answer.text().await?;
    assert_eq!(status, 200, "{}: {text}", F::PATH);
    Ok(text)
}

fn file() -> String {
    let mut text = String::from("First Name,Last Name,Email,Department\n");
    for i in 0..ROWS {
        text.push_str(&format!("First{i},Last{i},person{i}@example.com,Sales\n"));
    }
    text
}

/// Users, memberships, queued emails, recorded import rows.
async fn totals(db: &DatabaseConnection) -> [u64; 4] {
    [
        user::Entity::find().count(db).await.unwrap(),
        membership::Entity::find().count(db).await.unwrap(),
        outbox::Entity::find().count(db).await.unwrap(),
        import_row::Entity::find().count(db).await.unwrap(),
    ]
}

/// A server with an admin signed in and a 10,000-row import started: the
/// server, a connection to its database, the admin's client, the import's
/// batches as `apply_batch` takes them, and the import's id.
async fn started_import(
    dir: &Path,
    url: &str,
) -> (
    Server,
    DatabaseConnection,
    reqwest::Client,
    Vec<ApplyBatch>,
    i64,
) {
    write_instance(dir, 10);
    let server = start_server(dir, url, None);
    let (db, client) = with_admin(&server, url).await;
    let (batches, import_id) = start_import(&client, &server.base, &file()).await;
    (server, db, client, batches, import_id)
}

/// Writes the demo instance, allowing a 10,000-row upload and as many
/// members, with `hold_minutes` before an email leaves.
fn write_instance(dir: &Path, hold_minutes: u32) {
    let instance: String = std::fs::read_to_string(crate::helpers::demo_instance())
        .unwrap()
        .lines()
        .map(|line| match line.split('=').next().map(str::trim) {
            Some("upload_row_limit") => "upload_row_limit = 10000".to_owned(),
            Some("license_limit") => "license_limit = 100000".to_owned(),
            Some("email_hold_minutes") => format!("email_hold_minutes = {hold_minutes}"),
            _ => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(dir.join("instance.toml"), instance).unwrap();
}

/// A connection to the server's database, and a client signed in as a
/// global admin.
async fn with_admin(server: &Server, url: &str) -> (DatabaseConnection, reqwest::Client) {
    let db = server::db::connect(url).await.unwrap();
    create_admin(&db, "ann@example.com", &[], PASSWORD).await;
    (db, signed_in_client(&server.base).await)
}

/// Starts importing `text` into Engineering, everyone a mentee: the
/// batches as `apply_batch` takes them, and the import's id.
async fn start_import(client: &reqwest::Client, base: &str, text: &str) -> (Vec<ApplyBatch>, i64) {
    let table = read_table(text, Delimiter::Comma, ROWS).unwrap();
    let ask = LoadImportContext {
        track_slug: Some("engineering".into()),
        dormant: false,
    };
    let context: app::ImportContext =
        serde_json::from_str(&call(client, base, ask).await.unwrap()).unwrap();
    let plan = ImportPlan {
        track_slug: Some("engineering".into()),
        file_name: "people.csv".into(),
        sheet: None,
        file_hash: "crash".into(),
        headers: table.headers.clone(),
        mapping: Mapping::suggest(&table.headers, &context.fields, false),
        roles: everyone(&[Role::Mentee]),
        rows_total: table.rows.len() as u32,
        rule: Default::default(),
    };
    let import_id: i64 =
        serde_json::from_str(&call(client, base, StartImport { plan }).await.unwrap()).unwrap();
    let batches: Vec<ApplyBatch> = table
        .rows
        .chunks(BATCH)
        .map(|rows| ApplyBatch {
            import_id,
            rows: rows.to_vec(),
        })
        .collect();
    (batches, import_id)
}

async fn killed_mid_import_leaves_whole_batches_and_a_retry_completes_it(kind: Db) {
    let dir = tempfile::tempdir().unwrap();
    let Some(config) = crate::helpers::test_config(kind, &dir).await else {
        return;
    };
    let url = config.database_url.clone();
    let (server, db, client, batches, import_id) = started_import(dir.path(), &url).await;
    let text = file();
    let table = read_table(&text, Delimiter::Comma, ROWS).unwrap();

    // Send the batches one after another, as the wizard does, and kill the
    // server once a few have been applied: the next is then in flight.
    let applied = Arc::new(AtomicUsize::new(0));
    let sender = {
        let (client, base, batches, applied) = (
            client.clone(),
            server.base.clone(),
            batches.clone(),
            applied.clone(),
        );
        tokio::spawn(async move {
            for batch in batches {
                if call(&client, &base, batch).await.is_err() {
                    return;
                }
                applied.fetch_add(1, Ordering::SeqCst);
            }
        })
    };
    while applied.load(Ordering::SeqCst) < 8 && !sender.is_finished() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    drop(server); // SIGKILL: no shutdown, no last writes.
    sender.await.unwrap();
    let sent = applied.load(Ordering::SeqCst);
    assert!(sent < batches.len(), "killed before the import finished");

    // Every batch is there whole or not at all.
    let mut whole = 0;
    for (b, batch) in table.rows.chunks(BATCH).enumerate() {
        let lines: Vec<i32> = batch.iter().map(|r| r.line as i32).collect();
        let recorded = import_row::Entity::find()
            .filter(import_row::Column::ImportId.eq(import_id))
            .filter(import_row::Column::Line.is_in(lines))
            .count(&db)
            .await
            .unwrap() as usize;
        assert!(
            recorded == 0 || recorded == batch.len(),
            "batch {b}: {recorded} of {} rows recorded",
            batch.len()
        );
        whole += usize::from(recorded > 0);
    }
    assert!(whole >= sent, "{whole} batches recorded, {sent} answered");
    let people = (whole * BATCH).min(ROWS) as u64;
    assert_eq!(
        totals(&db).await,
        [people; 4],
        "users, memberships, emails and rows of the whole batches, nothing else"
    );

    // Started again, the same import sent again completes it, nothing twice.
    let server = start_server(dir.path(), &url, None);
    let client = signed_in_client(&server.base).await;
    for batch in batches {
        call(&client, &server.base, batch).await.unwrap();
    }
    let finish = FinishImport { import_id };
    let counts: ImportCounts =
        serde_json::from_str(&call(&client, &server.base, finish).await.unwrap()).unwrap();
    assert_eq!(counts.created as usize, ROWS);
    assert_eq!(
        totals(&db).await,
        [ROWS as u64; 4],
        "everyone once: one user, one membership, one email, one recorded row each"
    );
    db.close().await.ok();
}

#[tokio::test]
async fn sqlite_sigterm() {
    stopped_politely_the_batch_in_flight_finishes(Db::Sqlite).await;
}

#[tokio::test]
async fn postgres_sigterm() {
    stopped_politely_the_batch_in_flight_finishes(Db::Postgres).await;
}

/// SIGTERM (what a deploy or `systemctl stop` sends) while a batch is being
/// applied: the server finishes it, answers it, then stops.
async fn stopped_politely_the_batch_in_flight_finishes(kind: Db) {
    let dir = tempfile::tempdir().unwrap();
    let Some(config) = crate::helpers::test_config(kind, &dir).await else {
        return;
    };
    let url = config.database_url.clone();
    let (server, db, client, batches, import_id) = started_import(dir.path(), &url).await;
    // The largest batch a call may carry, so that it is surely still being
    // applied when the signal comes.
    let big: Vec<_> = batches
        .iter()
        .take(LARGEST_BATCH / BATCH)
        .flat_map(|b| b.rows.clone())
        .collect();
    let in_flight = {
        let (client, base) = (client.clone(), server.base.clone());
        let batch = ApplyBatch {
            import_id,
            rows: big,
        };
        tokio::spawn(async move {
            let answer = call(&client, &base, batch).await;
            (answer, Instant::now())
        })
    };
    // The request is on its way and being read within a few milliseconds;
    // applying 1,000 rows takes some 60 ms (SQLite) to 130 ms (PostgreSQL).
    tokio::time::sleep(Duration::from_millis(20)).await;
    let signalled = server.terminate();
    let (answer, answered) = in_flight.await.unwrap();
    let answer = answer.expect("the batch in flight was answered");
    assert!(
        answered > signalled,
        "the batch was still being applied when the signal came"
    );
    let rows: Vec<app::RowResult> = serde_json::from_str(&answer).unwrap();
    assert_eq!(rows.len(), LARGEST_BATCH);
    server.exits_cleanly().await;
    assert_eq!(
        totals(&db).await,
        [LARGEST_BATCH as u64; 4],
        "the whole batch was written"
    );
    db.close().await.ok();
}

#[tokio::test]
async fn sqlite_sigterm_while_mailing() {
    stopped_while_mailing_every_email_goes_once(Db::Sqlite).await;
}

#[tokio::test]
async fn postgres_sigterm_while_mailing() {
    stopped_while_mailing_every_email_goes_once(Db::Postgres).await;
}

/// SIGTERM while the worker is halfway through a round of emails: it
/// finishes the one it is sending, gives the rest back to the queue and
/// stops; started again, it sends the rest, nobody twice.
async fn stopped_while_mailing_every_email_goes_once(kind: Db) {
    const PEOPLE: usize = 30;
    let dir = tempfile::tempdir().unwrap();
    let Some(config) = crate::helpers::test_config(kind, &dir).await else {
        return;
    };
    let url = config.database_url.clone();
    write_instance(dir.path(), 0);
    // Each email takes 150 ms to be accepted: the signal comes mid-round.
    let sink = SmtpSink::start_slow(Duration::from_millis(150)).await;
    let server = start_server(dir.path(), &url, Some(&sink.url));
    let (db, client) = with_admin(&server, &url).await;
    let mut text = String::from("First Name,Last Name,Email\n");
    for i in 0..PEOPLE {
        text.push_str(&format!("P{i},Mail,p{i}@example.com\n"));
    }
    let (batches, import_id) = start_import(&client, &server.base, &text).await;
    for batch in batches {
        call(&client, &server.base, batch).await.unwrap();
    }
    call(&client, &server.base, FinishImport { import_id })
        .await
        .unwrap();

    assert!(
        !sink.wait_for(1).await.is_empty(),
        "the worker started sending"
    );
    server.terminate();
    server.exits_cleanly().await;

    let sent_before = sink.received().len();
    assert!(sent_before < PEOPLE, "stopped before every email was sent");
    let rows = outbox::Entity::find().all(&db).await.unwrap();
    let statuses: Vec<(OutboxStatus, i32)> = rows.iter().map(|e| (*e.status, e.attempts)).collect();
    let status_of = |status: OutboxStatus| rows.iter().filter(|e| e.status == status).count();
    assert_eq!(
        status_of(OutboxStatus::Sending),
        0,
        "no email left claimed: {statuses:?}"
    );
    assert_eq!(
        status_of(OutboxStatus::Sent),
        sent_before,
        "what went out is marked sent"
    );
    assert!(
        rows.iter()
            .filter(|e| e.status == OutboxStatus::Queued)
            .all(|e| e.attempts == 0),
        "the emails given back count no attempt: {statuses:?}"
    );
    assert_eq!(status_of(OutboxStatus::Queued), PEOPLE - sent_before);

    let _server = start_server(dir.path(), &url, Some(&sink.url));
    sink.wait_for(PEOPLE).await;
    // Long enough for a second, wrong, sending to show.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut to: Vec<String> = sink.received().into_iter().flat_map(|r| r.to).collect();
    to.sort();
    let mut expected: Vec<String> = (0..PEOPLE).map(|i| format!("p{i}@example.com")).collect();
    expected.sort();
    assert_eq!(to, expected, "everyone emailed once");
    db.close().await.ok();
}
