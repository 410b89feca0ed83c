//! The import's update rule (docs/importing.md, "Update rules"): whom it
//! adds, and what it writes over for people already on the platform.

use super::super::wizard;
use crate::domain::{AddRule, UpdateRule, WriteRule};
use leptos::prelude::*;

/// One radio button of the rule: `part` reads its half of the rule, `set`
/// writes it.
fn rule_option<T: Copy + PartialEq + Send + Sync + 'static>(
    group: &'static str,
    (value, key, label): (T, &'static str, &'static str),
    hint: &'static str,
    part: fn(&UpdateRule) -> T,
    set: fn(&mut UpdateRule, T),
) -> impl IntoView {
    let rule = wizard().rule;
    view! {
        <label class="check">
            <input
                type="radio"
                name=group
                value=key
                prop:checked=move || rule.with(part) == value
                on:change=move |_| rule.update(|r| set(r, value))
            />
            <span>{label} <small class="hint">{hint}</small></span>
        </label>
    }
}

fn add_option(add: AddRule, hint: &'static str) -> impl IntoView {
    let set = |r: &mut UpdateRule, add| r.add = add;
    rule_option(
        "add-rule",
        (add, add.key(), add.label()),
        hint,
        |r| r.add,
        set,
    )
}

fn write_option(write: WriteRule, hint: &'static str) -> impl IntoView {
    let set = |r: &mut UpdateRule, write| r.write = write;
    rule_option(
        "write-rule",
        (write, write.key(), write.label()),
        hint,
        |r| r.write,
        set,
    )
}

#[component]
pub(super) fn UpdateRuleChoice() -> impl IntoView {
    let rule = wizard().rule;
    let updates = Memo::new(move |_| rule.with(|r| r.add) != AddRule::OnlyNew);
    view! {
        <div class="update-rule" id="update-rule">
            <fieldset>
                <legend>"Who is imported"</legend>
                {add_option(AddRule::AddAndUpdate, "")}
                {add_option(AddRule::OnlyNew, "people already on the platform are skipped and listed")}
                {add_option(AddRule::OnlyExisting, "emails new to the platform are skipped and listed")}
            </fieldset>
            // Under "only new" nobody existing is written: nothing to ask.
            {move || {
                updates
                    .get()
                    .then(|| {
                        view! {
                            <fieldset>
                                <legend>"People already on the platform"</legend>
                                {write_option(WriteRule::Overwrite, "the file's names and answers replace theirs")}
                                {write_option(WriteRule::FillEmpty, "their names and answers stay; blank fields are filled")}
                            </fieldset>
                        }
                    })
            }}
        </div>
    }
}
