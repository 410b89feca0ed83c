#![allow(clippy::expect_used)]
//! `cargo bench -p server --bench apply`: applying 1,000 and 10,000 new
//! users with 6 profile answers each, end to end through the import service
//! (start, batches of 250 re-checked and written, finish) on SQLite in a
//! file with WAL, and on PostgreSQL when ROSTER_TEST_POSTGRES_URL is set —
//! beside a baseline in the same run that writes the same rows (users,
//! answers, memberships, outbox, import rows) with hand-written multi-row
//! SQL, one transaction per batch, and nothing else: no checks, no lookups.

mod common;

use app::domain::csv_upload::{read_table, Delimiter, Mapping, RoleChoice};
use app::domain::{ImportKind, ImportStatus, OutboxStatus, Role, Roles, SystemEmail};
use app::ImportPlan;
use chrono::Utc;
use common::fresh_database;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, TransactionTrait, Value};
use std::time::{Duration, Instant};

const BATCH: usize = app::api::imports::BATCH_ROWS;
/// Rows per statement in the baseline, as in the app.
const CHUNK: usize = 500;

fn generate(rows: usize) -> String {
    let mut text = String::from("First Name,Last Name,Email,Department,Languages,Goals,Start Date,Years of Experience,Job Title\n");
    for i in 0..rows {
        text.push_str(&format!(
            "First{i},Last{i},person{i}@example.com,Sales,\"English, French\",Leadership,2024-01-{:02},{},Engineer\n",
            i % 28 + 1,
            i % 30
        ));
    }
    text
}

async fn apply_once(url: &str, rows: usize) -> Duration {
    let (db, admin) = common::demo_instance_with_admin(url).await;
    let text = generate(rows);
    let table = read_table(&text, Delimiter::Comma, rows).expect("table");
    let fields = app::backend::overview::profile_fields(&db)
        .await
        .expect("fields");
    let plan = ImportPlan {
        track_slug: Some("engineering".into()),
        file_name: "bench.csv".into(),
        sheet: None,
        file_hash: "bench".into(),
        headers: table.headers.clone(),
        mapping: Mapping::suggest(&table.headers, &fields, false),
        roles: RoleChoice::Everyone(Roles::empty().with(Role::Mentee)),
        rows_total: rows as u32,
        rule: Default::default(),
    };
    let start = Instant::now();
    let id = app::backend::imports::start(&db, &admin, plan)
        .await
        .expect("start");
    for batch in table.rows.chunks(BATCH) {
        app::backend::imports::apply_batch(&db, &admin, id, batch.to_vec())
            .await
            .expect("batch");
    }
    let counts = app::backend::imports::finish(&db, &admin, id)
        .await
        .expect("finish");
    let elapsed = start.elapsed();
    assert_eq!(counts.created as usize, rows);
    db.close().await.ok();
    elapsed
}

/// `INSERT INTO table (columns) VALUES (…), (…)` for `rows` rows, with the
/// backend's placeholders.
fn insert_sql(backend: DbBackend, table: &str, columns: &[&str], rows: usize) -> String {
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
    let mut n = 0;
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for col in 0..columns.len() {
            n += 1;
            if col > 0 {
                sql.push_str(", ");
            }
            match backend {
                DbBackend::Postgres => sql.push_str(&format!("${n}")),
                _ => sql.push('?'),
            }
        }
        sql.push(')');
    }
    sql
}

async fn insert(
    db: &impl ConnectionTrait,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Value>>,
) -> Vec<sea_orm::QueryResult> {
    let mut returned = Vec::new();
    for chunk in rows.chunks(CHUNK) {
        let mut sql = insert_sql(db.get_database_backend(), table, columns, chunk.len());
        let values: Vec<Value> = chunk.iter().flatten().cloned().collect();
        if table == "users" {
            sql.push_str(" RETURNING id, email_normalized");
            let stmt = Statement::from_sql_and_values(db.get_database_backend(), sql, values);
            returned.extend(db.query_all_raw(stmt).await.expect("insert"));
        } else {
            let stmt = Statement::from_sql_and_values(db.get_database_backend(), sql, values);
            db.execute_raw(stmt).await.expect("insert");
        }
    }
    returned
}

