//! Values mapped to choice options (docs/importing.md, "Values that are not
//! options"): the server applies the mapping it was started with, with the
//! same checks, and refuses a mapping to anything but an option.

use crate::helpers::{apply_and_finish, plan_for, profile_answer, signed_in, TestApp};
use app::api::imports::{LoadImportContext, StartImport};
use app::domain::csv_upload::{read_table, CsvTable, Delimiter, Mapping, RoleChoice, RowOutcome};

const FILE: &str = "First Name,Last Name,Email,Department,Languages\n\
                    Ann,Lee,ann@example.com,Eng,\"English, Fr\"\n\
                    Bo,Chen,bo@example.com,Eng,\n\
                    Cy,Poole,cy@example.com,Mktg,\n";

/// A dormant import of `FILE` with `values` mapped: its start's answer and the file.
async fn start(app: &TestApp, values: &[(&str, &str, &str)]) -> (crate::helpers::Answer, CsvTable) {
    let table = read_table(FILE, Delimiter::Comma, 1_000).unwrap();
    let fields = app
        .send_ok(LoadImportContext {
            track_slug: None,
            dormant: true,
        })
        .await
        .fields;
    let mut mapping = Mapping::suggest(&table.headers, &fields, false);
    for (field, value, option) in values {
        mapping.values.set(field, value, option);
    }
    let plan = plan_for(None, &table, mapping, RoleChoice::Dormant);
    (app.send(StartImport { plan }).await, table)
}

on_both_databases!(
    the_server_applies_the_values_mapped,
    a_value_mapped_to_no_option_is_refused
);

async fn the_server_applies_the_values_mapped(app: TestApp) {
    signed_in(&app).await;
    let (answer, table) = start(
        &app,
        &[
            ("department", "Eng", "Engineering"),
            ("languages", "Fr", "French"),
        ],
    )
    .await;
    let id: i64 = answer.ok();
    let done = apply_and_finish(&app, id, &table.rows, 10).await;
    assert_eq!(done.outcome(2), RowOutcome::Created);
    assert_eq!(done.outcome(3), RowOutcome::Created);
    // "Mktg" was not mapped: the row is checked as it is, and skipped.
    assert_eq!(done.outcome(4), RowOutcome::Skipped);
    let errors = &done.rows.iter().find(|r| r.line == 4).unwrap().errors;
    assert!(errors[0]
        .message
        .contains("“Mktg” is not one of the Department options"));
    for (email, department) in [
        ("ann@example.com", "Engineering"),
        ("bo@example.com", "Engineering"),
    ] {
        assert_eq!(
            profile_answer(&app, email, "department").await.as_deref(),
            Some(department)
        );
    }
    assert_eq!(
        profile_answer(&app, "ann@example.com", "languages")
            .await
            .as_deref(),
        Some("English, French")
    );
}

async fn a_value_mapped_to_no_option_is_refused(app: TestApp) {
    signed_in(&app).await;
    let (answer, _) = start(&app, &[("department", "Eng", "Engineers")]).await;
    assert_eq!(answer.status, 422, "{}", answer.body);
    assert!(
        answer
            .body
            .contains("“Engineers” is not one of the Department options"),
        "{}",
        answer.body
    );
    let (answer, _) = start(&app, &[("job_title", "x", "y")]).await;
    assert_eq!(answer.status, 422, "{}", answer.body);
    assert!(
        answer.body.contains("Job Title has no options"),
        "{}",
        answer.body
    );
}
