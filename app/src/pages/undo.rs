//! Undoing an import from its page (docs/history-and-undo.md): the window, a confirmation
//! that says exactly what will happen, and what was done.

use crate::api::undo::{preview_undo, undo_import, UndoCounts, UndoPlan, UndoWindow};
use crate::components::ErrorNotice;
use crate::domain::text::thousands;
use crate::AppError;
use leptos::prelude::*;
use leptos::task::spawn_local;

fn people(n: u64) -> String {
    if n == 1 {
        "1 person".to_owned()
    } else {
        format!("{} people", thousands(n))
    }
}

/// "gets" for one person, "get" for several.
fn gets(n: u64) -> &'static str {
    if n == 1 {
        "gets"
    } else {
        "get"
    }
}

fn emails(n: u64) -> String {
    if n == 1 {
        "1 email".to_owned()
    } else {
        format!("{} emails", thousands(n))
    }
}

/// The confirmation's sentences, one per thing that will happen.
pub(crate) fn consequences(plan: &UndoPlan) -> Vec<String> {
    let c = &plan.counts;
    let track = plan.track_name.as_deref().unwrap_or("the track");
    let mut said = Vec::new();
    let mut say = |n: u64, text: String| {
        if n > 0 {
            said.push(text);
        }
    };
    say(
        c.users_deleted,
        format!(
            "{} this import created will be deleted.",
            people(c.users_deleted)
        ),
    );
    say(
        c.emailed_kept_dormant,
        format!(
            "{} this import created already got their email: they leave {track} and stay as dormant users.",
            people(c.emailed_kept_dormant)
        ),
    );
    say(
        c.memberships_removed,
        format!(
            "{} will leave {track}; they stay on the platform.",
            people(c.memberships_removed)
        ),
    );
    say(
        c.roles_removed,
        format!(
            "{} will lose the roles this import gave them in {track} and keep the ones they had.",
            people(c.roles_removed)
        ),
    );
    say(
        c.memberships_restored,
        format!(
            "{} {} back the tracks and roles this change took from them.",
            people(c.memberships_restored),
            gets(c.memberships_restored)
        ),
    );
    say(
        c.profiles_restored,
        format!(
            "{} {} back the names and profile values they had before.",
            people(c.profiles_restored),
            gets(c.profiles_restored)
        ),
    );
    say(
        c.emails_cancelled,
        format!(
            "{} waiting to go out will be cancelled.",
            emails(c.emails_cancelled)
        ),
    );
    say(
        c.emails_sent,
        format!(
            "{} already went out and cannot be called back.",
            emails(c.emails_sent)
        ),
    );
    say(
        c.kept_for_later_imports,
        format!(
            "{} were changed by a later import: what it wrote stays as it is.",
            people(c.kept_for_later_imports)
        ),
    );
    say(
        c.emails_kept,
        format!(
            "{} to people a later import keeps in {track} will still go out.",
            emails(c.emails_kept)
        ),
    );
    said
}

