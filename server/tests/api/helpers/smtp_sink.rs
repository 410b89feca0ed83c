//! A small SMTP server on loopback for tests: it speaks real SMTP (lettre
//! connects to it like to any server) and keeps what it received. It can
//! refuse the first transactions with a transient 451, like a busy server.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

#[derive(Debug, Clone)]
pub struct Received {
    pub to: Vec<String>,
    /// The message as sent (headers and body).
    pub data: String,
}

impl Received {
    /// The message with quoted-printable soft line breaks joined, so long
    /// lines read whole.
    pub fn text(&self) -> String {
        self.data.replace("=\r\n", "").replace("=3D", "=")
    }

    /// A header's value (unfolded, undecoded).
    pub fn header(&self, name: &str) -> Option<String> {
        let prefix = format!("{}:", name.to_lowercase());
        let mut lines = self.data.split("\r\n").peekable();
        while let Some(line) = lines.next() {
            if line.is_empty() {
                break;
            }
            if line.to_lowercase().starts_with(&prefix) {
                let mut value = line[prefix.len()..].trim().to_owned();
                while lines.peek().is_some_and(|l| l.starts_with([' ', '\t'])) {
                    value.push(' ');
                    value.push_str(lines.next().unwrap_or_default().trim());
                }
                return Some(value);
            }
        }
        None
    }
}

pub struct SmtpSink {
    pub url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl SmtpSink {
    /// Listens on a free port; refuses the first `refuse` transactions.
    pub async fn start(refuse: usize) -> SmtpSink {
        Self::start_with(refuse, None).await
    }

    /// Also answers 550 (mailbox unavailable, permanent) for `reject`.
    pub async fn start_with(refuse: usize, reject: Option<&str>) -> SmtpSink {
        Self::start_full(refuse, reject, Duration::ZERO).await
    }

    /// Takes `delay` to accept each message, like a distant server.
    pub async fn start_slow(delay: Duration) -> SmtpSink {
        Self::start_full(0, None, delay).await
    }

    /// Refuses the first `refuse` transactions with a transient 451, each
    /// after `delay`: an email is `sending` for that long, then put back.
    pub async fn start_slow_refusing(refuse: usize, delay: Duration) -> SmtpSink {
        Self::start_full(refuse, None, delay).await
    }

    async fn start_full(refuse: usize, reject: Option<&str>, delay: Duration) -> SmtpSink {
        let reject: Arc<Option<String>> = Arc::new(reject.map(str::to_owned));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let refusals = Arc::new(AtomicUsize::new(refuse));
        let store = received.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(
                    stream,
                    store.clone(),
                    refusals.clone(),
                    reject.clone(),
                    delay,
                ));
            }
        });
        SmtpSink {
            // No STARTTLS offered, so lettre's opportunistic TLS stays plain.
            url: format!("smtp://127.0.0.1:{port}?tls=opportunistic"),
            received,
        }
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Waits until at least `n` messages arrived (or 10 s passed).
    pub async fn wait_for(&self, n: usize) -> Vec<Received> {
        for _ in 0..200 {
            if self.received.lock().unwrap().len() >= n {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.received()
    }
}

async fn session(
    stream: TcpStream,
    store: Arc<Mutex<Vec<Received>>>,
    refusals: Arc<AtomicUsize>,
    reject: Arc<Option<String>>,
    delay: Duration,
) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    if write.write_all(b"220 sink ESMTP ready\r\n").await.is_err() {
        return;
    }
    let mut to = Vec::new();
    while let Ok(Some(line)) = lines.next_line().await {
        let command = line.to_uppercase();
        let answer: &[u8] = if command.starts_with("EHLO") || command.starts_with("HELO") {
            b"250-sink\r\n250 8BITMIME\r\n"
        } else if command.starts_with("MAIL FROM") {
            to.clear();
            let refused = refusals
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok();
            if refused {
                tokio::time::sleep(delay).await;
                b"451 4.3.0 Busy, try again later\r\n"
            } else {
                b"250 2.1.0 OK\r\n"
            }
        } else if command.starts_with("RCPT TO") {
            let address = line
                .split_once(':')
                .map(|(_, a)| a.trim().trim_matches(['<', '>']).to_owned())
                .unwrap_or_default();
            if reject.as_deref() == Some(address.as_str()) {
                b"550 5.1.1 No such mailbox\r\n"
            } else {
                to.push(address);
                b"250 2.1.5 OK\r\n"
            }
        } else if command == "DATA" {
            if write
                .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                .await
                .is_err()
            {
                return;
            }
            let mut data = String::new();
            while let Ok(Some(line)) = lines.next_line().await {
                if line == "." {
                    break;
                }
                data.push_str(
                    line.strip_prefix('.')
                        .filter(|_| line.starts_with(".."))
                        .unwrap_or(&line),
                );
                data.push_str("\r\n");
            }
            tokio::time::sleep(delay).await;
            store.lock().unwrap().push(Received {
                to: std::mem::take(&mut to),
                data,
            });
            b"250 2.0.0 Queued\r\n"
        } else if command == "QUIT" {
            let _ = write.write_all(b"221 2.0.0 Bye\r\n").await;
            return;
        } else {
            // RSET, NOOP and anything else.
            b"250 2.0.0 OK\r\n"
        };
        if write.write_all(answer).await.is_err() {
            return;
        }
    }
}
