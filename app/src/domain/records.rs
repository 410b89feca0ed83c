//! The states Roster's records move through: what kind of import made
//! people, where it stands, and where each system email is on its way out.
//! Each has one stored name (its `key`); a name the database holds that is
//! none of these is an error where it is read, never a silent default.

use serde::{Deserialize, Serialize};

/// A state kept in the database by a name of its own, which never changes
/// once stored (renaming a variant must not rename the stored name).
pub trait StoredName: Copy + 'static {
    fn key(self) -> &'static str;
    fn from_key(key: &str) -> Option<Self>;
}

/// Gives an enum of unit variants its stored names: `key`, `from_key` and
/// `ALL`, in the order written.
macro_rules! stored_names {
    ($name:ident { $($variant:ident => $key:literal),+ $(,)? }) => {
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name stored in the database.
            pub fn key(self) -> &'static str {
                match self {
                    $($name::$variant => $key),+
                }
            }

            pub fn from_key(key: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.key() == key)
            }
        }

        impl StoredName for $name {
            fn key(self) -> &'static str {
                $name::key(self)
            }

            fn from_key(key: &str) -> Option<Self> {
                $name::from_key(key)
            }
        }
    };
}

/// For states whose names were written by hand before this trait.
macro_rules! stored_by {
    ($name:ty) => {
        impl StoredName for $name {
            fn key(self) -> &'static str {
                <$name>::key(self)
            }

            fn from_key(key: &str) -> Option<Self> {
                <$name>::from_key(key)
            }
        }
    };
}

stored_by!(crate::csv_upload::RowOutcome);
stored_by!(crate::SystemEmail);

impl StoredName for crate::FieldKind {
    fn key(self) -> &'static str {
        self.as_str()
    }

    fn from_key(key: &str) -> Option<Self> {
        crate::FieldKind::parse(key)
    }
}

/// How the people of an import came.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    /// A CSV file imported into a track.
    CsvTrack,
    /// A CSV file imported as dormant users (no track).
    CsvDormant,
    /// One person added by hand.
    Manual,
    /// People added to a track from the global pool.
    Pool,
    /// A change an identity provider sent over SCIM (docs/scim.md).
    Scim,
}

stored_names!(ImportKind {
    CsvTrack => "csv_track",
    CsvDormant => "csv_dormant",
    Manual => "manual",
    Pool => "pool",
    Scim => "scim",
});

impl ImportKind {
    /// How the history names it.
    pub fn label(self) -> &'static str {
        match self {
            ImportKind::CsvTrack => "CSV file",
            ImportKind::CsvDormant => "Dormant CSV file",
            ImportKind::Manual => "Added manually",
            ImportKind::Pool => "From the global pool",
            ImportKind::Scim => "SCIM provisioning",
        }
    }

    pub fn is_file(self) -> bool {
        matches!(self, ImportKind::CsvTrack | ImportKind::CsvDormant)
    }

    /// Whether the history names what it came from: a file, or what a
    /// SCIM change did ("Left every track").
    pub fn names_its_source(self) -> bool {
        self.is_file() || self == ImportKind::Scim
    }
}

/// Whom an import writes (docs/importing.md, "Update rules"). A person
/// "exists" when their email is already a user of the platform, in the
/// pool or in any track.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum AddRule {
    /// New people are created, existing ones updated (and, at a track,
    /// added to it).
    #[default]
    AddAndUpdate,
    /// Existing people are skipped and listed.
    OnlyNew,
    /// New emails are skipped and listed.
    OnlyExisting,
}

stored_names!(AddRule {
    AddAndUpdate => "add_and_update",
    OnlyNew => "only_new",
    OnlyExisting => "only_existing",
});

impl AddRule {
    /// The outcome of a row this rule leaves out: someone who `existed`
    /// under "only new", someone new under "only existing".
    pub fn skips(self, existed: bool) -> Option<crate::csv_upload::RowOutcome> {
        use crate::csv_upload::RowOutcome;
        match (self, existed) {
            (AddRule::OnlyNew, true) => Some(RowOutcome::SkippedExisting),
            (AddRule::OnlyExisting, false) => Some(RowOutcome::SkippedNew),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AddRule::AddAndUpdate => "Add new people and update existing ones",
            AddRule::OnlyNew => "Only add new people",
            AddRule::OnlyExisting => "Only update existing people",
        }
    }
}

/// What an import writes over in the profile of a person who exists.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum WriteRule {
    /// The file's names and answers replace what is on file.
    #[default]
    Overwrite,
    /// Only fields with no answer (or a blank one) are written; names,
    /// which every person has, stay as they are.
    FillEmpty,
    /// As `Overwrite`, and a mapped field left empty is cleared: the
    /// profile becomes what the row says (SCIM's PUT, `write=replace`).
    Replace,
}

stored_names!(WriteRule {
    Overwrite => "overwrite",
    FillEmpty => "fill_empty",
    Replace => "replace",
});

