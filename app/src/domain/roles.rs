//! Membership roles, and the set of them a member holds.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Mentor,
    Mentee,
    Teacher,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Mentor, Role::Mentee, Role::Teacher, Role::Admin];

    fn bit(self) -> u8 {
        match self {
            Role::Mentor => 1,
            Role::Mentee => 2,
            Role::Teacher => 4,
            Role::Admin => 8,
        }
    }

    /// The name admins see and write in a Role column.
    pub fn label(self) -> &'static str {
        match self {
            Role::Mentor => "Mentor",
            Role::Mentee => "Mentee",
            Role::Teacher => "Teacher",
            Role::Admin => "Admin",
        }
    }

    /// Reads a role name as admins write it: any case, surrounding spaces,
    /// and the common synonym "administrator".
    pub fn parse(name: &str) -> Option<Role> {
        match name.trim().to_lowercase().as_str() {
            "mentor" => Some(Role::Mentor),
            "mentee" => Some(Role::Mentee),
            "teacher" => Some(Role::Teacher),
            "admin" | "administrator" => Some(Role::Admin),
            _ => None,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A set of roles. Stored as a small bit set so that "add these roles" is a
/// single `roles | new` in SQL, and never removes one. From the wire only
/// the four roles' bits are accepted: an unknown bit would pass "at least
/// one role" and store a member with no role anyone can see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Roles(u8);

const ALL_BITS: u8 = 0b1111;

impl TryFrom<u8> for Roles {
    type Error = String;

    fn try_from(bits: u8) -> Result<Self, String> {
        if bits & !ALL_BITS == 0 {
            Ok(Roles(bits))
        } else {
            Err(format!("{bits} names a role that does not exist"))
        }
    }
}

impl From<Roles> for u8 {
    fn from(roles: Roles) -> u8 {
        roles.0
    }
}

impl Roles {
    pub const fn empty() -> Self {
        Roles(0)
    }

    /// From the stored bits; unknown bits are dropped.
    pub fn from_bits(bits: i32) -> Self {
        Roles((bits & i32::from(ALL_BITS)) as u8)
    }

    pub fn bits(self) -> i32 {
        i32::from(self.0)
    }

    pub fn with(self, role: Role) -> Self {
        Roles(self.0 | role.bit())
    }

    pub fn contains(self, role: Role) -> bool {
        self.0 & role.bit() != 0
    }

    pub fn union(self, other: Roles) -> Self {
        Roles(self.0 | other.0)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = Role> {
        Role::ALL.into_iter().filter(move |r| self.contains(*r))
    }

    pub fn len(self) -> usize {
        self.iter().count()
    }
}

impl FromIterator<Role> for Roles {
    fn from_iter<I: IntoIterator<Item = Role>>(iter: I) -> Self {
        iter.into_iter().fold(Roles::empty(), Roles::with)
    }
}

impl fmt::Display for Roles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.iter().map(Role::label).collect();
        f.write_str(&names.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_role_names_as_admins_write_them() {
        assert_eq!(Role::parse(" Mentor "), Some(Role::Mentor));
        assert_eq!(Role::parse("MENTEE"), Some(Role::Mentee));
        assert_eq!(Role::parse("administrator"), Some(Role::Admin));
        assert_eq!(Role::parse("coach"), None);
    }

    #[test]
    fn adding_roles_never_removes_one() {
        let held: Roles = [Role::Mentor].into_iter().collect();
        let added = held.union([Role::Mentee].into_iter().collect());
        assert!(added.contains(Role::Mentor) && added.contains(Role::Mentee));
        assert_eq!(added.to_string(), "Mentor, Mentee");
    }

    #[test]
    fn only_the_four_roles_come_from_the_wire() {
        let all: Roles = Role::ALL.into_iter().collect();
        assert_eq!(serde_json::to_string(&all).unwrap(), "15");
        assert_eq!(serde_json::from_str::<Roles>("15").unwrap(), all);
        assert_eq!(serde_json::from_str::<Roles>("0").unwrap(), Roles::empty());
        for unknown in ["16", "17", "128", "255"] {
            assert!(serde_json::from_str::<Roles>(unknown).is_err(), "{unknown}");
        }
    }

    proptest! {
        #[test]
        fn bits_round_trip(bits in 0i32..16) {
            prop_assert_eq!(Roles::from_bits(bits).bits(), bits);
        }

        #[test]
        fn union_is_a_superset(a in 0i32..16, b in 0i32..16) {
            let (a, b) = (Roles::from_bits(a), Roles::from_bits(b));
            let u = a.union(b);
            for r in Role::ALL {
                prop_assert_eq!(u.contains(r), a.contains(r) || b.contains(r));
            }
        }
    }
}
