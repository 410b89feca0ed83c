//! Shared by the server benchmarks: a fresh database and the demo
//! instance with a global admin.
#![allow(clippy::expect_used, dead_code)]

use app::domain::{Admin, AdminScope, Email, NewPassword};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

/// A new, empty database of `kind` ("sqlite" or "postgres"); `None` when
/// PostgreSQL is asked for and ROSTER_TEST_POSTGRES_URL is not set.
pub async fn fresh_database(kind: &str, run: usize) -> Option<String> {
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

/// Migrates, loads the demo instance and creates a global admin.
pub async fn demo_instance_with_admin(url: &str) -> (DatabaseConnection, Admin) {
    let db = server::db::connect_and_migrate(url)
        .await
        .expect("database");
    let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../instance/demo.toml");
    let def = server::instance_file::load(&demo).expect("demo instance");
    server::instance_sync::sync(&db, &def).await.expect("sync");
    // The demo licence (250) and upload limit (1,000) would refuse the larger imports here.
    db.execute_unprepared(
        "UPDATE instance_settings SET license_limit = 1000000, upload_row_limit = 1000000",
    )
    .await
    .expect("licence");
    let email = Email::parse("bench@example.com").expect("email");
    let password = NewPassword::parse("bench password", "bench password").expect("password");
    let created = app::backend::accounts::create_admin(&db, &email, &[], Some(password))
        .await
        .expect("admin");
    let admin = Admin {
        id: created.admin_id,
        email: email.to_string(),
        scope: AdminScope::Global,
        token: None,
    };
    (db, admin)
}
