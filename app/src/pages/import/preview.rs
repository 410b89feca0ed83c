//! Step 3: every row checked, what the import will do, and the errors to
//! fix — in place, re-checked as you type (SPEC §5 step 3).

use super::state::{RunState, Wizard};
use super::{back_to_upload_without_file, error_place, step_page, wizard};
use crate::api::imports::{known_people, KNOWN_PEOPLE_PER_CALL};
use crate::api::ImportContext;
use crate::components::file_io::download_csv;
use crate::components::slices::{in_slices, yield_to_browser};
use crate::components::ErrorNotice;
use crate::domain::csv_upload::{
    error_log_csv, CsvRow, Forecast, RowCheck, RowChecker, SeenEmails,
};
use crate::domain::text::thousands;
use crate::domain::ProfileField;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

#[component]
pub fn PreviewPage() -> impl IntoView {
    let wizard = wizard();
    back_to_upload_without_file(wizard);
    // Without a file nothing is drawn on the way back to the upload: no
    // checking starts in a page about to go.
    move || {
        wizard
            .has_table()
            .then(|| step_page("Preview", 2, |context| view! { <PreviewBody context/> }))
    }
}

type Checks = RwSignal<Vec<RowCheck>>;

/// Rows checked between two looks at the clock.
const CHECK_STEP: usize = 128;

#[component]
fn PreviewBody(context: ImportContext) -> impl IntoView {
    let wizard = wizard();
    let (checks, checking) = checks_in_slices(wizard, StoredValue::new(context.fields.clone()));
    look_up_emails(wizard, checks);
    let emails_off = context.emails_off.clone();
    let forecast = Memo::new(move |_| {
        checks.with(|checks| {
            wizard.known.with(|known| {
                Forecast::new(
                    checks.iter().filter_map(|c| c.person.as_ref()),
                    known,
                    wizard.adds_members(),
                    &emails_off,
                )
            })
        })
    });
    let error_rows =
        Memo::new(move |_| checks.with(|c| c.iter().filter(|c| !c.errors.is_empty()).count()));
    let license = context.license.clone();
    let active_after = move || license.active_users + forecast.with(|f| f.newly_active);
    let over_by = move || active_after().saturating_sub(license.limit);
    let importable = move || checks.with(|c| c.len()) - error_rows.get();

    let blocked = move || {
        if checking.get() {
            Some("Checking the rows…".to_owned())
        } else if wizard.lookups_pending.get() > 0 {
            Some("Checking which people are already in the platform…".to_owned())
        } else if wizard.lookup_error.with(Option::is_some) {
            Some(
                "Roster could not check which people already exist: reload the page to try again."
                    .to_owned(),
            )
        } else if wizard.adds_members() && over_by() > 0 {
            Some(format!(
                "This import would bring active users to {}, over the licence of {} by {}: remove {} of the people who are new to the platform, or ask for a larger licence.",
                thousands(active_after()),
                thousands(license.limit),
                thousands(over_by()),
                thousands(over_by())
            ))
        } else if importable() == 0 {
            Some(
                "No row can be imported yet: fix the errors below, or upload a fixed file."
                    .to_owned(),
            )
        } else {
            None
        }
    };
    let navigate = use_navigate();
    let complete = move |_| navigate(&wizard.url("complete"), Default::default());
    let download = move |_| {
        let name = wizard
            .file
            .with(|f| f.as_ref().map(|f| f.name.clone()))
            .unwrap_or_default();
        let log = checks.with(|c| error_log_csv(c.iter().flat_map(|c| &c.errors)));
        download_csv(&format!("errors-{name}"), &log);
    };

    view! {
        <section class="card">
            <h2>"What this import will do"</h2>
            <Counts forecast error_rows/>
            {if wizard.adds_members() {
                view! {
                    <p id="license-forecast" class:over=move || over_by() != 0>
                        {move || {
                            format!(
                                "Active users: {} → {} of {}",
                                thousands(license.active_users),
                                thousands(active_after()),
                                thousands(license.limit),
                            )
                        }}
                    </p>
                    <h3>"System emails"</h3>
                    <EmailForecastList forecast/>
                }
                    .into_any()
            } else {
                view! {
                    <p id="license-forecast">
                        {format!(
                            "Licence use unchanged: {} of {} active users. Dormant users do not count.",
                            thousands(license.active_users),
                            thousands(license.limit),
                        )}
                    </p>
                    <p id="email-forecast">"No emails will be sent: dormant users are never emailed."</p>
                }
                    .into_any()
            }}
            {move || wizard.lookup_error.get().map(|error| view! { <ErrorNotice error/> })}
        </section>
        <section class="card">
            <h2>"Rows"</h2>
            <RowGrid checks error_rows/>
            <div class="actions">
                <button
                    type="button"
                    class="secondary"
                    disabled=move || error_rows.get() == 0
                    on:click=download
                >
                    "Download error log"
                </button>
                <a href=wizard.url("")>"Upload a fixed file"</a>
            </div>
        </section>
        <div class="actions">
            {move || match wizard.run.get() {
                RunState::NotStarted => {
                    let complete = complete.clone();
                    view! {
                        <button type="button" disabled=move || blocked().is_some() on:click=complete>
                            {move || match importable() {
                                1 => "Complete: import 1 row".to_owned(),
                                n => format!("Complete: import {} rows", thousands(n)),
                            }}
                        </button>
                        <span class="hint" role="status">{blocked}</span>
                    }
                        .into_any()
                }
                _ => {
                    view! {
                        <p>
                            "This file has been sent. " <a href=wizard.url("complete")>"See how it went"</a>
                        </p>
                    }
                        .into_any()
                }
            }}
        </div>
    }
}