impl WriteRule {
    pub fn label(self) -> &'static str {
        match self {
            WriteRule::Overwrite => "Overwrite with the file",
            WriteRule::FillEmpty => "Only fill empty fields",
            WriteRule::Replace => "Replace, clearing empty fields",
        }
    }

    /// Whether a file's value is written over `before`, what an existing
    /// person has in that field (`None`: nothing).
    pub fn writes_over(self, before: Option<&str>) -> bool {
        match self {
            WriteRule::Overwrite | WriteRule::Replace => true,
            WriteRule::FillEmpty => before.is_none_or(|v| v.trim().is_empty()),
        }
    }

    /// Whether an existing person's names are written.
    pub fn writes_names(self) -> bool {
        self != WriteRule::FillEmpty
    }
}

/// An import's update rule, chosen on the preview and fixed when it starts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct UpdateRule {
    pub add: AddRule,
    pub write: WriteRule,
}

impl UpdateRule {
    /// How the history names it.
    pub fn label(self) -> String {
        match self.add {
            AddRule::OnlyNew => self.add.label().to_owned(),
            _ => format!(
                "{}; {}",
                self.add.label(),
                self.write.label().to_lowercase()
            ),
        }
    }
}

/// Where an import stands. Batches are accepted only `InProgress`; undo
/// only once, from `Completed` or `InProgress`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportStatus {
    InProgress,
    Completed,
    Undone,
}

stored_names!(ImportStatus {
    InProgress => "in_progress",
    Completed => "completed",
    Undone => "undone",
});

impl ImportStatus {
    pub fn label(self) -> &'static str {
        match self {
            ImportStatus::InProgress => "In progress",
            ImportStatus::Completed => "Completed",
            ImportStatus::Undone => "Undone",
        }
    }
}

/// Where a system email is: waiting its hold time, being sent by a worker,
/// delivered, given up on, or called off (undo, a template switched off, a
/// person who left the track).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxStatus {
    Queued,
    Sending,
    Sent,
    Failed,
    Cancelled,
}

stored_names!(OutboxStatus {
    Queued => "queued",
    Sending => "sending",
    Sent => "sent",
    Failed => "failed",
    Cancelled => "cancelled",
});

impl OutboxStatus {
    pub fn label(self) -> &'static str {
        match self {
            OutboxStatus::Queued => "Queued",
            OutboxStatus::Sending => "Sending",
            OutboxStatus::Sent => "Sent",
            OutboxStatus::Failed => "Failed",
            OutboxStatus::Cancelled => "Cancelled",
        }
    }

    /// Sent, or perhaps sent: a worker may be talking to the SMTP server.
    pub fn left_roster(self) -> bool {
        matches!(self, OutboxStatus::Sent | OutboxStatus::Sending)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stored_name_reads_back_as_its_state_and_no_other_name_does() {
        for &kind in ImportKind::ALL {
            assert_eq!(ImportKind::from_key(kind.key()), Some(kind));
        }
        for &status in ImportStatus::ALL {
            assert_eq!(ImportStatus::from_key(status.key()), Some(status));
        }
        for &status in OutboxStatus::ALL {
            assert_eq!(OutboxStatus::from_key(status.key()), Some(status));
        }
        for &rule in AddRule::ALL {
            assert_eq!(AddRule::from_key(rule.key()), Some(rule));
        }
        for &rule in WriteRule::ALL {
            assert_eq!(WriteRule::from_key(rule.key()), Some(rule));
        }
        assert_eq!(ImportStatus::from_key("Completed"), None);
        assert_eq!(OutboxStatus::from_key("delivered"), None);
        assert_eq!(ImportKind::from_key(""), None);
    }

    #[test]
    fn the_json_names_are_the_stored_names() {
        for &status in OutboxStatus::ALL {
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.key()));
        }
        for &kind in ImportKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.key()));
        }
        for &rule in AddRule::ALL {
            let json = serde_json::to_string(&rule).unwrap();
            assert_eq!(json, format!("\"{}\"", rule.key()));
        }
    }

    #[test]
    fn fill_empty_writes_only_where_nothing_is_on_file() {
        assert!(WriteRule::FillEmpty.writes_over(None));
        assert!(WriteRule::FillEmpty.writes_over(Some("  ")));
        assert!(!WriteRule::FillEmpty.writes_over(Some("Sales")));
        assert!(!WriteRule::FillEmpty.writes_names());
        for before in [None, Some(""), Some("Sales")] {
            assert!(WriteRule::Overwrite.writes_over(before));
        }
        assert!(WriteRule::Overwrite.writes_names());
    }

    #[test]
    fn the_default_rule_is_what_imports_did_before_rules() {
        let rule = UpdateRule::default();
        assert_eq!(
            (rule.add, rule.write),
            (AddRule::AddAndUpdate, WriteRule::Overwrite)
        );
    }
}
