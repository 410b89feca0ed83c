//! SCIM checked by someone else's suite (docs/scim.md, "Checked by
//! scim2-tester"): scim2-tester from PyPI, run by `scripts/scim_check.py`
//! against this server, finds no failure — on SQLite and PostgreSQL.

use crate::helpers::{signed_in, TestApp};
use crate::scim::token;
use app::api::tokens::TokenScope;

/// The demo instance without its date and number fields: scim2-tester
/// fills every attribute with random text, which those fields rightly
/// refuse (docs/scim.md, "Checked by scim2-tester").
static CHECKED_INSTANCE: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let demo = std::fs::read_to_string(crate::helpers::demo_instance()).unwrap();
    let sections: Vec<&str> = demo.split("\n[[").collect();
    let kept: Vec<&str> = sections
        .iter()
        .filter(|s| !s.contains("type = \"date\"") && !s.contains("type = \"number\""))
        .copied()
        .collect();
    assert_eq!(
        kept.len(),
        sections.len() - 2,
        "the demo has one date and one number field"
    );
    kept.join("\n[[")
});

on_both_databases!(
    instance = Some(super::CHECKED_INSTANCE.as_str());
    scim2_tester_finds_no_failure,
);

/// scim2-tester (PyPI), run against this server by `scripts/scim_check.py`;
/// `scripts/setup` installs it.
async fn scim2_tester_finds_no_failure(app: TestApp) {
    signed_in(&app).await;
    let okta = token(&app, TokenScope::Global).await;
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let python = format!("{root}/target/scim-check-venv/bin/python");
    assert!(
        std::path::Path::new(&python).exists(),
        "scim2-tester is not installed: run scripts/setup (or scripts/scim-check --install-only)"
    );
    let checked = tokio::process::Command::new(python)
        .arg(format!("{root}/scripts/scim_check.py"))
        .arg(format!("{}/scim/v2", app.base))
        .arg(okta)
        .output()
        .await
        .unwrap();
    let said = String::from_utf8_lossy(&checked.stdout);
    println!("{said}{}", String::from_utf8_lossy(&checked.stderr));
    assert!(checked.status.success(), "{said}");
    assert!(said.contains(" 0 failed"), "{said}");
}
