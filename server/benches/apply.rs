#![allow(clippy::expect_used)]
//! `cargo bench -p server --bench apply`: applying 1,000 and 10,000 new
//! users with 6 profile answers each, end to end through the import service
//! (start, batches of the browser's size re-checked and written, finish) on
//! SQLite in a file with WAL, and on PostgreSQL when
//! ROSTER_TEST_POSTGRES_URL is set — beside yardsticks in the same run that
//! write the same rows with nothing else (`baselines`): multi-row SQL on
//! both, and `COPY … FROM STDIN` on PostgreSQL. Then 10,000 rows at other
//! batch sizes, which chose the browser's (docs/performance.md).

mod baselines;
mod common;

use app::domain::csv_upload::{read_table, Delimiter, Mapping, RoleChoice};
use app::domain::{Role, Roles};
use app::ImportPlan;
use common::fresh_database;
use std::time::{Duration, Instant};

const BATCH: usize = app::api::imports::BATCH_ROWS;

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

async fn apply_once(url: &str, rows: usize, batch: usize) -> Duration {
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
    for rows in table.rows.chunks(batch) {
        app::backend::imports::apply_batch(&db, &admin, id, rows.to_vec())
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

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// Median over `runs` fresh databases of `kind` of what `once` takes on
/// each; `None` without PostgreSQL.
async fn median_of<F, Fut>(kind: &str, runs: usize, run: &mut usize, once: F) -> Option<Duration>
where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = Duration>,
{
    let mut samples = Vec::new();
    for _ in 0..runs {
        *run += 1;
        samples.push(once(fresh_database(kind, *run).await?).await);
    }
    Some(median(samples))
}

fn figure(what: &str, rows: usize, took: Duration) -> String {
    format!(
        "{what} {:>8.1} ms, {:>6.0} rows/s",
        took.as_secs_f64() * 1e3,
        rows as f64 / took.as_secs_f64()
    )
}

#[tokio::main]
async fn main() {
    let mut run = 0;
    for kind in ["sqlite", "postgres"] {
        for (rows, runs) in [(1_000usize, 5usize), (10_000, 3)] {
            let Some(app) = median_of(kind, runs, &mut run, |url| async move {
                apply_once(&url, rows, BATCH).await
            })
            .await
            else {
                println!("{kind}: skipped (set ROSTER_TEST_POSTGRES_URL)");
                break;
            };
            let raw = median_of(kind, runs, &mut run, |url| async move {
                baselines::raw_once(&url, rows, BATCH).await
            })
            .await
            .expect("database");
            let mut line = format!(
                "apply {rows:>6} new users x 6 answers on {kind:<8} (median of {runs}, batches of {BATCH}): {}; {}, ratio {:.2}",
                figure("app", rows, app),
                figure("multi-row SQL", rows, raw),
                app.as_secs_f64() / raw.as_secs_f64()
            );
            if kind == "postgres" {
                let copy = median_of(kind, runs, &mut run, |url| async move {
                    baselines::copy_once(&url, rows, BATCH).await
                })
                .await
                .expect("database");
                line += &format!(
                    "; {}, ratio {:.2}",
                    figure("COPY FROM STDIN", rows, copy),
                    app.as_secs_f64() / copy.as_secs_f64()
                );
            }
            println!("{line}");
        }
    }
    // The browser's batch size: each batch is a request and a transaction,
    // and a larger one makes the page wait longer between progress steps.
    let rows = 10_000;
    for kind in ["sqlite", "postgres"] {
        for batch in [100, 250, 500, 1_000] {
            let Some(app) = median_of(kind, 3, &mut run, |url| async move {
                apply_once(&url, rows, batch).await
            })
            .await
            else {
                break;
            };
            println!(
                "apply {rows} on {kind:<8} in batches of {batch:>5}: {} (median of 3), {:.1} ms a batch",
                figure("app", rows, app),
                app.as_secs_f64() * 1e3 / rows.div_ceil(batch) as f64
            );
        }
    }
}
