//! A large import on PostgreSQL has its rows analysed as it grows (issue
//! 24, docs/performance.md "A whole population end to end"): each batch
//! looks the import's rows up by line and by email, and PostgreSQL plans
//! those look-ups from the table's statistics, which autovacuum gathers
//! only a minute or more later. Without them a growing import was planned
//! as a few hundred rows and every look-up scanned all of them.

use crate::helpers::{demo_instance, import, signed_in, spawn_app_with_instance, Db, TestApp};
use app::domain::csv_upload::RoleChoice;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use std::fmt::Write as _;

#[tokio::test]
async fn postgres() {
    let instance = std::fs::read_to_string(demo_instance())
        .unwrap()
        .replace("upload_row_limit = 1000", "upload_row_limit = 2000");
    let Some(app) = spawn_app_with_instance(Db::Postgres, Some(&instance)).await else {
        return;
    };
    signed_in(&app).await;
    assert_eq!(analyses(&app).await, 0);
    let mut text = String::from("First Name,Last Name,Email\n");
    for i in 0..1_100 {
        writeln!(text, "Ann{i},Lee,ann{i}@example.com").unwrap();
    }
    let done = import(&app, None, &text, RoleChoice::Dormant, 500).await;
    assert_eq!(done.counts.created, 1_100);
    assert_eq!(
        analyses(&app).await,
        1,
        "analysed once: when the import passed 1,024 rows, in its third batch"
    );
}

/// The ANALYZE commands run on the import rows (autovacuum's are counted
/// apart, in `autoanalyze_count`).
async fn analyses(app: &TestApp) -> i64 {
    let sql = "SELECT analyze_count FROM pg_stat_user_tables WHERE relname = 'import_rows'";
    let row = app
        .db
        .query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index(0).unwrap()
}