/// Every row's verdict, worked out again in slices whenever the rows, the
/// mapping or the roles change; `checking` while a run is under way (the
/// earlier verdicts stay on screen meanwhile). A file of a few thousand
/// rows is checked in one slice, before the page is painted again.
fn checks_in_slices(
    wizard: Wizard,
    fields: StoredValue<Vec<ProfileField>>,
) -> (Checks, RwSignal<bool>) {
    let checks = RwSignal::new(Vec::new());
    let checking = RwSignal::new(wizard.rows.with_untracked(|rows| !rows.is_empty()));
    let runs = StoredValue::new(0u64);
    Effect::new(move |_| {
        wizard.headers.track();
        wizard.mapping.track();
        // No rows: the page is on its way back to the upload step, and a
        // signal set now would wake views being taken down.
        if wizard.rows.with(Vec::is_empty) {
            return;
        }
        let roles = wizard.role_choice();
        runs.update_value(|n| *n += 1);
        let run = runs.get_value();
        // Stops once a newer run starts or the page is left.
        let current = move || runs.try_get_value() == Some(run);
        checking.set(true);
        spawn_local(async move {
            let mut done = Vec::new();
            let mut seen = SeenEmails::default();
            in_slices(|| {
                if !current() {
                    return true;
                }
                fields.with_value(|fields| {
                    wizard.headers.with_untracked(|headers| {
                        wizard.mapping.with_untracked(|mapping| {
                            wizard.rows.with_untracked(|rows| {
                                let rest = rows.get(done.len()..).unwrap_or_default();
                                let mut checker = RowChecker::resume(
                                    headers,
                                    fields,
                                    mapping,
                                    &roles,
                                    std::mem::take(&mut seen),
                                );
                                done.extend(rest.iter().take(CHECK_STEP).map(|r| checker.check(r)));
                                seen = checker.into_seen();
                                rest.len() <= CHECK_STEP
                            })
                        })
                    })
                })
            })
            .await;
            if current() {
                // Like a memo: unchanged verdicts wake nothing up.
                if checks.with_untracked(|old| *old != done) {
                    checks.set(done);
                }
                checking.set(false);
            }
        });
    });
    (checks, checking)
}