/// The same rows as `apply_once`, written with plain multi-row statements.
async fn baseline_once(url: &str, rows: usize) -> Duration {
    let (db, admin) = common::demo_instance_with_admin(url).await;
    let fields: Vec<(i64, &str)> = {
        let keys = [
            "department",
            "languages",
            "goals",
            "start_date",
            "years_experience",
            "job_title",
        ];
        let mut found = Vec::new();
        for key in keys {
            let row = db
                .query_one_raw(Statement::from_sql_and_values(
                    db.get_database_backend(),
                    match db.get_database_backend() {
                        DbBackend::Postgres => "SELECT id FROM profile_fields WHERE key = $1",
                        _ => "SELECT id FROM profile_fields WHERE key = ?",
                    },
                    [key.into()],
                ))
                .await
                .expect("field")
                .expect("field exists");
            found.push((row.try_get::<i64>("", "id").expect("id"), key));
        }
        found
    };
    let track_id: i64 = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT id FROM tracks WHERE slug = 'engineering'",
        ))
        .await
        .expect("track")
        .expect("track exists")
        .try_get("", "id")
        .expect("id");
    let start = Instant::now();
    let import_id = raw_import(&db, admin.id, rows).await;
    for first in (0..rows).step_by(BATCH) {
        let now = Utc::now();
        let batch: Vec<usize> = (first..(first + BATCH).min(rows)).collect();
        let txn = app::backend::db::begin_write(&db).await.expect("begin");
        let users: Vec<Vec<Value>> = batch
            .iter()
            .map(|i| {
                let email = format!("person{i}@example.com");
                let (first, last) = (format!("First{i}"), format!("Last{i}"));
                vec![
                    email.clone().into(),
                    email.clone().into(),
                    app::domain::text::search_key(&first, &last, &email).into(),
                    first.into(),
                    last.into(),
                    now.into(),
                    now.into(),
                ]
            })
            .collect();
        let ids: std::collections::HashMap<String, i64> = insert(
            &txn,
            "users",
            &[
                "email",
                "email_normalized",
                "search_key",
                "first_name",
                "last_name",
                "created_at",
                "updated_at",
            ],
            users,
        )
        .await
        .into_iter()
        .map(|r| {
            (
                r.try_get::<String>("", "email_normalized").expect("email"),
                r.try_get::<i64>("", "id").expect("id"),
            )
        })
        .collect();
        let id_of = |i: &usize| ids[&format!("person{i}@example.com")];
        let answers = batch
            .iter()
            .flat_map(|i| {
                let values = [
                    "Sales".to_owned(),
                    "English\nFrench".to_owned(),
                    "Leadership".to_owned(),
                    format!("2024-01-{:02}", i % 28 + 1),
                    (i % 30).to_string(),
                    "Engineer".to_owned(),
                ];
                fields
                    .iter()
                    .zip(values)
                    .map(|((field_id, _), value)| {
                        vec![
                            id_of(i).into(),
                            (*field_id).into(),
                            value.into(),
                            now.into(),
                        ]
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        insert(
            &txn,
            "profile_answers",
            &["user_id", "field_id", "value", "updated_at"],
            answers,
        )
        .await;
        let memberships = batch
            .iter()
            .map(|i| {
                vec![
                    id_of(i).into(),
                    track_id.into(),
                    Roles::empty().with(Role::Mentee).bits().into(),
                    Some(import_id).into(),
                    now.into(),
                    now.into(),
                ]
            })
            .collect();
        insert(
            &txn,
            "memberships",
            &[
                "user_id",
                "track_id",
                "roles",
                "created_by_import_id",
                "created_at",
                "updated_at",
            ],
            memberships,
        )
        .await;
        let emails = batch
            .iter()
            .map(|i| {
                vec![
                    track_id.into(),
                    id_of(i).into(),
                    Some(import_id).into(),
                    SystemEmail::NewMentee.key().into(),
                    format!("person{i}@example.com").into(),
                    "Welcome to Engineering Mentoring".into(),
                    format!("Hello First{i},\n\nYou have been added as a mentee.").into(),
                    OutboxStatus::Queued.key().into(),
                    now.into(),
                    0i32.into(),
                    now.into(),
                ]
            })
            .collect();
        insert(
            &txn,
            "outbox",
            &[
                "track_id",
                "user_id",
                "import_id",
                "template",
                "to_address",
                "subject",
                "body",
                "status",
                "not_before",
                "attempts",
                "created_at",
            ],
            emails,
        )
        .await;
        let import_rows = batch
            .iter()
            .map(|i| {
                vec![
                    import_id.into(),
                    (*i as i32 + 2).into(),
                    "created".into(),
                    id_of(i).into(),
                    format!("person{i}@example.com").into(),
                    "{\"user_created\":true,\"names\":null,\"membership_created\":true,\"roles\":null,\"answers\":[]}".into(),
                    now.into(),
                ]
            })
            .collect();
        insert(
            &txn,
            "import_rows",
            &[
                "import_id",
                "line",
                "outcome",
                "user_id",
                "email",
                "previous",
                "applied_at",
            ],
            import_rows,
        )
        .await;
        txn.commit().await.expect("commit");
    }
    let elapsed = start.elapsed();
    db.close().await.ok();
    elapsed
}

async fn raw_import(db: &DatabaseConnection, admin_id: i64, rows: usize) -> i64 {
    let txn = db.begin().await.expect("begin");
    let returned = insert(
        &txn,
        "imports",
        &["kind", "admin_id", "status", "rows_total", "started_at"],
        vec![vec![
            ImportKind::CsvTrack.key().into(),
            admin_id.into(),
            ImportStatus::InProgress.key().into(),
            (rows as i32).into(),
            Utc::now().into(),
        ]],
    )
    .await;
    assert!(returned.is_empty());
    let id = txn
        .query_one_raw(Statement::from_string(
            txn.get_database_backend(),
            "SELECT MAX(id) AS id FROM imports",
        ))
        .await
        .expect("import")
        .expect("row")
        .try_get::<i64>("", "id")
        .expect("id");
    txn.commit().await.expect("commit");
    id
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

#[tokio::main]
async fn main() {
    let mut run = 0;
    for kind in ["sqlite", "postgres"] {
        for (rows, runs) in [(1_000usize, 5usize), (10_000, 3)] {
            let mut app = Vec::new();
            let mut raw = Vec::new();
            for _ in 0..runs {
                run += 1;
                let Some(url) = fresh_database(kind, run).await else {
                    break;
                };
                app.push(apply_once(&url, rows).await);
                run += 1;
                let Some(url) = fresh_database(kind, run).await else {
                    break;
                };
                raw.push(baseline_once(&url, rows).await);
            }
            if app.is_empty() || raw.is_empty() {
                println!("{kind}: skipped (set ROSTER_TEST_POSTGRES_URL)");
                break;
            }
            let runs = app.len();
            let (m, b) = (median(app), median(raw));
            println!(
                "apply {rows:>6} new users x 6 answers on {kind:<8}: median {:>8.1} ms over {runs} runs, {:>6.0} rows/s; raw multi-row SQL {:>8.1} ms, {:>6.0} rows/s; ratio {:.2}",
                m.as_secs_f64() * 1e3,
                rows as f64 / m.as_secs_f64(),
                b.as_secs_f64() * 1e3,
                rows as f64 / b.as_secs_f64(),
                m.as_secs_f64() / b.as_secs_f64()
            );
        }
    }
}
