//! Failed sign-ins (issue 18), counted in the database so that every server
//! of a shared PostgreSQL sees the same counts, and so that no process keeps
//! a map an attacker can fill.
//!
//! The rule: an email is refused from one client address after
//! [`MAX_PER_EMAIL`] failures within [`WINDOW`], and a client address after
//! [`MAX_PER_CLIENT`] failures with any emails. Someone guessing from
//! another address therefore never locks the real admin out; the refusal is
//! the same whether or not an admin has that email.
//!
//! An attempt is recorded *before* its password is checked, so that many
//! guesses sent at once all count: at most [`MAX_PER_EMAIL`] of them are
//! ever checked.

use crate::backend::entities::sign_in_failure;
use crate::backend::error::ServiceError;
use crate::backend::secrets::token_hash;
use crate::AppError;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect, Set,
};
use std::net::IpAddr;

/// Failures of one email from one client address within [`WINDOW`].
pub const MAX_PER_EMAIL: u64 = 5;
/// Failures from one client address, whatever the emails, within [`WINDOW`].
pub const MAX_PER_CLIENT: u64 = 30;
pub const WINDOW: Duration = Duration::minutes(15);

/// A sign-in attempt, recorded until it succeeds.
pub struct Attempt {
    id: i64,
    email_key: String,
    client: String,
}

/// The key a client is counted under: an IPv4 address, or an IPv6 client's
/// /64 (one household or host holds a whole /64).
pub fn client_key(address: Option<IpAddr>) -> String {
    match address {
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        None => "unknown".to_owned(),
    }
}

/// Records an attempt at `normalized_email` from `client`, or refuses it
/// (and keeps nothing of it) when either limit is reached.
pub async fn begin(
    db: &DatabaseConnection,
    normalized_email: &str,
    client: String,
    now: DateTime<Utc>,
) -> Result<Attempt, ServiceError> {
    let since = now - WINDOW;
    sign_in_failure::Entity::delete_many()
        .filter(sign_in_failure::Column::At.lt(since))
        .exec(db)
        .await?;
    let email_key = token_hash(normalized_email);
    let id = sign_in_failure::ActiveModel {
        email_key: Set(email_key.clone()),
        client: Set(client.clone()),
        at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?
    .id;
    let attempt = Attempt {
        id,
        email_key,
        client,
    };
    let recent = || {
        sign_in_failure::Entity::find()
            .filter(sign_in_failure::Column::At.gte(since))
            .filter(sign_in_failure::Column::Client.eq(attempt.client.as_str()))
    };
    let for_email =
        recent().filter(sign_in_failure::Column::EmailKey.eq(attempt.email_key.as_str()));
    let over = if for_email.clone().count(db).await? > MAX_PER_EMAIL {
        Some(for_email)
    } else if recent().count(db).await? > MAX_PER_CLIENT {
        Some(recent())
    } else {
        None
    };
    let Some(counted) = over else {
        return Ok(attempt);
    };
    // Refused attempts are not kept: the table holds at most the limits.
    sign_in_failure::Entity::delete_by_id(attempt.id)
        .exec(db)
        .await?;
    let oldest: Option<DateTime<Utc>> = counted
        .select_only()
        .column_as(sign_in_failure::Column::At.min(), "oldest")
        .into_tuple()
        .one(db)
        .await?
        .flatten();
    let wait = oldest.map_or(WINDOW, |first| WINDOW - (now - first));
    Err(AppError::TooManySignIns {
        minutes: u64::try_from(wait.num_seconds())
            .unwrap_or(0)
            .div_ceil(60)
            .max(1),
    }
    .into())
}

/// The attempt succeeded: this client's failures with this email are
/// forgotten.
pub async fn succeeded(db: &DatabaseConnection, attempt: Attempt) -> Result<(), ServiceError> {
    sign_in_failure::Entity::delete_many()
        .filter(sign_in_failure::Column::EmailKey.eq(attempt.email_key))
        .filter(sign_in_failure::Column::Client.eq(attempt.client))
        .exec(db)
        .await?;
    Ok(())
}

/// The attempt ended without a verdict on the password (the server was too
/// busy to check it, or failed): it does not count.
pub async fn withdrawn(db: &DatabaseConnection, attempt: Attempt) -> Result<(), ServiceError> {
    sign_in_failure::Entity::delete_by_id(attempt.id)
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clients_are_counted_by_address_and_ipv6_by_its_64() {
        let v4: IpAddr = "203.0.113.7".parse().unwrap();
        assert_eq!(client_key(Some(v4)), "203.0.113.7");
        let mapped: IpAddr = "::ffff:203.0.113.7".parse().unwrap();
        assert_eq!(client_key(Some(mapped)), "203.0.113.7");
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        assert_eq!(client_key(Some(a)), "2001:db8:1:2::/64");
        assert_eq!(client_key(Some(a)), client_key(Some(b)));
        assert_eq!(client_key(None), "unknown");
    }
}
