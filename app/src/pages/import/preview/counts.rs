//! What the import will do, counted as the rows are checked.

use super::super::wizard;
use crate::domain::csv_upload::Forecast;
use crate::domain::text::thousands;
use leptos::prelude::*;

#[component]
pub(super) fn Counts(forecast: Memo<Forecast>, error_rows: Memo<usize>) -> impl IntoView {
    let wizard = wizard();
    let item = move |key: &'static str, label: &'static str, value: Signal<u64>| {
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
    view! {
        <ul id="counts" class="counts">
            {item(
                "new",
                if wizard.adds_members() { "new users" } else { "new dormant users" },
                of(|f| f.new),
            )}
            {wizard
                .adds_members()
                .then(|| {
                    view! {
                        {item("joining", "existing users join the track", of(|f| f.joining))}
                        {item("roles-added", "members of the track gain roles", of(|f| f.roles_added))}
                    }
                })}
            {item(
                "unchanged",
                if wizard.adds_members() {
                    "already members: profile updated"
                } else {
                    "existing users: profile updated"
                },
                of(|f| f.unchanged),
            )}
            <li data-count="errors" class:bad=move || errors.get() != 0>
                <strong>{move || thousands(errors.get()).to_string()}</strong>
                " rows with errors (not imported)"
            </li>
        </ul>
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
