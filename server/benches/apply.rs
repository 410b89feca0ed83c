#![allow(clippy::expect_used)]
//! `cargo bench -p server --bench apply`: applying 1,000 and 10,000 new
//! users with 6 profile answers each, end to end through the import service
//! (start, batches of 250 re-checked and written, finish) on SQLite in a
//! file with WAL, and on PostgreSQL when ROSTER_TEST_POSTGRES_URL is set.

mod common;

use app::domain::csv_upload::{read_table, Delimiter, Mapping, RoleChoice};
use app::domain::{Role, Roles};
use app::ImportPlan;
use common::fresh_database;
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

async fn apply_once(url: &str, rows: usize) -> Duration {
    let (db, admin) = common::demo_instance_with_admin(url).await;
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
