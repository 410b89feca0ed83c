//! A track's system emails (docs/system-emails.md): each template with its switch, an
//! editor with a live preview for a sample person, and the outbox.

use super::loaded;
use super::track::track;
use super::track_slug;
use crate::api::emails::{
    load_track_emails, save_email_template, EmailTemplate, OutboxEntry, TrackEmails,
};
use crate::components::ErrorNotice;
use crate::domain::email_text::{self, Recipient, PLACEHOLDERS};
use crate::domain::text::thousands;
use crate::domain::{Role, Roles, SystemEmail};
use crate::AppError;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;

#[component]
pub fn TrackEmailsPage() -> impl IntoView {
    let slug = track_slug();
    let emails = Resource::new(move || slug.clone(), load_track_emails);
    view! {
        <Title text="System emails"/>
        <h1>"System emails"</h1>
        {loaded(emails, |emails| view! { <EmailsBody emails/> })}
    }
}

#[component]
fn EmailsBody(emails: TrackEmails) -> impl IntoView {
    let TrackEmails {
        templates,
        outbox,
        hold_minutes,
        sign_in_url,
    } = emails;
    let sign_in_url = StoredValue::new(sign_in_url);
    view! {
        <p>
            {format!(
                "People added to this track get one of these emails, chosen by their roles. Each waits {} minutes in the outbox, so an import can still be undone before anyone is mailed. Dormant users are never emailed.",
                thousands(hold_minutes),
            )}
        </p>
        {templates
            .into_iter()
            .map(|template| view! { <TemplateCard template sign_in_url/> })
            .collect_view()}
        <h2 id="outbox">"Outbox"</h2>
        <Outbox entries=outbox/>
    }
}

/// The roles a sample person has in the preview of each template.
fn sample_roles(email: SystemEmail) -> Roles {
    let role = match email {
        SystemEmail::NewMentor => Role::Mentor,
        SystemEmail::NewMentee => Role::Mentee,
        SystemEmail::NewTeacherOrSeveralRoles => Role::Teacher,
        SystemEmail::NewAdministrator => Role::Admin,
    };
    Roles::empty().with(role)
}

/// Long because most of it is the view's markup, which reads best in one piece.
#[component]
fn TemplateCard(template: EmailTemplate, sign_in_url: StoredValue<String>) -> impl IntoView {
    let slug = track_slug();
    let email = template.email;
    let key = email.key();
    let subject = RwSignal::new(template.subject);
    let body = RwSignal::new(template.body);
    let enabled = RwSignal::new(template.enabled);
    let saved = RwSignal::new(None::<String>);
    let failure = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let track = track();
    let track_name = move || {
        track
            .get()
            .and_then(Result::ok)
            .map_or_else(|| "your track".to_owned(), |t| t.track.name)
    };
    let problem = move || {
        let subject_problem = if subject.with(|s| s.trim().is_empty()) {
            Some("Subject: write one.".to_owned())
        } else {
            subject
                .with(|s| email_text::check(s))
                .err()
                .map(|e| format!("Subject: {e}"))
        };
        subject_problem.or_else(|| {
            body.with(|b| email_text::check(b))
                .err()
                .map(|e| format!("Body: {e}"))
        })
    };
    let filled = move |text: String| {
        let name = track_name();
        let link = sign_in_url.get_value();
        email_text::fill(
            &text,
            &Recipient {
                first_name: "Ada",
                last_name: "Lovelace",
                track_name: &name,
                roles: sample_roles(email),
                sign_in_link: &link,
            },
        )
    };
    let slug = StoredValue::new(slug);
    let save = move |_| {
        if problem().is_some() {
            return;
        }
        busy.set(true);
        failure.set(None);
        saved.set(None);
        let template = EmailTemplate {
            email,
            subject: subject.get_untracked(),
            body: body.get_untracked(),
            enabled: enabled.get_untracked(),
            edited: true,
        };
        spawn_local(async move {
            match save_email_template(slug.get_value(), template).await {
                Ok(stored) => saved.set(Some(if stored.enabled {
                    "Saved: this email is on.".to_owned()
                } else {
                    "Saved: this email is off; nobody gets it.".to_owned()
                })),
                Err(error) => failure.set(Some(error)),
            }
            busy.set(false);
        });
    };
    let placeholders = PLACEHOLDERS
        .iter()
        .map(|(name, what)| format!("{{{name}}} {what}"))
        .collect::<Vec<_>>()
        .join(" · ");
    view! {
        <section class="card email-template" data-template=key>
            <h2>{email.title()}</h2>
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=move || enabled.get()
                    on:change=move |ev| enabled.set(event_target_checked(&ev))
                />
                "Send this email"
            </label>
            <div class="field">
                <label for=format!("subject-{key}")>"Subject"</label>
                <input
                    id=format!("subject-{key}")
                    type="text"
                    prop:value=move || subject.get()
                    on:input=move |ev| subject.set(event_target_value(&ev))
                />
            </div>
            <div class="field">
                <label for=format!("body-{key}")>"Body"</label>
                <textarea
                    id=format!("body-{key}")
                    rows="6"
                    prop:value=move || body.get()
                    on:input=move |ev| body.set(event_target_value(&ev))
                ></textarea>
            </div>
            <p class="hint">"Placeholders: " {placeholders}</p>
            {move || problem().map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
            <div class="email-preview" id=format!("preview-{key}") aria-label="Preview">
                <p class="hint">"Preview for Ada Lovelace"</p>
                <p>
                    <strong>{move || filled(subject.get())}</strong>
                </p>
                <pre>{move || filled(body.get())}</pre>
            </div>
            <div class="actions">
                <button type="button" disabled=move || busy.get() || problem().is_some() on:click=save>
                    "Save"
                </button>
                <span role="status">{move || saved.get()}</span>
            </div>
            {move || failure.get().map(|error| view! { <ErrorNotice error/> })}
        </section>
    }
}

#[component]
fn Outbox(entries: Vec<OutboxEntry>) -> impl IntoView {
    if entries.is_empty() {
        return view! { <p class="muted">"No email has been queued for this track yet."</p> }
            .into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="user-list" id="outbox-list">
                <thead>
                    <tr>
                        <th scope="col">"To"</th>
                        <th scope="col">"Email"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Time (UTC)"</th>
                    </tr>
                </thead>
                <tbody>
                    {entries
                        .into_iter()
                        .map(|e| {
                            let title = e.email.title();
                            view! {
                                <tr data-to=e.to.clone()>
                                    <td data-label="To">{e.to.clone()}</td>
                                    <td data-label="Email">{title}</td>
                                    <td data-label="Status">
                                        {e.status.label()}
                                        {e.error.map(|error| view! { <p class="field-error">{error}</p> })}
                                    </td>
                                    <td data-label="Time (UTC)">{e.at}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
