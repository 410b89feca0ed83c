#![allow(clippy::expect_used)]
//! `cargo bench -p server --bench users`: the Users page's queries over
//! 100,000 users (a third of them members of a track) on SQLite in a file
//! and on PostgreSQL when ROSTER_TEST_POSTGRES_URL is set: the first page,
//! a deep page, a search, the dormant and track filters, one user in full.

mod common;

use app::backend::entities::{membership, track, user};
use app::domain::{Role, Roles};
use app::{UserQuery, UserState};
use chrono::Utc;
use common::fresh_database;
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder, QuerySelect, Set};
use std::time::{Duration, Instant};

const USERS: usize = 100_000;
const RUNS: usize = 15;

/// Writes the users straight to the tables, in chunks: the import path is
/// measured by the `apply` bench.
async fn seed(db: &sea_orm::DatabaseConnection) {
    let now = Utc::now();
    let names = [
        "Smith", "Jones", "García", "Nguyen", "O'Brien", "Müller", "Kowalski",
    ];
    let users: Vec<user::ActiveModel> = (0..USERS)
        .map(|i| user::ActiveModel {
            email: Set(format!("person{i}@example.com")),
            email_normalized: Set(format!("person{i}@example.com")),
            first_name: Set(format!("First{i}")),
            last_name: Set(format!("{}{}", names[i % names.len()], i % 1000)),
            search_key: Set(app::domain::text::search_key(
                &format!("First{i}"),
                &format!("{}{}", names[i % names.len()], i % 1000),
                &format!("person{i}@example.com"),
            )),
            created_by_import_id: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .collect();
    for chunk in users.chunks(1_000) {
        user::Entity::insert_many(chunk.iter().cloned())
            .exec_without_returning(db)
            .await
            .expect("users");
    }
    let track_id = track::Entity::find()
        .order_by_asc(track::Column::Id)
        .one(db)
        .await
        .expect("tracks")
        .expect("a track")
        .id;
    let ids: Vec<i64> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .into_tuple()
        .all(db)
        .await
        .expect("ids");
    let members: Vec<membership::ActiveModel> = ids
        .iter()
        .step_by(3)
        .map(|&user_id| membership::ActiveModel {
            user_id: Set(user_id),
            track_id: Set(track_id),
            roles: Set(Roles::empty().with(Role::Mentee).bits()),
            created_by_import_id: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .collect();
    for chunk in members.chunks(1_000) {
        membership::Entity::insert_many(chunk.iter().cloned())
            .exec_without_returning(db)
            .await
            .expect("memberships");
    }
    // As a database in service would be: statistics gathered (PostgreSQL's
    // autovacuum would otherwise do it at a random moment mid-run), and
    // SQLite's write-ahead log folded back into the file.
    db.execute_unprepared("ANALYZE").await.expect("analyze");
    if db.get_database_backend() == sea_orm::DbBackend::Sqlite {
        db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
            .await
            .expect("checkpoint");
    }
}

/// The median time of `RUNS` runs, and what the last run answered.
async fn median<T, F, Fut>(mut run: F) -> (Duration, T)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let mut samples = Vec::with_capacity(RUNS);
    let mut answer = None;
    for _ in 0..RUNS {
        let start = Instant::now();
        answer = Some(run().await);
        samples.push(start.elapsed());
    }
    samples.sort();
    (samples[RUNS / 2], answer.expect("at least one run"))
}

#[tokio::main]
async fn main() {
    for (run, kind) in ["sqlite", "postgres"].into_iter().enumerate() {
        let Some(url) = fresh_database(kind, 100 + run).await else {
            println!("{kind}: skipped (set ROSTER_TEST_POSTGRES_URL)");
            continue;
        };
        let (db, admin) = common::demo_instance_with_admin(&url).await;
        seed(&db).await;
        let queries = [
            ("first page", UserQuery::default()),
            (
                "page 1,000 of 2,000",
                UserQuery {
                    page: 999,
                    ..Default::default()
                },
            ),
            (
                "search \"smith 42\"",
                UserQuery {
                    search: "smith 42".into(),
                    ..Default::default()
                },
            ),
            (
                "search \"example\" (all)",
                UserQuery {
                    search: "example".into(),
                    ..Default::default()
                },
            ),
            (
                "dormant only",
                UserQuery {
                    state: UserState::Dormant,
                    ..Default::default()
                },
            ),
            (
                "members of a track",
                UserQuery {
                    track: Some("engineering".into()),
                    ..Default::default()
                },
            ),
        ];
        for (name, query) in queries {
            let (m, total) = median(|| {
                let query = query.clone();
                let (db, admin) = (&db, &admin);
                async move {
                    app::backend::users::list(db, admin, query)
                        .await
                        .expect("list")
                        .total
                }
            })
            .await;
            println!(
                "users list, {name:<22} on {kind:<8}: median {:>7.1} ms over {RUNS} runs ({total} of {USERS} users match)",
                m.as_secs_f64() * 1e3
            );
        }
        let (m, _) = median(|| async {
            app::backend::users::detail(&db, &admin, 4_242)
                .await
                .expect("detail")
        })
        .await;
        println!(
            "one user in full               on {kind:<8}: median {:>7.1} ms over {RUNS} runs",
            m.as_secs_f64() * 1e3
        );
        db.close().await.ok();
    }
}