/// Asks the server about every valid email not asked about yet, whenever
/// the checked rows change (an email typed in place is looked up too).
fn look_up_emails(wizard: Wizard, checks: Checks) {
    Effect::new(move |_| {
        checks.track();
        wizard.lookups_pending.update(|n| *n += 1);
        let slug = wizard.track_slug.get_value();
        spawn_local(async move {
            // Not in the task that set the verdicts, which has work enough.
            yield_to_browser().await;
            // A hundred thousand rows take a while to walk too: in slices.
            let mut fresh = Vec::new();
            let mut next = 0;
            in_slices(|| {
                let walked = checks.try_with_untracked(|checks| {
                    let start = next.min(checks.len());
                    next = (start + CHECK_STEP * 8).min(checks.len());
                    let emails = checks[start..next]
                        .iter()
                        .filter_map(|c| c.person.as_ref())
                        .map(|p| p.email.normalized());
                    fresh.extend(wizard.take_unasked(emails));
                    next == checks.len()
                });
                walked.unwrap_or(true)
            })
            .await;
            for chunk in fresh.chunks(KNOWN_PEOPLE_PER_CALL) {
                match known_people(slug.clone(), chunk.to_vec()).await {
                    // Nobody known: nothing to work out again.
                    Ok(found) if found.is_empty() => {}
                    Ok(found) => {
                        wizard.known.try_update(|known| {
                            known.extend(found.into_iter().map(|p| (p.email.clone(), p)));
                        });
                    }
                    Err(error) => {
                        wizard.lookup_error.try_set(Some(error));
                        break;
                    }
                }
            }
            wizard
                .lookups_pending
                .try_update(|n| *n = n.saturating_sub(1));
        });
    });
}

