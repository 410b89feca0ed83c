//! Delivering system emails (docs/system-emails.md) to a real SMTP server on loopback:
//! what arrives, what never does, retries, and two workers on one database —
//! on SQLite and PostgreSQL.

use crate::helpers::smtp_sink::SmtpSink;
use crate::helpers::{everyone, import, import_at, signed_in, Db, TestApp};
use app::api::emails::{EmailTemplate, LoadTrackEmails, SaveEmailTemplate};
use app::api::undo::{PreviewUndo, UndoImport, UndoPlan};
use app::backend::entities::outbox;
use app::domain::csv_upload::RoleChoice;
use app::domain::{OutboxStatus, Role, SystemEmail};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::collections::HashSet;
use std::time::Duration;

/// The demo instance, with emails due at once instead of after 10 minutes.
fn no_hold() -> String {
    std::fs::read_to_string(crate::helpers::demo_instance())
        .unwrap()
        .replace("email_hold_minutes = 10", "email_hold_minutes = 0")
}

async fn app_mailing_to(kind: Db, sink: Option<&SmtpSink>) -> Option<TestApp> {
    let app =
        crate::helpers::spawn_app_with(kind, Some(&no_hold()), sink.map(|s| s.url.clone())).await?;
    signed_in(&app).await;
    Some(app)
}

async fn statuses(app: &TestApp) -> Vec<(String, OutboxStatus, i32)> {
    outbox::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.to_address, *e.status, e.attempts))
        .collect()
}

/// Waits until no email is queued or being sent (or 10 s passed).
async fn settled(app: &TestApp) -> Vec<(String, OutboxStatus, i32)> {
    for _ in 0..200 {
        let now = statuses(app).await;
        if now
            .iter()
            .all(|(_, s, _)| matches!(s, OutboxStatus::Sent | OutboxStatus::Failed))
        {
            return now;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    statuses(app).await
}

macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                async fn sqlite() {
                    super::$name(super::Db::Sqlite).await;
                }
                #[tokio::test]
                async fn postgres() {
                    super::$name(super::Db::Postgres).await;
                }
            }
        )*
    };
}

on_both!(
    each_person_added_gets_one_email_with_the_placeholders_filled,
    dormant_users_and_switched_off_templates_get_no_email,
    a_refused_email_is_sent_again_later,
    two_workers_never_send_an_email_twice,
    without_smtp_each_email_is_an_eml_file,
    emails_go_to_the_address_on_file_with_international_domains_encoded,
);

/// A look-alike spelling of an address is the person on file, and their
/// email goes to the address on file; an internationalised domain travels
/// in its ASCII form (IDNA), which every SMTP server accepts.
async fn emails_go_to_the_address_on_file_with_international_domains_encoded(kind: Db) {
    let sink = SmtpSink::start(0).await;
    let Some(app) = app_mailing_to(kind, Some(&sink)).await else {
        return;
    };
    let header = "First Name,Last Name,Email\n";
    import_at(
        &app,
        "engineering", // The second Kate, with a full-width k, is the first one twice.
        &format!(
            "{header}Kate,One,kate@x.org\nKate,Two,\u{FF4B}ate@x.org\nUli,Ünal,uli@bücher.de\n"
        ),
        &[Role::Mentee],
    )
    .await;
    import_at(
        &app,
        "leadership",
        &format!("{header}Kate,One,\u{FF4B}ate@x.org\n"),
        &[Role::Mentee],
    )
    .await;
    sink.wait_for(3).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut to: Vec<Vec<String>> = sink.received().into_iter().map(|r| r.to).collect();
    to.sort();
    assert_eq!(
        to,
        [
            vec!["kate@x.org".to_owned()],
            vec!["kate@x.org".to_owned()],
            vec!["uli@xn--bcher-kva.de".to_owned()],
        ],
        "one email per track Kate joined, both to the address on file"
    );
}

async fn each_person_added_gets_one_email_with_the_placeholders_filled(kind: Db) {
    let sink = SmtpSink::start(0).await;
    let Some(app) = app_mailing_to(kind, Some(&sink)).await else {
        return;
    };
    let text = "First Name,Last Name,Email,Role\nAda,Lovelace,ada@example.com,Mentor\nBo,Chen,bo@example.com,Mentee\n";
    import(&app, Some("engineering"), text, RoleChoice::FromColumn, 10).await;

    let received = sink.wait_for(2).await;
    assert_eq!(settled(&app).await.len(), 2);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let received_later = sink.received();
    assert_eq!(received_later.len(), 2, "one email per person, never again");
    let ada = received
        .iter()
        .find(|r| r.to == ["ada@example.com"])
        .unwrap();
    assert_eq!(
        ada.header("Subject").as_deref(),
        Some("You are a mentor in Engineering Mentoring")
    );
    assert!(ada.text().contains("Hello Ada,"), "{}", ada.data);
    assert!(
        ada.text()
            .contains("https://mentoring.northwind.example/sign-in"),
        "the sign-in link of the instance file: {}",
        ada.data
    );
    assert!(ada.data.contains("text/html"), "an HTML part too");
    let bo = received
        .iter()
        .find(|r| r.to == ["bo@example.com"])
        .unwrap();
    assert_eq!(
        bo.header("Subject").as_deref(),
        Some("Welcome to Engineering Mentoring")
    );
    assert!(statuses(&app)
        .await
        .iter()
        .all(|(_, s, n)| *s == OutboxStatus::Sent && *n == 1));
}

