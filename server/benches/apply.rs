#![allow(clippy::expect_used)]
//! `cargo bench -p server --bench apply`: applying 1,000 and 10,000 new
//! users with 6 profile answers each, end to end through the import service
//! (start, batches of 250 re-checked and written, finish) on SQLite in a
//! file with WAL, and on PostgreSQL when ROSTER_TEST_POSTGRES_URL is set.

use app::domain::csv_upload::{read_table, Delimiter, Mapping, RoleChoice};
use app::domain::{Admin, AdminScope, Email, NewPassword, Role, Roles};
use app::ImportPlan;
use sea_orm::{ConnectionTrait, Database};
use std::time::{Duration, Instant};

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

async fn fresh_database(kind: &str, run: usize) -> Option<String> {
    match kind {
        "sqlite" => {
            let dir =
                std::env::temp_dir().join(format!("roster-bench-{}-{run}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            Some(format!(
                "sqlite://{}?mode=rwc",
                dir.join("roster.db").display()
            ))
        }
        _ => {
            let admin_url = std::env::var("ROSTER_TEST_POSTGRES_URL").ok()?;
            let admin = Database::connect(&admin_url).await.ok()?;
            let name = format!("roster_bench_{run}");
            admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await
                .ok()?;
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .ok()?;
            let base = &admin_url[..admin_url.rfind('/')?];
            Some(format!("{base}/{name}"))
        }
    }
}

async fn apply_once(url: &str, rows: usize) -> Duration {
    let db = server::db::connect_and_migrate(url)
        .await
        .expect("database");
    let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../instance/demo.toml");
    let def = server::instance_file::load(&demo).expect("demo instance");
    server::instance_sync::sync(&db, &def).await.expect("sync");
    let email = Email::parse("bench@example.com").expect("email");
    let password = NewPassword::parse("bench password", "bench password").expect("password");
    let created = server::accounts::create_admin(&db, &email, &[], Some(password))
        .await
        .expect("admin");
    let admin = Admin {
        id: created.admin_id,
        email: email.to_string(),
        scope: AdminScope::Global,
    };

    let text = generate(rows);
    let table = read_table(&text, Delimiter::Comma, rows).expect("table");
    let fields = server::overview::profile_fields(&db).await.expect("fields");
    let plan = ImportPlan {
        track_slug: Some("engineering".into()),
        file_name: "bench.csv".into(),
        file_hash: "bench".into(),
        headers: table.headers.clone(),
        mapping: Mapping::suggest(&table.headers, &fields, false),
        roles: RoleChoice::Everyone(Roles::empty().with(Role::Mentee)),
        rows_total: rows as u32,
    };
    let start = Instant::now();
    let id = server::imports::start(&db, &admin, plan)
        .await
        .expect("start");
    for batch in table.rows.chunks(app::api::imports::BATCH_ROWS) {
        server::imports::apply_batch(&db, &admin, id, batch.to_vec())
            .await
            .expect("batch");
    }
    let counts = server::imports::finish(&db, &admin, id)
        .await
        .expect("finish");
    let elapsed = start.elapsed();
    assert_eq!(counts.created as usize, rows);
    db.close().await.ok();
    elapsed
}

#[tokio::main]
async fn main() {
    let mut run = 0;
    for kind in ["sqlite", "postgres"] {
        for (rows, runs) in [(1_000usize, 5usize), (10_000, 3)] {
            let mut samples = Vec::new();
            for _ in 0..runs {
                run += 1;
                let Some(url) = fresh_database(kind, run).await else {
                    println!("{kind}: skipped (set ROSTER_TEST_POSTGRES_URL)");
                    break;
                };
                samples.push(apply_once(&url, rows).await);
            }
            if samples.is_empty() {
                break;
            }
            samples.sort();
            let m = samples[samples.len() / 2];
            println!(
                "apply {rows:>6} new users x 6 answers on {kind:<8}: median {:>8.1} ms over {} runs, {:.0} rows/s",
                m.as_secs_f64() * 1e3,
                samples.len(),
                rows as f64 / m.as_secs_f64()
            );
        }
    }
}
