//! The apply benchmark's yardsticks: the same rows the import writes
//! (users, answers, memberships, outbox, import rows), one transaction per
//! batch, with nothing else — no checks, no lookups. `raw_once` writes them
//! with hand-written multi-row `INSERT`s (both databases); `copy_once`
//! with PostgreSQL's `COPY … FROM STDIN`, the fastest way in.
#![allow(clippy::expect_used)]

use crate::common;
use app::domain::{ImportKind, ImportStatus, OutboxStatus, Role, Roles, SystemEmail};
use chrono::{DateTime, Utc};
use sea_orm::sqlx::{self, PgConnection};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, Value};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Rows per statement in the multi-row baseline, as in the app.
const CHUNK: usize = 500;
const FIELDS: [&str; 6] = [
    "department",
    "languages",
    "goals",
    "start_date",
    "years_experience",
    "job_title",
];
const USER_COLUMNS: [&str; 7] = [
    "email",
    "email_normalized",
    "search_key",
    "first_name",
    "last_name",
    "created_at",
    "updated_at",
];
const MEMBERSHIP_COLUMNS: [&str; 6] = [
    "user_id",
    "track_id",
    "roles",
    "created_by_import_id",
    "created_at",
    "updated_at",
];
const OUTBOX_COLUMNS: [&str; 11] = [
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
];
const IMPORT_ROW_COLUMNS: [&str; 7] = [
    "import_id",
    "line",
    "outcome",
    "user_id",
    "email",
    "previous",
    "applied_at",
];
const PREVIOUS: &str =
    "{\"user_created\":true,\"names\":null,\"membership_created\":true,\"roles\":null,\"answers\":[]}";

/// Person `i` of the benchmark's file (`apply.rs`'s `generate`).
struct Person {
    email: String,
    first: String,
    last: String,
    answers: [String; 6],
}

impl Person {
    fn nth(i: usize) -> Person {
        Person {
            email: format!("person{i}@example.com"),
            first: format!("First{i}"),
            last: format!("Last{i}"),
            answers: [
                "Sales".to_owned(),
                "English\nFrench".to_owned(),
                "Leadership".to_owned(),
                format!("2024-01-{:02}", i % 28 + 1),
                (i % 30).to_string(),
                "Engineer".to_owned(),
            ],
        }
    }

    fn search_key(&self) -> String {
        app::domain::text::search_key(&self.first, &self.last, &self.email)
    }

    fn welcome(&self) -> (&'static str, String) {
        (
            "Welcome to Engineering Mentoring",
            format!("Hello {},\n\nYou have been added as a mentee.", self.first),
        )
    }
}

/// What the rows refer to: the profile fields' ids and the track's.
struct Ids {
    fields: Vec<i64>,
    track: i64,
}

impl Ids {
    async fn find(db: &DatabaseConnection) -> Ids {
        let backend = db.get_database_backend();
        let mut fields = Vec::new();
        for key in FIELDS {
            let sql = match backend {
                DbBackend::Postgres => "SELECT id FROM profile_fields WHERE key = $1",
                _ => "SELECT id FROM profile_fields WHERE key = ?",
            };
            let row = db
                .query_one_raw(Statement::from_sql_and_values(backend, sql, [key.into()]))
                .await
                .expect("field")
                .expect("field exists");
            fields.push(row.try_get::<i64>("", "id").expect("id"));
        }
        let track = db
            .query_one_raw(Statement::from_string(
                backend,
                "SELECT id FROM tracks WHERE slug = 'engineering'",
            ))
            .await
            .expect("track")
            .expect("track exists")
            .try_get("", "id")
            .expect("id");
        Ids { fields, track }
    }
}

fn mentee() -> i32 {
    Roles::empty().with(Role::Mentee).bits()
}