#[component]
fn Counts(forecast: Memo<Forecast>, error_rows: Memo<usize>) -> impl IntoView {
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
fn EmailForecastList(forecast: Memo<Forecast>) -> impl IntoView {
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

/// The rows, errors in red and editable. Only the rows in view (and a
/// margin around them) are drawn, so a file of any size scrolls smoothly
/// and the page holds a few dozen rows at a time.
#[component]
fn RowGrid(checks: Checks, error_rows: Memo<usize>) -> impl IntoView {
    let wizard = wizard();
    let only_errors = RwSignal::new(false);
    // Rows being fixed stay listed under the filter until the admin moves on.
    let shown = Memo::new(move |_| {
        let filter = only_errors.get();
        checks.with(|checks| {
            wizard.edited.with(|edited| {
                checks
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| !filter || !c.errors.is_empty() || edited.contains(&c.line))
                    .map(|(i, _)| i)
                    .collect::<Vec<usize>>()
            })
        })
    });
    let scroller = NodeRef::<leptos::html::Div>::new();
    let view_port = RwSignal::new(ViewPort::default());
    let drawn = RwSignal::new(DrawnHeights::default());
    let layout = Memo::new(move |_| {
        shown.with(|shown| {
            checks.with(|checks| drawn.with(|drawn| RowLayout::new(shown, checks, drawn)))
        })
    });
    // The first drawing holds only the rows in view, so that the preview
    // shows in one short task; the margin follows a frame later.
    let margin = RwSignal::new(0.0);
    let window = Memo::new(move |_| layout.with(|l| l.window(view_port.get(), margin.get())));
    let in_window = move || {
        let (first, end) = window.get();
        shown.with(|s| s.get(first..end).unwrap_or_default().to_vec())
    };
    let space_above = move || layout.with(|l| l.top_of(window.get().0));
    let space_below = move || layout.with(|l| l.height() - l.top_of(window.get().1));
    // Drawn rows are measured once laid out, and the layout corrected.
    Effect::new(move |_| {
        window.track();
        checks.track();
        wizard.edited.track();
        // By the next frame the page may have been left: hence `try_`.
        request_animation_frame(move || {
            if let Some(Some(element)) = scroller.try_get_untracked() {
                let heights = browser::drawn_heights(&element);
                view_port.try_set(browser::view_port(&element));
                drawn.try_update(|d| d.record(heights));
                if margin.try_get_untracked() == Some(0.0) {
                    margin.try_set(MARGIN_PX);
                }
            }
        });
    });
    let on_scroll = move |_| {
        if let Some(element) = scroller.get_untracked() {
            view_port.set(browser::view_port(&element));
        }
    };
    let mapped = move |column: usize| {
        wizard
            .mapping
            .with(|m| m.columns.get(column).is_some_and(Option::is_some))
    };
    let width = move || wizard.headers.with(Vec::len) + 1;

    view! {
        <div class="grid-tools">
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=move || only_errors.get()
                    on:change=move |ev| {
                        only_errors.set(event_target_checked(&ev));
                        if let Some(element) = scroller.get_untracked() {
                            element.set_scroll_top(0);
                        }
                    }
                />
                "Only rows with errors"
            </label>
            <span class="hint" id="rows-shown">
                {move || {
                    let rows = match shown.with(Vec::len) {
                        0 => "No rows to show".to_owned(),
                        1 => "1 row shown".to_owned(),
                        n => format!("{} rows shown", thousands(n)),
                    };
                    format!("{rows} · {} with errors", thousands(error_rows.get()))
                }}
            </span>
        </div>
        <div class="table-wrap rows-scroller" node_ref=scroller on:scroll=on_scroll>
            <table id="preview-rows">
                <thead>
                    <tr>
                        <th scope="col">"Line"</th>
                        {move || {
                            wizard
                                .headers
                                .get()
                                .into_iter()
                                .enumerate()
                                .map(|(i, h)| {
                                    view! {
                                        <th scope="col" class:ignored=move || !mapped(i)>
                                            {h}
                                            {move || (!mapped(i)).then(|| view! { <span class="hint">" (not imported)"</span> })}
                                        </th>
                                    }
                                })
                                .collect_view()
                        }}
                    </tr>
                </thead>
                <tbody class="spacer" aria-hidden="true">
                    <tr>
                        <td colspan=width style:height=move || format!("{}px", space_above())></td>
                    </tr>
                </tbody>
                <For each=in_window key=|i| *i let:index>
                    <PreviewRow index checks/>
                </For>
                <tbody class="spacer" aria-hidden="true">
                    <tr>
                        <td colspan=width style:height=move || format!("{}px", space_below())></td>
                    </tr>
                </tbody>
            </table>
        </div>
    }
}

/// Drawn above and below the rows in view, so that scrolling and tabbing
/// find rows already there.
const MARGIN_PX: f64 = 800.0;
/// The height assumed for a row not drawn yet, and for each of its errors.
const ROW_PX: f64 = 36.0;
const ERROR_PX: f64 = 26.0;

/// The part of the rows the scroller shows.
#[derive(Debug, Clone, Copy, PartialEq)]
struct ViewPort {
    top: f64,
    height: f64,
}

impl Default for ViewPort {
    /// Until measured: a phone's screen from the top.
    fn default() -> Self {
        ViewPort {
            top: 0.0,
            height: 800.0,
        }
    }
}

/// Heights of rows as the browser drew them, by row index; 0 for a row
/// not drawn yet. (A vector: the layout reads it for every row.)
#[derive(Debug, Default, Clone, PartialEq)]
struct DrawnHeights(Vec<f64>);

impl DrawnHeights {
    fn get(&self, index: usize) -> Option<f64> {
        self.0.get(index).copied().filter(|h| *h > 0.0)
    }

    /// Keeps new measurements; unchanged ones leave it equal, so that the
    /// layout is not worked out again for nothing.
    fn record(&mut self, heights: Vec<(usize, f64)>) {
        for (index, height) in heights {
            if (self.get(index).unwrap_or(-1.0) - height).abs() > 0.5 {
                if self.0.len() <= index {
                    self.0.resize(index + 1, 0.0);
                }
                self.0[index] = height;
            }
        }
    }
}

/// Where each shown row starts, measured or estimated.
#[derive(Debug, Clone, PartialEq)]
struct RowLayout {
    /// `tops[k]` is the top of the k-th shown row; one more for the end.
    tops: Vec<f64>,
}

impl RowLayout {
    fn new(shown: &[usize], checks: &[RowCheck], drawn: &DrawnHeights) -> Self {
        let mut tops = Vec::with_capacity(shown.len() + 1);
        let mut y = 0.0;
        tops.push(y);
        for index in shown {
            y += drawn.get(*index).unwrap_or_else(|| {
                let errors = checks.get(*index).map_or(0, |c| c.errors.len());
                if errors == 0 {
                    ROW_PX
                } else {
                    ROW_PX + 12.0 + ERROR_PX * errors as f64
                }
            });
            tops.push(y);
        }
        RowLayout { tops }
    }

    fn top_of(&self, k: usize) -> f64 {
        self.tops.get(k).copied().unwrap_or_else(|| self.height())
    }

    fn height(&self) -> f64 {
        self.tops.last().copied().unwrap_or(0.0)
    }

    /// The shown rows to draw, `first..end`: those in view and `margin`
    /// pixels above and below.
    fn window(&self, view: ViewPort, margin: f64) -> (usize, usize) {
        let rows = self.tops.len().saturating_sub(1);
        let (from, to) = (view.top - margin, view.top + view.height + margin);
        // A row is drawn when it ends below `from` and starts above `to`.
        let first = self.tops[1..].partition_point(|&bottom| bottom <= from);
        let end = self.tops[..rows].partition_point(|&top| top < to);
        (first.min(end), end)
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::ViewPort;
    use leptos::wasm_bindgen::JsCast;

    pub fn view_port(scroller: &web_sys::HtmlDivElement) -> ViewPort {
        ViewPort {
            top: f64::from(scroller.scroll_top()),
            height: f64::from(scroller.client_height()),
        }
    }

    /// The height of every drawn row, by its index in the file.
    pub fn drawn_heights(scroller: &web_sys::HtmlDivElement) -> Vec<(usize, f64)> {
        let Ok(rows) = scroller.query_selector_all("tbody[data-index]") else {
            return Vec::new();
        };
        (0..rows.length())
            .filter_map(|i| rows.item(i)?.dyn_into::<web_sys::Element>().ok())
            .filter_map(|row| {
                let index = row.get_attribute("data-index")?.parse().ok()?;
                Some((index, row.get_bounding_client_rect().height()))
            })
            .collect()
    }
}

/// On the server nothing scrolls.
#[cfg(not(feature = "hydrate"))]
mod browser {
    use super::ViewPort;

    pub fn view_port<T>(_: &T) -> ViewPort {
        ViewPort::default()
    }

    pub fn drawn_heights<T>(_: &T) -> Vec<(usize, f64)> {
        Vec::new()
    }
}

/// The text of one cell; empty past a short row's end.
fn text_of(rows: &[CsvRow], index: usize, column: usize) -> String {
    rows.get(index)
        .and_then(|r| r.cells.get(column))
        .unwrap_or_default()
        .to_owned()
}

/// One row: text when clean, inputs when it has (or had) errors, and its
/// messages below it.
#[component]
fn PreviewRow(index: usize, checks: Checks) -> impl IntoView {
    let wizard = wizard();
    let line = wizard
        .rows
        .with_untracked(|r| r.get(index).map_or(0, |r| r.line));
    let check = Memo::new(move |_| checks.with(|c| c.get(index).cloned()));
    let has_errors =
        Memo::new(move |_| check.with(|c| c.as_ref().is_some_and(|c| !c.errors.is_empty())));
    // Once editable, a row stays so: its inputs must not vanish while typing.
    let editable =
        Memo::new(move |_| has_errors.get() || wizard.edited.with(|e| e.contains(&line)));
    let headers = wizard.headers.get_untracked();
    let width = headers.len() + 1;
    let headers = StoredValue::new(headers);
    let cell = move |column: usize| wizard.rows.with(|r| text_of(r, index, column));
    let bad = move |column: usize| {
        headers.with_value(|h| {
            check.with(|c| {
                c.as_ref()
                    .is_some_and(|c| c.errors.iter().any(|e| e.column == h[column]))
            })
        })
    };
    let column_of = move |name: &str| headers.with_value(|h| h.iter().position(|c| c == name));

    view! {
        <tbody data-index=index>
            <tr data-line=line class:has-errors=move || has_errors.get()>
                <th scope="row">{line}</th>
                {move || {
                    let editable = editable.get();
                    headers
                        .get_value()
                        .into_iter()
                        .enumerate()
                        .map(|(column, header)| {
                            if editable {
                                view! {
                                    <td class:bad=move || bad(column)>
                                        <input
                                            type="text"
                                            aria-label=format!("{header} on line {line}")
                                            prop:value=move || cell(column)
                                            on:input=move |ev| wizard.edit(index, column, event_target_value(&ev))
                                        />
                                    </td>
                                }
                                    .into_any()
                            } else {
                                // A row without errors that nobody edits stays as it is:
                                // plain text, no effect per cell (a screenful holds ~900).
                                view! { <td>{wizard.rows.with_untracked(|r| text_of(r, index, column))}</td> }.into_any()
                            }
                        })
                        .collect_view()
                }}
            </tr>
            {move || {
                check
                    .get()
                    .filter(|c| !c.errors.is_empty())
                    .map(|c| {
                        view! {
                            <tr class="row-errors" data-line=line>
                                <td colspan=width>
                                    <ul>
                                        {c
                                            .errors
                                            .into_iter()
                                            .map(|e| {
                                                let fix = e.suggestion.clone().zip(column_of(&e.column));
                                                view! {
                                                    <li>
                                                        {error_place(&e)}
                                                        {e.message}
                                                        {fix
                                                            .map(|(suggestion, column)| {
                                                                let label = format!("Use “{suggestion}”");
                                                                view! {
                                                                    " "
                                                                    <button
                                                                        type="button"
                                                                        class="link"
                                                                        on:click=move |_| wizard.edit(index, column, suggestion.clone())
                                                                    >
                                                                        {label}
                                                                    </button>
                                                                }
                                                            })}
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ul>
                                </td>
                            </tr>
                        }
                    })
            }}
        </tbody>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::csv_upload::CellError;

    fn clean(rows: usize) -> Vec<RowCheck> {
        (0..rows)
            .map(|i| RowCheck {
                line: i as u64 + 2,
                person: None,
                errors: Vec::new(),
            })
            .collect()
    }

    #[test]
    fn only_the_rows_in_view_and_the_margin_are_drawn() {
        let checks = clean(1_000);
        let shown: Vec<usize> = (0..1_000).collect();
        let layout = RowLayout::new(&shown, &checks, &DrawnHeights::default());
        assert_eq!(layout.height(), 36_000.0);
        let top = ViewPort {
            top: 0.0,
            height: 800.0,
        };
        // Rows starting above 800 + 800 px: 0..45.
        assert_eq!(layout.window(top, MARGIN_PX), (0, 45));
        // Without the margin (the first drawing), those above 800 px.
        assert_eq!(layout.window(top, 0.0), (0, 23));
        let bottom = ViewPort {
            top: 35_200.0,
            height: 800.0,
        };
        // Rows ending below 35,200 - 800 px: from 955 to the end.
        assert_eq!(layout.window(bottom, MARGIN_PX), (955, 1_000));
        assert_eq!(
            RowLayout::new(&[], &[], &DrawnHeights::default()).window(top, MARGIN_PX),
            (0, 0)
        );
    }

    #[test]
    fn measured_heights_replace_the_estimates() {
        let mut checks = clean(3);
        checks[1].errors.push(CellError {
            line: 3,
            column: "Email".into(),
            value: "x@".into(),
            message: "no domain".into(),
            suggestion: None,
        });
        let shown = [0, 1, 2];
        let estimated = RowLayout::new(&shown, &checks, &DrawnHeights::default());
        assert_eq!(estimated.top_of(2), 36.0 + 36.0 + 12.0 + 26.0);
        let mut drawn = DrawnHeights::default();
        drawn.record(vec![(1, 90.0)]);
        let unchanged = drawn.clone();
        drawn.record(vec![(1, 90.2)]);
        assert_eq!(drawn, unchanged, "sub-pixel changes are not news");
        let measured = RowLayout::new(&shown, &checks, &drawn);
        assert_eq!(measured.top_of(2), 126.0);
        assert_eq!(measured.height(), 162.0);
    }
}
