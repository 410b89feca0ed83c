#![allow(clippy::expect_used)]
//! `cargo bench -p server --bench login`: how long a failed sign-in takes
//! for an email no admin has and for an admin's email with a wrong
//! password (docs/access-and-security.md, issue 9: the same answer in the same time, so that
//! timing does not tell which emails have accounts). Prints both medians
//! and their ratio; a ratio near 1.0 is the target.

mod common;

use std::net::IpAddr;
use std::time::{Duration, Instant};

const TRIES: usize = 21;

/// Each try from its own client address, so that the failed-sign-in limits
/// (which hold per address) never cut a try short.
fn client(n: usize) -> Option<IpAddr> {
    Some(IpAddr::from([10, 0, (n >> 8) as u8, n as u8]))
}

async fn median_failure(
    db: &sea_orm::DatabaseConnection,
    email: &str,
    clients: &mut usize,
) -> Duration {
    let mut times = Vec::with_capacity(TRIES);
    for _ in 0..TRIES {
        *clients += 1;
        let start = Instant::now();
        let refused =
            app::backend::accounts::login(db, email, "not the password", client(*clients)).await;
        times.push(start.elapsed());
        assert!(
            matches!(refused, Err(ref e) if format!("{e}").contains("do not match")),
            "a wrong password is refused as such: {refused:?}"
        );
    }
    times.sort();
    times[TRIES / 2]
}

#[tokio::main]
async fn main() {
    let url = common::fresh_database("sqlite", 0)
        .await
        .expect("a SQLite database");
    let (db, _admin) = common::demo_instance_with_admin(&url).await;
    // The first unknown email builds the dummy hash: not timed.
    let _ = app::backend::accounts::login(&db, "warm-up@example.com", "x", client(0)).await;
    let mut clients = 0;
    let mut unknown = Vec::new();
    let mut known = Vec::new();
    // Alternated, so that the machine's drift touches both alike.
    for _ in 0..3 {
        unknown.push(median_failure(&db, "nobody@example.com", &mut clients).await);
        known.push(median_failure(&db, "bench@example.com", &mut clients).await);
    }
    unknown.sort();
    known.sort();
    let (u, k) = (unknown[1], known[1]);
    println!(
        "failed sign-in, median of {TRIES} x 3: unknown email {:.1} ms, wrong password {:.1} ms; ratio {:.2}",
        u.as_secs_f64() * 1e3,
        k.as_secs_f64() * 1e3,
        u.as_secs_f64() / k.as_secs_f64()
    );
    db.close().await.ok();
}