/// `rows` people written with multi-row `INSERT`s, `batch` a transaction.
pub async fn raw_once(url: &str, rows: usize, batch: usize) -> Duration {
    let (db, admin) = common::demo_instance_with_admin(url).await;
    let ids = Ids::find(&db).await;
    let start = Instant::now();
    let import_id = raw_import(&db, admin.id, rows).await;
    for first in (0..rows).step_by(batch) {
        let now = Utc::now();
        let people: Vec<(usize, Person)> = (first..(first + batch).min(rows))
            .map(|i| (i, Person::nth(i)))
            .collect();
        let txn = app::backend::db::begin_write(&db).await.expect("begin");
        let users = people
            .iter()
            .map(|(_, p)| {
                vec![
                    p.email.clone().into(),
                    p.email.clone().into(),
                    p.search_key().into(),
                    p.first.clone().into(),
                    p.last.clone().into(),
                    now.into(),
                    now.into(),
                ]
            })
            .collect();
        let id_of: HashMap<String, i64> = insert(&txn, "users", &USER_COLUMNS, users)
            .await
            .into_iter()
            .map(|r| {
                let email = r.try_get::<String>("", "email_normalized").expect("email");
                (email, r.try_get::<i64>("", "id").expect("id"))
            })
            .collect();
        let user_ids: Vec<i64> = people.iter().map(|(_, p)| id_of[&p.email]).collect();
        let answers = people
            .iter()
            .zip(&user_ids)
            .flat_map(|((_, p), id)| {
                ids.fields.iter().zip(&p.answers).map(|(field, value)| {
                    vec![
                        (*id).into(),
                        (*field).into(),
                        value.clone().into(),
                        now.into(),
                    ]
                })
            })
            .collect();
        let columns = ["user_id", "field_id", "value", "updated_at"];
        insert(&txn, "profile_answers", &columns, answers).await;
        let memberships = user_ids
            .iter()
            .map(|id| {
                vec![
                    (*id).into(),
                    ids.track.into(),
                    mentee().into(),
                    Some(import_id).into(),
                    now.into(),
                    now.into(),
                ]
            })
            .collect();
        insert(&txn, "memberships", &MEMBERSHIP_COLUMNS, memberships).await;
        let emails = people
            .iter()
            .zip(&user_ids)
            .map(|((_, p), id)| {
                let (subject, body) = p.welcome();
                vec![
                    ids.track.into(),
                    (*id).into(),
                    Some(import_id).into(),
                    SystemEmail::NewMentee.key().into(),
                    p.email.clone().into(),
                    subject.into(),
                    body.into(),
                    OutboxStatus::Queued.key().into(),
                    now.into(),
                    0i32.into(),
                    now.into(),
                ]
            })
            .collect();
        insert(&txn, "outbox", &OUTBOX_COLUMNS, emails).await;
        let import_rows = people
            .iter()
            .zip(&user_ids)
            .map(|((i, p), id)| {
                vec![
                    import_id.into(),
                    (*i as i32 + 2).into(),
                    "created".into(),
                    (*id).into(),
                    p.email.clone().into(),
                    PREVIOUS.into(),
                    now.into(),
                ]
            })
            .collect();
        insert(&txn, "import_rows", &IMPORT_ROW_COLUMNS, import_rows).await;
        txn.commit().await.expect("commit");
    }
    let elapsed = start.elapsed();
    db.close().await.ok();
    elapsed
}