async fn dormant_users_and_switched_off_templates_get_no_email(kind: Db) {
    let sink = SmtpSink::start(0).await;
    let Some(app) = app_mailing_to(kind, Some(&sink)).await else {
        return;
    };
    crate::helpers::switch_off(&app, "engineering", app::domain::SystemEmail::NewMentor).await;

    import(
        &app,
        None,
        "First Name,Last Name,Email\nDee,Dormant,dee@example.com\n",
        RoleChoice::Dormant,
        10,
    )
    .await;
    let text = "First Name,Last Name,Email,Role\nMo,Mentor,mo@example.com,Mentor\nMe,Mentee,me@example.com,Mentee\n";
    import(&app, Some("engineering"), text, RoleChoice::FromColumn, 10).await;

    sink.wait_for(1).await;
    settled(&app).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let to: Vec<Vec<String>> = sink.received().into_iter().map(|r| r.to).collect();
    assert_eq!(to, vec![vec!["me@example.com".to_owned()]]);
}

async fn a_refused_email_is_sent_again_later(kind: Db) {
    let sink = SmtpSink::start(1).await;
    let Some(app) = app_mailing_to(kind, Some(&sink)).await else {
        return;
    };
    import_at(
        &app,
        "leadership",
        "First Name,Last Name,Email\nRe,Try,retry@example.com\n",
        &[Role::Mentee],
    )
    .await;
    let received = sink.wait_for(1).await;
    assert_eq!(received.len(), 1);
    assert_eq!(
        settled(&app).await,
        vec![("retry@example.com".to_owned(), OutboxStatus::Sent, 2)],
        "sent on the second attempt"
    );
}

async fn two_workers_never_send_an_email_twice(kind: Db) {
    let sink = SmtpSink::start(0).await;
    let Some(app) = app_mailing_to(kind, Some(&sink)).await else {
        return;
    };
    // A second server's worker on the same database.
    let config = server::config::MailConfig {
        smtp_url: Some(sink.url.clone()),
        poll: Duration::from_millis(10),
        ..Default::default()
    };
    let mailer = server::mail_delivery::Mailer::new(&config, app.data_dir()).unwrap();
    let second = server::db::connect(&app.database_url).await.unwrap();
    let _second = server::mail_delivery::MailWorker::start(second, mailer, config);

    let mut text = String::from("First Name,Last Name,Email\n");
    for i in 0..60 {
        text.push_str(&format!("P{i},Many,p{i}@example.com\n"));
    }
    import(
        &app,
        Some("engineering"),
        &text,
        everyone(&[Role::Mentee]),
        25,
    )
    .await;
    sink.wait_for(60).await;
    assert_eq!(settled(&app).await.len(), 60);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let received = sink.received();
    let unique: HashSet<&str> = received.iter().map(|r| r.to[0].as_str()).collect();
    assert_eq!(unique.len(), 60);
    assert_eq!(received.len(), 60, "nobody got an email twice");
}

async fn without_smtp_each_email_is_an_eml_file(kind: Db) {
    let Some(app) = app_mailing_to(kind, None).await else {
        return;
    };
    import_at(
        &app,
        "engineering",
        "First Name,Last Name,Email\nEm,Ell,eml@example.com\n",
        &[Role::Mentor],
    )
    .await;
    assert_eq!(settled(&app).await[0].1, OutboxStatus::Sent);
    let files: Vec<String> = std::fs::read_dir(app.data_dir().join("outbox"))
        .unwrap()
        .map(|f| std::fs::read_to_string(f.unwrap().path()).unwrap())
        .collect();
    assert_eq!(files.len(), 1);
    assert!(files[0].contains("To: eml@example.com"), "{}", files[0]);
    assert!(files[0].contains("You are a mentor in Engineering Mentoring"));
}

on_both!(an_email_being_sent_when_its_import_is_undone_is_never_sent_again);

