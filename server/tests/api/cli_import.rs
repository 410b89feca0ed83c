//! `server import` (docs/api.md): the real binary run on real files, as a
//! cron job would, against the test app's database — on SQLite and
//! PostgreSQL.

use crate::helpers::{profile_answer, signed_in, user_by_email, TestApp};
use std::process::Output;

fn fixture(name: &str) -> String {
    format!("{}/../fixtures/files/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Runs `server import` with these arguments on the app's database. Waits
/// without blocking: the test app's own workers run on this thread, and a
/// stalled worker holding SQLite's write lock would make the import wait.
async fn import(app: &TestApp, args: &[&str]) -> Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("import")
        .args(args)
        .env("DATABASE_URL", &app.database_url)
        .env("ROSTER_INSTANCE", crate::helpers::demo_instance())
        .env("ROSTER_DATA_DIR", app.data_dir())
        .env("RUST_LOG", "error")
        .output()
        .await
        .expect("the server binary runs")
}

/// `--file FILE --as ann@example.com --track engineering`, then `more`.
fn at_engineering<'a>(file: &'a str, more: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "--file",
        file,
        "--as",
        "ann@example.com",
        "--track",
        "engineering",
    ];
    args.extend_from_slice(more);
    args
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

on_both_databases!(
    a_file_is_imported_from_the_command_line,
    rows_that_fail_are_printed_and_the_exit_code_says_so,
    a_workbook_is_read_from_its_sheet,
);

async fn a_workbook_is_read_from_its_sheet(app: TestApp) {
    use app::backend::entities::import;
    use sea_orm::EntityTrait;
    signed_in(&app).await;
    let file = fixture("staff.xlsx");
    let done = import(&app, &at_engineering(&file, &["--roles", "mentee"])).await;
    // Its sheet Staff, headers in row 3; one Employee ID is #N/A.
    assert_eq!(done.status.code(), Some(2), "{}", text(&done.stderr));
    assert!(
        text(&done.stdout).contains("3 rows; 2 new"),
        "{}",
        text(&done.stdout)
    );
    assert!(
        text(&done.stderr).contains("Employee ID shows #N/A"),
        "{}",
        text(&done.stderr)
    );
    let imports = import::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(imports[0].sheet.as_deref(), Some("Staff"));
    assert_eq!(imports[0].file_name.as_deref(), Some("staff.xlsx"));

    let more = ["--roles", "mentee", "--sheet", "Payroll"];
    let wrong = import(&app, &at_engineering(&file, &more)).await;
    let said = text(&wrong.stderr);
    assert_eq!(wrong.status.code(), Some(1), "{said}");
    assert!(
        said.contains("The workbook has no sheet “Payroll”: its sheets are Cover, Staff."),
        "{said}"
    );
}

async fn a_file_is_imported_from_the_command_line(app: TestApp) {
    signed_in(&app).await;
    let file = fixture("excel-utf8-bom-crlf.csv");
    let args = at_engineering(&file, &["--roles", "mentee"]);

    let dry = import(&app, &[&args[..], &["--dry-run"]].concat()).await;
    assert!(dry.status.success(), "{}", text(&dry.stderr));
    assert!(
        text(&dry.stdout).starts_with("Dry run, nothing written"),
        "{}",
        text(&dry.stdout)
    );
    assert!(user_by_email(&app, "ann@example.com").await.is_none());

    let done = import(&app, &args).await;
    assert!(done.status.success(), "{}", text(&done.stderr));
    let out = text(&done.stdout);
    assert!(out.contains("0 skipped with errors"), "{out}");
    let ann = user_by_email(&app, "ann@example.com")
        .await
        .expect("imported");
    assert_eq!(
        (ann.first_name.as_str(), ann.last_name.as_str()),
        ("Ann", "Lee")
    );
    let answer = profile_answer(&app, "ann@example.com", "department").await;
    assert_eq!(answer.as_deref(), Some("Sales"));
}

async fn rows_that_fail_are_printed_and_the_exit_code_says_so(app: TestApp) {
    signed_in(&app).await;
    let file = fixture("hris-export.csv");
    let some_failed = import(&app, &at_engineering(&file, &["--roles", "mentee"])).await;
    assert_eq!(
        some_failed.status.code(),
        Some(2),
        "{}{}",
        text(&some_failed.stdout),
        text(&some_failed.stderr)
    );
    let errors = text(&some_failed.stderr);
    assert!(errors.contains("2 row errors:"), "{errors}");
    assert!(
        errors.contains("line 3, Work E-mail: Email has to be unique"),
        "{errors}"
    );
    assert!(
        user_by_email(&app, "ann@example.com").await.is_some(),
        "the good row went in"
    );

    // Refused before anything is written: exit code 1 and a sentence.
    let stranger = import(
        &app,
        &[
            "--file",
            &file,
            "--as",
            "nobody@example.com",
            "--track",
            "engineering",
            "--roles",
            "mentee",
        ],
    )
    .await;
    let said = text(&stranger.stderr);
    assert_eq!(stranger.status.code(), Some(1), "{said}");
    assert!(
        said.contains("No admin account has the email nobody@example.com"),
        "{said}"
    );
    let no_roles = import(&app, &at_engineering(&file, &[])).await;
    assert_eq!(
        no_roles.status.code(),
        Some(1),
        "{}",
        text(&no_roles.stderr)
    );
    assert!(
        text(&no_roles.stderr).contains("Say which roles"),
        "{}",
        text(&no_roles.stderr)
    );
    let missing = import(
        &app,
        &["--file", "/nonexistent.csv", "--as", "ann@example.com"],
    )
    .await;
    let said = text(&missing.stderr);
    assert_eq!(missing.status.code(), Some(1), "{said}");
    assert!(said.contains("cannot read /nonexistent.csv"), "{said}");
}
