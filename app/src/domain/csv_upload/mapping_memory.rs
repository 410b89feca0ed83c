//! Mappings remembered from completed imports (docs/importing.md,
//! "Remembered mappings"): kept by header *name*, since the next month's
//! export may order its columns otherwise, and found again for a file
//! with the same headers — or nearly: other case and punctuation, another
//! order, one column added.

use super::column_fixes::ColumnFixes;
use super::mapping::{fold, Mapping, Target};
use super::value_maps::ValueMaps;
use crate::ProfileField;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// What an import's mapping says of each header, by name.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RememberedMapping {
    /// The headers as the file wrote them, in its order.
    pub headers: Vec<String>,
    /// Per header, what it filled (`None`: not imported).
    pub targets: Vec<Option<Target>>,
    #[serde(default)]
    pub values: ValueMaps,
    #[serde(default)]
    pub fixes: ColumnFixes,
}

/// How a file's headers stand to a remembered mapping's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Closeness {
    /// The same headers, perhaps in another order, case or punctuation.
    Same,
    /// Those headers and one more.
    OneAdded,
}

/// The headers as a set, each folded: the key a mapping is remembered by.
pub fn header_key(headers: &[String]) -> String {
    let set: BTreeSet<String> = headers.iter().map(|h| fold(h)).collect();
    set.into_iter().collect::<Vec<_>>().join("|")
}

impl RememberedMapping {
    /// What `mapping` does with `headers`, to remember.
    pub fn of(headers: &[String], mapping: &Mapping) -> RememberedMapping {
        RememberedMapping {
            headers: headers.to_vec(),
            targets: headers
                .iter()
                .enumerate()
                .map(|(i, _)| mapping.columns.get(i).cloned().flatten())
                .collect(),
            values: mapping.values.clone(),
            fixes: mapping.fixes.clone(),
        }
    }

    /// How a file with these headers stands to this mapping, if near enough.
    pub fn closeness(&self, headers: &[String]) -> Option<Closeness> {
        let mine: BTreeSet<String> = self.headers.iter().map(|h| fold(h)).collect();
        let theirs: BTreeSet<String> = headers.iter().map(|h| fold(h)).collect();
        if mine == theirs {
            Some(Closeness::Same)
        } else if mine.is_subset(&theirs) && theirs.len() == mine.len() + 1 {
            Some(Closeness::OneAdded)
        } else {
            None
        }
    }

    /// Folded header → what it filled, for the pre-matching of other files.
    pub fn hints(&self) -> impl Iterator<Item = (String, Target)> + '_ {
        self.headers
            .iter()
            .zip(&self.targets)
            .filter_map(|(h, t)| t.clone().map(|t| (fold(h), t)))
    }

    /// This mapping, laid over a file's `headers`: each header it knows
    /// gets what it filled (still a field of the instance, roles only when
    /// they come from a column); the rest are pre-matched as usual.
    pub fn apply(
        &self,
        headers: &[String],
        fields: &[ProfileField],
        roles_from_column: bool,
    ) -> Mapping {
        let known: HashMap<String, Option<Target>> = self
            .headers
            .iter()
            .zip(&self.targets)
            .map(|(h, t)| (fold(h), t.clone()))
            .collect();
        let usable = |t: &Target| t.is_usable(fields, roles_from_column);
        let mut mapping = Mapping::suggest(headers, fields, roles_from_column);
        let remembered: Vec<Option<Option<Target>>> = headers
            .iter()
            .map(|h| known.get(&fold(h)).map(|t| t.clone().filter(usable)))
            .collect();
        // What the remembered headers fill is theirs; a new column keeps its
        // guess unless a remembered one took that target.
        let taken: Vec<Target> = remembered.iter().flatten().flatten().cloned().collect();
        for (column, remembered) in mapping.columns.iter_mut().zip(remembered) {
            match remembered {
                Some(target) => *column = target,
                None if column.as_ref().is_some_and(|t| taken.contains(t)) => *column = None,
                None => {}
            }
        }
        mapping.values = self.values.clone();
        mapping.values.retain_fields(fields);
        // Fixes of fields the instance lost are left out.
        if self.fixes.validate(fields).is_ok() {
            mapping.fixes = self.fixes.clone();
        }
        mapping
    }
}

#[cfg(test)]
mod tests {
    use super::super::mapping::tests::{fields, headers};
    use super::*;

    /// A mapping made by hand: "Unit" is the department, "Role Name" the job title.
    fn remembered() -> RememberedMapping {
        let h = headers(&["Given", "Family", "Mail", "Unit", "Role Name", "Notes"]);
        let mut mapping = Mapping::new(vec![
            Some(Target::FirstName),
            Some(Target::LastName),
            Some(Target::Email),
            Some(Target::Field("department".into())),
            Some(Target::Field("job_title".into())),
            None,
        ]);
        mapping.values.set("department", "Eng", "Engineering");
        RememberedMapping::of(&h, &mapping)
    }

    #[test]
    fn the_same_headers_in_another_order_and_case_are_the_same() {
        let r = remembered();
        let next = headers(&["UNIT", "given", "Family", "Mail", "Notes", "Role-Name"]);
        assert_eq!(r.closeness(&next), Some(Closeness::Same));
        assert_eq!(header_key(&next), header_key(&r.headers));
        let mapping = r.apply(&next, &fields(), false);
        assert_eq!(
            mapping.columns,
            vec![
                Some(Target::Field("department".into())),
                Some(Target::FirstName),
                Some(Target::LastName),
                Some(Target::Email),
                None,
                Some(Target::Field("job_title".into())),
            ]
        );
        assert_eq!(mapping.values, r.values);
    }

    #[test]
    fn one_column_added_is_near_and_pre_matched_as_usual() {
        let r = remembered();
        let next = headers(&[
            "Given",
            "Family",
            "Mail",
            "Unit",
            "Role Name",
            "Notes",
            "Job Title",
        ]);
        assert_eq!(r.closeness(&next), Some(Closeness::OneAdded));
        let mapping = r.apply(&next, &fields(), false);
        // "Job Title" would pre-match, but the remembered "Role Name" holds it.
        assert_eq!(mapping.columns[4], Some(Target::Field("job_title".into())));
        assert_eq!(mapping.columns[6], None);
    }

    #[test]
    fn other_headers_are_not_near() {
        let r = remembered();
        assert_eq!(r.closeness(&headers(&["Given", "Family", "Mail"])), None);
        let two_more = headers(&[
            "Given",
            "Family",
            "Mail",
            "Unit",
            "Role Name",
            "Notes",
            "A",
            "B",
        ]);
        assert_eq!(r.closeness(&two_more), None);
        let renamed = headers(&["Given", "Family", "Mail", "Unit", "Role Name", "Remarks"]);
        assert_eq!(r.closeness(&renamed), None);
    }

    #[test]
    fn what_the_instance_no_longer_has_is_left_out() {
        let r = remembered();
        let only_department = &fields()[..1];
        let mapping = r.apply(&r.headers, only_department, false);
        assert_eq!(mapping.columns[4], None, "job_title is gone");
        let roles = RememberedMapping::of(
            &headers(&["Email", "Role"]),
            &Mapping::new(vec![Some(Target::Email), Some(Target::Roles)]),
        );
        assert_eq!(roles.apply(&roles.headers, &[], false).columns[1], None);
        assert_eq!(
            roles.apply(&roles.headers, &[], true).columns[1],
            Some(Target::Roles)
        );
    }
}