/// `rows` people written with `COPY … FROM STDIN` (PostgreSQL only),
/// `batch` a transaction; the users' ids are taken from their sequence
/// first, as COPY returns nothing.
pub async fn copy_once(url: &str, rows: usize, batch: usize) -> Duration {
    let (db, admin) = common::demo_instance_with_admin(url).await;
    let ids = Ids::find(&db).await;
    let pool = db.get_postgres_connection_pool().clone();
    let start = Instant::now();
    let import_id = raw_import(&db, admin.id, rows).await;
    for first in (0..rows).step_by(batch) {
        let now = Utc::now();
        let at = || Some(stamp(now));
        let people: Vec<(usize, Person)> = (first..(first + batch).min(rows))
            .map(|i| (i, Person::nth(i)))
            .collect();
        let mut tx = pool.begin().await.expect("begin");
        let user_ids: Vec<i64> = sqlx::query_scalar(
            "SELECT nextval(pg_get_serial_sequence('users', 'id')) FROM generate_series(1, $1)",
        )
        .bind(people.len() as i64)
        .fetch_all(&mut *tx)
        .await
        .expect("ids");
        let users = people.iter().zip(&user_ids).map(|((_, p), id)| {
            vec![
                Some(id.to_string()),
                Some(p.email.clone()),
                Some(p.email.clone()),
                Some(p.search_key()),
                Some(p.first.clone()),
                Some(p.last.clone()),
                at(),
                at(),
            ]
        });
        copy(&mut tx, "users", &["id"], &USER_COLUMNS, users).await;
        let answers = people.iter().zip(&user_ids).flat_map(|((_, p), id)| {
            ids.fields
                .iter()
                .zip(&p.answers)
                .map(move |(field, value)| {
                    vec![
                        Some(id.to_string()),
                        Some(field.to_string()),
                        Some(value.clone()),
                        at(),
                    ]
                })
        });
        let columns = ["user_id", "field_id", "value", "updated_at"];
        copy(&mut tx, "profile_answers", &[], &columns, answers).await;
        let memberships = user_ids.iter().map(|id| {
            vec![
                Some(id.to_string()),
                Some(ids.track.to_string()),
                Some(mentee().to_string()),
                Some(import_id.to_string()),
                at(),
                at(),
            ]
        });
        copy(
            &mut tx,
            "memberships",
            &[],
            &MEMBERSHIP_COLUMNS,
            memberships,
        )
        .await;
        let emails = people.iter().zip(&user_ids).map(|((_, p), id)| {
            let (subject, body) = p.welcome();
            vec![
                Some(ids.track.to_string()),
                Some(id.to_string()),
                Some(import_id.to_string()),
                Some(SystemEmail::NewMentee.key().to_owned()),
                Some(p.email.clone()),
                Some(subject.to_owned()),
                Some(body),
                Some(OutboxStatus::Queued.key().to_owned()),
                at(),
                Some("0".to_owned()),
                at(),
            ]
        });
        copy(&mut tx, "outbox", &[], &OUTBOX_COLUMNS, emails).await;
        let import_rows = people.iter().zip(&user_ids).map(|((i, p), id)| {
            vec![
                Some(import_id.to_string()),
                Some((i + 2).to_string()),
                Some("created".to_owned()),
                Some(id.to_string()),
                Some(p.email.clone()),
                Some(PREVIOUS.to_owned()),
                at(),
            ]
        });
        copy(
            &mut tx,
            "import_rows",
            &[],
            &IMPORT_ROW_COLUMNS,
            import_rows,
        )
        .await;
        tx.commit().await.expect("commit");
    }
    let elapsed = start.elapsed();
    db.close().await.ok();
    elapsed
}

fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339()
}

/// One `COPY table (first…, columns…) FROM STDIN` of these rows, in
/// COPY's text format.
async fn copy(
    conn: &mut PgConnection,
    table: &str,
    first: &[&str],
    columns: &[&str],
    rows: impl Iterator<Item = Vec<Option<String>>>,
) {
    let mut data = String::new();
    for row in rows {
        for (n, cell) in row.iter().enumerate() {
            if n > 0 {
                data.push('\t');
            }
            match cell {
                None => data.push_str("\\N"),
                Some(text) => {
                    for c in text.chars() {
                        match c {
                            '\\' => data.push_str("\\\\"),
                            '\t' => data.push_str("\\t"),
                            '\n' => data.push_str("\\n"),
                            '\r' => data.push_str("\\r"),
                            c => data.push(c),
                        }
                    }
                }
            }
        }
        data.push('\n');
    }
    let names: Vec<&str> = first.iter().chain(columns).copied().collect();
    let statement = format!("COPY {table} ({}) FROM STDIN", names.join(", "));
    let mut copy = conn.copy_in_raw(&statement).await.expect("copy");
    copy.send(data.into_bytes()).await.expect("send");
    copy.finish().await.expect("copied");
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

/// The rows, in statements of [`CHUNK`] rows; users answer their ids.
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
        }
        let stmt = Statement::from_sql_and_values(db.get_database_backend(), sql, values);
        returned.extend(db.query_all_raw(stmt).await.expect("insert"));
    }
    returned
}

/// The import the rows belong to.
async fn raw_import(db: &DatabaseConnection, admin_id: i64, rows: usize) -> i64 {
    let backend = db.get_database_backend();
    let mut sql = insert_sql(
        backend,
        "imports",
        &["kind", "admin_id", "status", "rows_total", "started_at"],
        1,
    );
    sql.push_str(" RETURNING id");
    let values: Vec<Value> = vec![
        ImportKind::CsvTrack.key().into(),
        admin_id.into(),
        ImportStatus::InProgress.key().into(),
        (rows as i32).into(),
        Utc::now().into(),
    ];
    db.query_one_raw(Statement::from_sql_and_values(backend, sql, values))
        .await
        .expect("import")
        .expect("row")
        .try_get::<i64>("", "id")
        .expect("id")
}