/// Issue 18: undo counts an email being sent as gone and takes the person
/// out of the track; when that send then fails, the email is cancelled, not
/// put back to welcome someone who is no longer in the track.
async fn an_email_being_sent_when_its_import_is_undone_is_never_sent_again(kind: Db) {
    let sink = SmtpSink::start_slow_refusing(1, Duration::from_millis(1_500)).await;
    // Held a minute, so that the import can be undone; then made due at once.
    let held = std::fs::read_to_string(crate::helpers::demo_instance())
        .unwrap()
        .replace("email_hold_minutes = 10", "email_hold_minutes = 1");
    let Some(app) = crate::helpers::spawn_app_with(kind, Some(&held), Some(sink.url.clone())).await
    else {
        return;
    };
    signed_in(&app).await;
    let imported = import_at(
        &app,
        "leadership",
        "First Name,Last Name,Email\nUn,Done,undone@example.com\n",
        &[Role::Mentee],
    )
    .await;
    outbox::Entity::update_many()
        .col_expr(
            outbox::Column::NotBefore,
            sea_orm::sea_query::Expr::value(chrono::Utc::now()),
        )
        .exec(&app.db)
        .await
        .unwrap();
    for _ in 0..100 {
        if statuses(&app).await[0].1 == OutboxStatus::Sending {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(statuses(&app).await[0].1, OutboxStatus::Sending);
    let plan: UndoPlan = app.send_ok(PreviewUndo { id: imported.id }).await;
    assert_eq!(plan.counts.emails_sent, 1, "counted as possibly gone");
    let undone = app
        .send(UndoImport {
            id: imported.id,
            expected: plan.counts,
        })
        .await;
    assert_eq!(undone.status, 200, "{}", undone.body);
    // The refusal comes back, then the worker polls again several times.
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    let now = statuses(&app).await;
    assert_eq!(now.len(), 1);
    assert_eq!(now[0].1, OutboxStatus::Cancelled, "{now:?}");
    assert!(sink.received().is_empty(), "nobody was welcomed");
}

on_both!(templates_are_checked_before_saving_and_used_after);

async fn templates_are_checked_before_saving_and_used_after(kind: Db) {
    let sink = SmtpSink::start(0).await;
    let Some(app) = app_mailing_to(kind, Some(&sink)).await else {
        return;
    };
    let save = |subject: &str| SaveEmailTemplate {
        track_slug: "engineering".into(),
        template: EmailTemplate {
            email: SystemEmail::NewMentee,
            subject: subject.into(),
            body: "Hi {first_name} {last_name}, see {sign_in_link}".into(),
            enabled: true,
            edited: true,
        },
    };
    let typo = app.send(save("Hi {firstname}")).await;
    assert_eq!(typo.status, 422, "{}", typo.body);
    assert!(typo.body.contains("firstname"), "{}", typo.body);
    let tara = app.admin_client("tara@example.com", &["leadership"]).await;
    assert_eq!(tara.send(save("Hi")).await.status, 403);
    let saved = app.send(save("Welcome aboard, {first_name}!")).await;
    assert_eq!(saved.status, 200, "{}", saved.body);

    import_at(
        &app,
        "engineering",
        "First Name,Last Name,Email\nAda,Lovelace,ada@example.com\n",
        &[Role::Mentee],
    )
    .await;
    let received = sink.wait_for(1).await;
    assert_eq!(
        received[0].header("Subject").as_deref(),
        Some("Welcome aboard, Ada!")
    );
    assert!(received[0].text().contains("Hi Ada Lovelace, see https://"));

    let page = app
        .send(LoadTrackEmails {
            track_slug: "engineering".into(),
        })
        .await
        .json();
    let mentee = page["templates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["email"] == "new_mentee")
        .unwrap()
        .clone();
    assert_eq!(
        (mentee["edited"].clone(), mentee["enabled"].clone()),
        (true.into(), true.into())
    );
    assert_eq!(page["outbox"][0]["to"], "ada@example.com");
}

on_both!(a_permanent_refusal_fails_at_once_and_says_why);

async fn a_permanent_refusal_fails_at_once_and_says_why(kind: Db) {
    let sink = SmtpSink::start_with(0, Some("gone@example.com")).await;
    let Some(app) = app_mailing_to(kind, Some(&sink)).await else {
        return;
    };
    import_at(
        &app,
        "engineering",
        "First Name,Last Name,Email\nGo,Ne,gone@example.com\nSt,Ay,stay@example.com\n",
        &[Role::Mentee],
    )
    .await;
    sink.wait_for(1).await;
    let mut settled = settled(&app).await;
    settled.sort();
    assert_eq!(
        settled,
        vec![
            ("gone@example.com".to_owned(), OutboxStatus::Failed, 1),
            ("stay@example.com".to_owned(), OutboxStatus::Sent, 1),
        ],
        "a 5xx is not tried again"
    );
    let gone = outbox::Entity::find()
        .filter(outbox::Column::ToAddress.eq("gone@example.com"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        gone.last_error
            .as_deref()
            .unwrap_or_default()
            .contains("No such mailbox"),
        "{:?}",
        gone.last_error
    );
}