/// "3 people deleted · 2 left the track · …", for after the undo.
fn done_text(c: &UndoCounts) -> String {
    let parts: Vec<String> = [
        (c.users_deleted, "deleted"),
        (
            c.emailed_kept_dormant + c.memberships_removed,
            "left the track",
        ),
        (c.roles_removed, "lost the roles it gave"),
        (c.memberships_restored, "got their tracks back"),
        (c.profiles_restored, "got their profile back"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{} {what}", people(n)))
    .chain((c.emails_cancelled > 0).then(|| format!("{} cancelled", emails(c.emails_cancelled))))
    .collect();
    format!("Import undone: {}.", parts.join(" · "))
}

/// The undo card of an import's page. `undone` carries what the last undo
/// did across the page's reload; `reload` fetches the import again.
#[component]
pub fn UndoSection(
    id: i64,
    window: UndoWindow,
    undone: RwSignal<Option<UndoCounts>>,
    reload: Callback<()>,
) -> impl IntoView {
    match window {
        UndoWindow::Undone { at, by } => view! {
            <section class="card" id="undo">
                {move || undone.get().map(|c| view! { <p class="alert ok" role="status">{done_text(&c)}</p> })}
                <p>
                    {format!("Undone at {at} UTC")}
                    {by.map(|by| format!(" by {by}"))}
                    ". The counts above are what the import did before it was undone."
                </p>
            </section>
        }
        .into_any(),
        UndoWindow::Closed(why) => view! { <p class="hint" id="undo">{why}</p> }.into_any(),
        UndoWindow::Open { until } => view! { <UndoConfirmation id until undone reload/> }.into_any(),
    }
}

/// Long because most of it is the view's markup, which reads best in one piece.
#[component]
fn UndoConfirmation(
    id: i64,
    until: String,
    undone: RwSignal<Option<UndoCounts>>,
    reload: Callback<()>,
) -> impl IntoView {
    let plan = RwSignal::new(None::<UndoPlan>);
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<AppError>);
    let ask = move |_| {
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            match preview_undo(id).await {
                Ok(found) => plan.set(Some(found)),
                Err(error) => failure.set(Some(error)),
            }
            busy.set(false);
        });
    };
    let confirm = move |_| {
        let Some(expected) = plan.with_untracked(|p| p.as_ref().map(|p| p.counts)) else {
            return;
        };
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            match undo_import(id, expected).await {
                Ok(done) => {
                    undone.set(Some(done));
                    reload.run(());
                }
                Err(error) => {
                    // The figures may have changed: show the current ones.
                    plan.set(preview_undo(id).await.ok());
                    failure.set(Some(error));
                }
            }
            busy.set(false);
        });
    };
    view! {
        <section class="card" id="undo" aria-labelledby="undo-title">
            <h2 id="undo-title">"Undo this import"</h2>
            <p>{format!("It can be undone until {until} UTC, while its emails are still held.")}</p>
            {move || failure.get().map(|error| view! { <ErrorNotice error/> })}
            {move || match plan.get() {
                None => view! {
                    <button type="button" class="secondary" disabled=move || busy.get() on:click=ask>
                        "Undo this import…"
                    </button>
                }
                .into_any(),
                Some(found) => {
                    let nothing = found.counts.is_nothing();
                    let license = format!(
                        "Active users: {} now, {} after the undo (licence {}).",
                        thousands(found.license_now.active_users),
                        thousands(found.active_after),
                        thousands(found.license_now.limit)
                    );
                    view! {
                        <div class="confirmation" role="group" aria-label="What undoing does">
                            <p><strong>"Undoing this import:"</strong></p>
                            <ul id="undo-consequences">
                                {consequences(&found).into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}
                            </ul>
                            {(!found.later_imports.is_empty()).then(|| view! {
                                <p>
                                    "Later imports: "
                                    {found.later_imports.iter().map(|l| view! {
                                        <a href=format!("/imports/{}", l.id)>
                                            {format!("{} ({})", l.started_at, people(l.people))}
                                        </a>
                                        " "
                                    }).collect_view()}
                                    "— undo those first to undo this one completely."
                                </p>
                            })}
                            <p id="undo-license">{license}</p>
                            {if nothing {
                                view! { <p class="alert warn">"Nothing of this import is left to undo: later imports changed all of it."</p> }.into_any()
                            } else {
                                view! {
                                    <div class="actions">
                                        <button type="button" class="danger" disabled=move || busy.get() on:click=confirm>
                                            "Undo import"
                                        </button>
                                        <button type="button" class="secondary" on:click=move |_| plan.set(None)>
                                            "Keep it"
                                        </button>
                                    </div>
                                }.into_any()
                            }}
                        </div>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::LicenseUse;

    fn plan(counts: UndoCounts) -> UndoPlan {
        UndoPlan {
            counts,
            later_imports: Vec::new(),
            track_name: Some("Engineering".into()),
            license_now: LicenseUse {
                active_users: 5,
                limit: 10,
            },
            active_after: 3,
            until: "2026-11-25 10:00".into(),
        }
    }

    #[test]
    fn the_confirmation_says_each_consequence_with_its_count() {
        let said = consequences(&plan(UndoCounts {
            users_deleted: 2,
            memberships_removed: 1,
            memberships_restored: 2,
            profiles_restored: 1,
            emails_cancelled: 3,
            emails_sent: 1,
            ..UndoCounts::default()
        }));
        assert_eq!(
            said,
            [
                "2 people this import created will be deleted.",
                "1 person will leave Engineering; they stay on the platform.",
                "2 people get back the tracks and roles this change took from them.",
                "1 person gets back the names and profile values they had before.",
                "3 emails waiting to go out will be cancelled.",
                "1 email already went out and cannot be called back.",
            ]
        );
    }

    #[test]
    fn the_done_message_leaves_out_what_did_not_happen() {
        let text = done_text(&UndoCounts {
            users_deleted: 1,
            roles_removed: 2,
            ..UndoCounts::default()
        });
        assert_eq!(
            text,
            "Import undone: 1 person deleted · 2 people lost the roles it gave."
        );
    }

    #[test]
    fn big_counts_have_thousands_separators() {
        assert_eq!(people(1_200), "1,200 people");
        assert_eq!(emails(12_345), "12,345 emails");
    }
}
