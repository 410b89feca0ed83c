//! What the import will do, counted as the rows are checked.

use super::super::wizard;
use crate::domain::csv_upload::Forecast;
use crate::domain::text::thousands;
use crate::domain::{AddRule, WriteRule};
use leptos::prelude::*;

#[component]
pub(super) fn Counts(forecast: Memo<Forecast>, error_rows: Memo<usize>) -> impl IntoView {
    let wizard = wizard();
    let add = Memo::new(move |_| wizard.rule.with(|r| r.add));
    let write = Memo::new(move |_| wizard.rule.with(|r| r.write));
    let item = move |key: &'static str, label: Signal<&'static str>, value: Signal<u64>| {
        view! {
            <li data-count=key class:zero=move || value.get() == 0>
                <strong>{move || thousands(value.get()).to_string()}</strong>
                " "
                {label}
            </li>
        }
    };
    let of = move |get: fn(&Forecast) -> u64| Signal::derive(move || forecast.with(get));
    let errors = Signal::derive(move || error_rows.get() as u64);
    let members = wizard.adds_members();
    let unchanged = Signal::derive(move || match (members, write.get()) {
        (true, WriteRule::Overwrite | WriteRule::Replace) => "already members: profile updated",
        (true, WriteRule::FillEmpty) => "already members: empty fields filled",
        (false, WriteRule::Overwrite | WriteRule::Replace) => "existing users: profile updated",
        (false, WriteRule::FillEmpty) => "existing users: empty fields filled",
    });
    let fixed = |label: &'static str| Signal::stored(label);
    // A count the rule keeps at zero is not shown.
    let adds_new = move || add.get() != AddRule::OnlyExisting;
    let updates = move || add.get() != AddRule::OnlyNew;
    view! {
        <ul id="counts" class="counts">
            {move || {
                adds_new()
                    .then(|| {
                        item(
                            "new",
                            fixed(if members { "new users" } else { "new dormant users" }),
                            of(|f| f.new),
                        )
                    })
            }}
            {move || {
                (members && updates())
                    .then(|| {
                        view! {
                            {item("joining", fixed("existing users join the track"), of(|f| f.joining))}
                            {item("roles-added", fixed("members of the track gain roles"), of(|f| f.roles_added))}
                        }
                    })
            }}
            {move || updates().then(|| item("unchanged", unchanged, of(|f| f.unchanged)))}
            {move || {
                (!updates())
                    .then(|| {
                        item(
                            "skipped-existing",
                            fixed("already on the platform: skipped"),
                            of(|f| f.skipped_existing),
                        )
                    })
            }}
            {move || {
                (!adds_new())
                    .then(|| item("skipped-new", fixed("new emails: skipped"), of(|f| f.skipped_new)))
            }}
            {move || {
                (of(|f| f.email_changes).get() > 0)
                    .then(|| {
                        item(
                            "email-changes",
                            fixed("email changes: found by their ID under another address"),
                            of(|f| f.email_changes),
                        )
                    })
            }}
            <li data-count="errors" class:bad=move || errors.get() != 0>
                <strong>{move || thousands(errors.get()).to_string()}</strong>
                " rows with errors (not imported)"
            </li>
        </ul>
        <IdConflicts forecast />
    }
}

/// Rows whose ID and email find two different people: said with each
/// line, as they are not imported.
#[component]
fn IdConflicts(forecast: Memo<Forecast>) -> impl IntoView {
    /// Lines listed; the rest are counted.
    const SHOWN: usize = 20;
    move || {
        forecast.with(|f| {
            let conflicts = &f.id_conflicts;
            (!conflicts.is_empty()).then(|| {
                let items = conflicts
                    .iter()
                    .take(SHOWN)
                    .map(|c| view! { <li>{format!("Line {}: {}", c.line, c.message)}</li> })
                    .collect_view();
                let more = conflicts.len().saturating_sub(SHOWN);
                view! {
                    <div id="id-conflicts" class="alert error" role="status">
                        <p>
                            <strong>{thousands(conflicts.len() as u64).to_string()}</strong>
                            {if conflicts.len() == 1 {
                                " row finds one person by its ID and another by its email: it is not imported."
                            } else {
                                " rows find one person by their ID and another by their email: they are not imported."
                            }}
                        </p>
                        <ul>{items}</ul>
                        {(more > 0).then(|| view! { <p>{format!("…and {} more.", thousands(more as u64))}</p> })}
                    </div>
                }
            })
        })
    }
}

#[component]
pub(super) fn EmailForecastList(forecast: Memo<Forecast>) -> impl IntoView {
    view! {
        {move || {
            forecast
                .with(|f| {
                    if f.emails.is_empty() {
                        view! { <p id="email-forecast">"No system emails will be sent."</p> }.into_any()
                    } else {
                        let items = f
                            .emails
                            .iter()
                            .map(|e| {
                                let text = if e.off {
                                    format!(
                                        "{}: off, so {} people will not be emailed",
                                        e.email.title(),
                                        thousands(e.people),
                                    )
                                } else {
                                    format!("{}: {}", e.email.title(), thousands(e.people))
                                };
                                view! { <li class:off=e.off>{text}</li> }
                            })
                            .collect_view();
                        view! { <ul id="email-forecast">{items}</ul> }.into_any()
                    }
                })
        }}
    }
}
