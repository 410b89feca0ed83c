//! The real server binary, started on a port of its own (for tests that
//! kill it, stop it, flood it or run several at once).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The server binary, serving on a port of its own.
pub struct Server {
    pub child: Child,
    pub base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Sends SIGTERM, as a deploy or `systemctl stop` does; when it was sent.
    pub fn terminate(&self) -> Instant {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        Instant::now()
    }

    /// Waits for the server to stop by itself, and checks it exited with 0.
    pub async fn exits_cleanly(mut self) {
        let status = tokio::task::spawn_blocking(move || self.child.wait())
            .await
            .unwrap();
        assert!(status.unwrap().success(), "the server stopped by itself");
    }
}

/// Emails go to `smtp` when given, else to files.
pub fn start_server(dir: &Path, database_url: &str, smtp: Option<&str>) -> Server {
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    match smtp {
        Some(url) => command.env("SMTP_URL", url),
        None => command.env_remove("SMTP_URL"),
    };
    let mut child = command
        .arg("serve")
        .env("DATABASE_URL", database_url)
        .env("ROSTER_DATA_DIR", dir)
        .env("ROSTER_INSTANCE", dir.join("instance.toml"))
        .env("LEPTOS_OUTPUT_NAME", "roster")
        .env("LEPTOS_SITE_ROOT", dir.join("site"))
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env_remove("ROSTER_PUBLIC_URL")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    // Reads on for as long as the server runs, so that it never blocks on
    // a full pipe.
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(base) = line.strip_prefix("Roster is running at ") {
                let _ = tx.send(base.trim().to_owned());
            }
        }
    });
    let base = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("the server printed its address");
    Server { child, base }
}
