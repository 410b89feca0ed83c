//! Which system email a person added to a track receives (docs/system-emails.md).

use super::{Role, Roles};
use serde::{Deserialize, Serialize};

/// The four templates each track has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SystemEmail {
    NewMentor,
    NewMentee,
    /// A new teacher, or a user with several roles.
    NewTeacherOrSeveralRoles,
    NewAdministrator,
}

impl SystemEmail {
    pub const ALL: [SystemEmail; 4] = [
        SystemEmail::NewMentor,
        SystemEmail::NewMentee,
        SystemEmail::NewTeacherOrSeveralRoles,
        SystemEmail::NewAdministrator,
    ];

    /// admin → administrator; exactly mentor → mentor; exactly mentee →
    /// mentee; anything else (teacher, several roles) → teacher/several.
    /// `None` for no roles at all: nobody is emailed without a role.
    pub fn for_roles(roles: Roles) -> Option<SystemEmail> {
        if roles.is_empty() {
            None
        } else if roles.contains(Role::Admin) {
            Some(SystemEmail::NewAdministrator)
        } else if roles == Roles::empty().with(Role::Mentor) {
            Some(SystemEmail::NewMentor)
        } else if roles == Roles::empty().with(Role::Mentee) {
            Some(SystemEmail::NewMentee)
        } else {
            Some(SystemEmail::NewTeacherOrSeveralRoles)
        }
    }

    /// The name stored in the database.
    pub fn key(self) -> &'static str {
        match self {
            SystemEmail::NewMentor => "mentor",
            SystemEmail::NewMentee => "mentee",
            SystemEmail::NewTeacherOrSeveralRoles => "teacher",
            SystemEmail::NewAdministrator => "admin",
        }
    }

    pub fn from_key(key: &str) -> Option<SystemEmail> {
        Self::ALL.into_iter().find(|e| e.key() == key)
    }

    /// The name admins know it by.
    pub fn title(self) -> &'static str {
        match self {
            SystemEmail::NewMentor => "Notification to new mentor added by administrator",
            SystemEmail::NewMentee => "Notification to new mentee added by administrator",
            SystemEmail::NewTeacherOrSeveralRoles => {
                "Notification to new teacher or a user with multiple roles added"
            }
            SystemEmail::NewAdministrator => {
                "Notification to new administrator added to the program"
            }
        }
    }

    /// The text sent until an admin edits it (placeholders: see
    /// [`super::email_text::PLACEHOLDERS`]).
    pub fn default_text(self) -> (&'static str, &'static str) {
        match self {
            SystemEmail::NewMentor => (
                "You are a mentor in {track_name}",
                "Hello {first_name},\n\nYou have been added to {track_name} as a mentor. Sign in at {sign_in_link} to complete your profile and meet your mentees.\n",
            ),
            SystemEmail::NewMentee => (
                "Welcome to {track_name}",
                "Hello {first_name},\n\nYou have been added to {track_name} as a mentee. Sign in at {sign_in_link} to complete your profile and find a mentor.\n",
            ),
            SystemEmail::NewTeacherOrSeveralRoles => (
                "You have been added to {track_name}",
                "Hello {first_name},\n\nYou have been added to {track_name} as {roles}. Sign in at {sign_in_link} to complete your profile.\n",
            ),
            SystemEmail::NewAdministrator => (
                "You are an administrator of {track_name}",
                "Hello {first_name},\n\nYou have been made an administrator of {track_name}. Sign in at {sign_in_link} to manage the program.\n",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(list: &[Role]) -> Roles {
        list.iter().copied().collect()
    }

    #[test]
    fn admin_wins_over_every_other_role() {
        assert_eq!(
            SystemEmail::for_roles(roles(&[Role::Admin])),
            Some(SystemEmail::NewAdministrator)
        );
        assert_eq!(
            SystemEmail::for_roles(roles(&[Role::Mentor, Role::Admin])),
            Some(SystemEmail::NewAdministrator)
        );
    }

    #[test]
    fn exactly_mentor_or_exactly_mentee_get_their_own_email() {
        assert_eq!(
            SystemEmail::for_roles(roles(&[Role::Mentor])),
            Some(SystemEmail::NewMentor)
        );
        assert_eq!(
            SystemEmail::for_roles(roles(&[Role::Mentee])),
            Some(SystemEmail::NewMentee)
        );
    }

    #[test]
    fn teachers_and_several_roles_get_the_shared_email() {
        let shared = Some(SystemEmail::NewTeacherOrSeveralRoles);
        assert_eq!(SystemEmail::for_roles(roles(&[Role::Teacher])), shared);
        assert_eq!(
            SystemEmail::for_roles(roles(&[Role::Mentor, Role::Mentee])),
            shared
        );
        assert_eq!(
            SystemEmail::for_roles(roles(&[Role::Mentee, Role::Teacher])),
            shared
        );
    }

    #[test]
    fn no_roles_means_no_email() {
        assert_eq!(SystemEmail::for_roles(Roles::empty()), None);
    }

    #[test]
    fn keys_round_trip() {
        for email in SystemEmail::ALL {
            assert_eq!(SystemEmail::from_key(email.key()), Some(email));
        }
        assert_eq!(SystemEmail::from_key("mentors"), None);
    }
}

#[cfg(test)]
mod default_text_tests {
    use super::SystemEmail;
    use crate::email_text::check;

    #[test]
    fn every_default_text_uses_known_placeholders_only() {
        for email in SystemEmail::ALL {
            let (subject, body) = email.default_text();
            assert_eq!(check(subject), Ok(()), "{email:?}");
            assert_eq!(check(body), Ok(()), "{email:?}");
            assert!(body.contains("{sign_in_link}"), "{email:?}");
        }
    }
    /// What each person gets by default, as text and as HTML, filled for a
    /// person whose name needs escaping: a change to any wording shows up
    /// here for review (`cargo insta review`, or `INSTA_UPDATE=always`).
    #[test]
    fn the_default_emails_as_a_person_receives_them() {
        use crate::email_text::{fill, html_body, Recipient};
        use crate::{Role, Roles};
        for email in SystemEmail::ALL {
            let roles: Roles = match email {
                SystemEmail::NewMentor => [Role::Mentor].into_iter().collect(),
                SystemEmail::NewMentee => [Role::Mentee].into_iter().collect(),
                SystemEmail::NewAdministrator => [Role::Admin, Role::Mentor].into_iter().collect(),
                SystemEmail::NewTeacherOrSeveralRoles => {
                    [Role::Mentor, Role::Mentee].into_iter().collect()
                }
            };
            let to = Recipient {
                first_name: "Zoë",
                last_name: "O'Neil <Ops>",
                track_name: "Engineering & Design",
                roles,
                sign_in_link: "https://platform.example.org/sign-in?from=roster&track=1",
            };
            let (subject, body) = email.default_text();
            let body = fill(body, &to);
            insta::assert_snapshot!(
                email.key(),
                format!(
                    "Subject: {}\n\n{body}\n---- HTML part ----\n{}",
                    fill(subject, &to),
                    html_body(&body)
                )
            );
        }
    }
}
