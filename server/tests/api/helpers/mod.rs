//! Starts the real app on a random port with a fresh database, SQLite or
//! PostgreSQL (zero-to-production's `spawn_app`).
#![allow(dead_code)]

pub mod server_binary;
pub mod smtp_sink;

use app::api::auth::{CompleteSetup, Login};
use app::api::emails::{EmailTemplate, SaveEmailTemplate};
use app::api::imports::{ApplyBatch, FinishImport, LoadImportContext, StartImport};
use app::backend::entities::{membership, profile_answer, profile_field, track, user};
use app::domain::csv_upload::{read_table, CsvRow, CsvTable, Delimiter, Mapping, RoleChoice};
use app::domain::{Role, Roles, UpdateRule};
use app::{ImportCounts, ImportPlan, RowOutcome, RowResult};
use leptos::config::LeptosOptions;
use leptos::server_fn::codec::{Json, PostUrl};
use leptos::server_fn::{Http, ServerFn};
use sea_orm::{
    ColumnTrait, ConnectionTrait, Database, DatabaseConnection, EntityTrait, QueryFilter, Statement,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use server::config::Config;
use server::startup::Application;
use std::path::PathBuf;
use tokio::sync::OnceCell;

#[derive(Debug, Clone, Copy)]
pub enum Db {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub db: DatabaseConnection,
    pub setup_link: Option<String>,
    pub database_url: String,
    _dir: tempfile::TempDir,
}

/// The PostgreSQL server for tests. Unset: PostgreSQL tests are skipped,
/// unless ROSTER_REQUIRE_POSTGRES is set (CI), which makes that a failure.
fn postgres_url() -> Option<String> {
    match std::env::var("ROSTER_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("ROSTER_REQUIRE_POSTGRES").is_err(),
                "ROSTER_REQUIRE_POSTGRES is set but ROSTER_TEST_POSTGRES_URL is not"
            );
            None
        }
    }
}

fn with_database(url: &str, name: &str) -> String {
    let (head, tail) = url.split_at(url.rfind('/').expect("postgres URL has a /database part"));
    let query = tail.find('?').map(|i| &tail[i..]).unwrap_or("");
    format!("{head}/{name}{query}")
}

/// Databases left by earlier runs that stopped half-way are dropped once per test binary.
static PG_CLEANED: OnceCell<()> = OnceCell::const_new();

async fn fresh_postgres_database(admin_url: &str) -> String {
    let admin = Database::connect(admin_url)
        .await
        .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at {admin_url}: {e}"));
    let backend = admin.get_database_backend();
    let binary = std::env::current_exe()
        .ok()
        .and_then(|p| {
            p.file_stem().map(|s| {
                s.to_string_lossy()
                    .split('-')
                    .next()
                    .unwrap_or("t")
                    .to_owned()
            })
        })
        .unwrap_or_else(|| "t".into());
    let prefix = format!("roster_t_{binary}_");
    PG_CLEANED
        .get_or_init(|| async {
            let rows = admin
                .query_all_raw(Statement::from_string(
                    backend,
                    format!("SELECT datname FROM pg_database WHERE datname LIKE '{prefix}%'"),
                ))
                .await
                .unwrap();
            for row in rows {
                let name: String = row.try_get("", "datname").unwrap();
                let _ = admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .await;
            }
        })
        .await;
    let name = format!("{prefix}{}", rand::random::<u32>());
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .unwrap();
    admin.close().await.ok();
    with_database(admin_url, &name)
}

pub fn demo_instance() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../instance/demo.toml")
}

/// The demo instance's text with the global pool closed to track admins.
pub fn demo_instance_with_the_pool_closed() -> String {
    std::fs::read_to_string(demo_instance()).unwrap().replace(
        "track_admins_use_global_pool = true",
        "track_admins_use_global_pool = false",
    )
}

pub fn leptos_options() -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("roster")
        .site_root("target/site")
        .site_pkg_dir("pkg")
        .site_addr(std::net::SocketAddr::from(([127, 0, 0, 1], 0)))
        .build()
}

/// The Leptos options of a test app whose site (the files a browser loads
/// beside the pages) is a folder in `dir` holding a favicon and a
/// stylesheet, so that file requests are served as in production.
pub fn leptos_options_with_site(dir: &std::path::Path) -> LeptosOptions {
    let site = dir.join("site");
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::write(
        site.join("favicon.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    std::fs::write(site.join("pkg/roster.css"), "body { margin: 0 }").unwrap();
    LeptosOptions::builder()
        .output_name("roster")
        .site_root(site.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(std::net::SocketAddr::from(([127, 0, 0, 1], 0)))
        .build()
}

/// The config a test app runs with; `None` for PostgreSQL when it is not configured.
pub async fn test_config(kind: Db, dir: &tempfile::TempDir) -> Option<Config> {
    let database_url = match kind {
        Db::Sqlite => format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("roster.db").display()
        ),
        Db::Postgres => fresh_postgres_database(&postgres_url()?).await,
    };
    Some(Config {
        database_url,
        data_dir: dir.path().to_owned(),
        instance_file: demo_instance(),
        public_url: None,
        mail: server::config::MailConfig {
            poll: std::time::Duration::from_millis(50),
            retry_after: std::time::Duration::ZERO,
            ..Default::default()
        },
    })
}

/// Starts the app; `None` (and a note) when PostgreSQL is asked for but not configured.
pub async fn spawn_app(kind: Db) -> Option<TestApp> {
    spawn_app_with_instance(kind, None).await
}

/// Starts the app with the demo instance, or with this instance file's text.
pub async fn spawn_app_with_instance(kind: Db, instance: Option<&str>) -> Option<TestApp> {
    spawn_app_with(kind, instance, None).await
}

/// Starts the app with this instance file's text (or the demo one), and
/// system emails sent to this SMTP server (or written as files).
pub async fn spawn_app_with(
    kind: Db,
    instance: Option<&str>,
    smtp_url: Option<String>,
) -> Option<TestApp> {
    let dir = tempfile::tempdir().unwrap();
    let Some(mut config) = test_config(kind, &dir).await else {
        eprintln!("skipped: set ROSTER_TEST_POSTGRES_URL to run the PostgreSQL variant");
        return None;
    };
    config.mail.smtp_url = smtp_url;
    if let Some(text) = instance {
        config.instance_file = dir.path().join("instance.toml");
        std::fs::write(&config.instance_file, text).unwrap();
    }
    let database_url = config.database_url.clone();
    let app = Application::build(config, leptos_options_with_site(dir.path()))
        .await
        .expect("the app starts");
    let base = format!("http://127.0.0.1:{}", app.port());
    let setup_link = app.setup_link().map(str::to_owned);
    tokio::spawn(app.run_until_stopped());
    let db = server::db::connect(&database_url).await.unwrap();
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    Some(TestApp {
        base,
        client,
        db,
        setup_link,
        database_url,
        _dir: dir,
    })
}

/// Runs one async test body against SQLite and against PostgreSQL; with
/// `instance = TEXT;` first, the app loads that instance file instead of
/// the demo one.
#[macro_export]
macro_rules! on_both_databases {
    (instance = $instance:expr; $($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                async fn sqlite() {
                    let instance: Option<&str> = $instance;
                    let db = $crate::helpers::Db::Sqlite;
                    if let Some(app) = $crate::helpers::spawn_app_with_instance(db, instance).await {
                        super::$name(app).await;
                    }
                }
                #[tokio::test]
                async fn postgres() {
                    let instance: Option<&str> = $instance;
                    let db = $crate::helpers::Db::Postgres;
                    if let Some(app) = $crate::helpers::spawn_app_with_instance(db, instance).await {
                        super::$name(app).await;
                    }
                }
            }
        )*
    };
    ($($name:ident),* $(,)?) => {
        $crate::on_both_databases!(instance = None; $($name),*);
    };
}

pub struct Answer {
    pub status: u16,
    pub body: String,
    pub set_cookie: Vec<String>,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The answer read as `T`, once it is a 200.
    pub fn ok<T: DeserializeOwned>(&self) -> T {
        assert_eq!(self.status, 200, "{}", self.body);
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not the answer expected ({e}): {}", self.body))
    }

    pub async fn read(response: reqwest::Response) -> Answer {
        let status = response.status().as_u16();
        let set_cookie = response
            .headers()
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        Answer {
            status,
            body: response.text().await.unwrap(),
            set_cookie,
        }
    }
}

/// How a server function's arguments travel, as its `#[server]` line
/// declares: `input = Json` as JSON, the default as a form.
pub trait Encoding {
    fn attach<T: Serialize>(request: reqwest::RequestBuilder, args: &T) -> reqwest::RequestBuilder;
}

impl<Output> Encoding for Http<Json, Output> {
    fn attach<T: Serialize>(request: reqwest::RequestBuilder, args: &T) -> reqwest::RequestBuilder {
        request.json(args)
    }
}

impl<Output> Encoding for Http<PostUrl, Output> {
    fn attach<T: Serialize>(request: reqwest::RequestBuilder, args: &T) -> reqwest::RequestBuilder {
        request.form(args)
    }
}

type Attach = dyn Fn(reqwest::RequestBuilder) -> reqwest::RequestBuilder + Send + Sync;

/// One server function call made from its typed arguments — the struct
/// `#[server]` generates, e.g. `ApplyBatch { import_id, rows }` — so that
/// renaming a function or an argument breaks the build, not a run. Kept as
/// a value where calls of different functions go in one list, or are sent
/// by a client of their own.
#[derive(Clone)]
pub struct ServerCall {
    /// `/api/<name>`.
    pub path: &'static str,
    /// The arguments as JSON, for messages.
    shown: String,
    attach: std::sync::Arc<Attach>,
}

impl ServerCall {
    pub fn new<F>(args: F) -> ServerCall
    where
        F: ServerFn + Serialize + Sync + 'static,
        F::Protocol: Encoding,
    {
        ServerCall {
            path: F::PATH,
            shown: serde_json::to_string(&args).unwrap(),
            attach: std::sync::Arc::new(move |request| F::Protocol::attach(request, &args)),
        }
    }

    /// The request `client` sends to the app at `base` (`http://host:port`).
    pub fn request(&self, client: &reqwest::Client, base: &str) -> reqwest::RequestBuilder {
        (self.attach)(client.post(format!("{base}{}", self.path)))
    }
}

impl std::fmt::Display for ServerCall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.path, self.shown)
    }
}

impl TestApp {
    /// The app's data directory (SQLite file, emails written as files).
    pub fn data_dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    /// Calls a server function with its typed arguments, encoded as it
    /// declares (JSON or a form): `app.send(FinishImport { import_id })`.
    pub async fn send<F>(&self, args: F) -> Answer
    where
        F: ServerFn + Serialize + Sync + 'static,
        F::Protocol: Encoding,
    {
        self.send_call(&ServerCall::new(args)).await
    }

    /// Calls a server function that must answer 200, and reads the answer
    /// as the function's own return type.
    pub async fn send_ok<F>(&self, args: F) -> F::Output
    where
        F: ServerFn + Serialize + Sync + 'static,
        F::Protocol: Encoding,
        F::Output: DeserializeOwned,
    {
        self.send(args).await.ok()
    }

    /// Sends a call made earlier (see [`ServerCall`]).
    pub async fn send_call(&self, call: &ServerCall) -> Answer {
        Answer::read(call.request(&self.client, &self.base).send().await.unwrap()).await
    }

    /// Posts raw JSON to `/api/<name>`: only for calls that are meant not
    /// to fit the function's arguments (use [`TestApp::send`] otherwise).
    pub async fn call_json(&self, name: &str, body: serde_json::Value) -> Answer {
        let response = self
            .client
            .post(format!("{}/api/{name}", self.base))
            .json(&body)
            .send()
            .await
            .unwrap();
        Answer::read(response).await
    }

    /// Loads a page as a browser does (which is what makes redirects 302s).
    pub async fn get(&self, path: &str) -> (u16, reqwest::header::HeaderMap, String) {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .header(
                reqwest::header::ACCEPT,
                "text/html,application/xhtml+xml,*/*;q=0.8",
            )
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        (status, headers, response.text().await.unwrap())
    }

    pub fn setup_token(&self) -> String {
        let link = self
            .setup_link
            .as_deref()
            .expect("a fresh database prints a setup link");
        link.split("token=").nth(1).unwrap().to_owned()
    }

    /// Creates the first global admin through the setup link, signed in.
    pub async fn sign_up_first_admin(&self, email: &str, password: &str) -> Answer {
        let token = self.setup_token();
        let answer = self
            .send(CompleteSetup {
                token,
                email: Some(email.into()),
                password: password.into(),
                confirm: password.into(),
            })
            .await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        answer
    }

    /// Another client of the same app, signed in as nobody.
    pub fn anonymous_like(app: &TestApp) -> TestApp {
        TestApp {
            base: app.base.clone(),
            client: reqwest::Client::builder()
                .cookie_store(true)
                .build()
                .unwrap(),
            db: app.db.clone(),
            setup_link: None,
            database_url: app.database_url.clone(),
            _dir: tempfile::tempdir().unwrap(),
        }
    }

    /// Another client of the same app that sends this API token with
    /// every call, as a script would (no cookies).
    pub fn with_token(app: &TestApp, token: &str) -> TestApp {
        let mut headers = reqwest::header::HeaderMap::new();
        let value = format!("Bearer {token}");
        headers.insert(reqwest::header::AUTHORIZATION, value.parse().unwrap());
        TestApp {
            client: reqwest::Client::builder()
                .default_headers(headers)
                .build()
                .unwrap(),
            ..TestApp::anonymous_like(app)
        }
    }

    /// A second client, signed in as a new admin of the given tracks.
    pub async fn admin_client(&self, email: &str, tracks: &[&str]) -> TestApp {
        create_admin(&self.db, email, tracks, "a long password").await;
        let other = TestApp {
            base: self.base.clone(),
            client: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            db: self.db.clone(),
            setup_link: None,
            database_url: self.database_url.clone(),
            _dir: tempfile::tempdir().unwrap(),
        };
        let answer = other.send(login(email, "a long password")).await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        other
    }
}

pub struct Imported {
    pub id: i64,
    pub rows: Vec<RowResult>,
    pub counts: ImportCounts,
}

impl Imported {
    pub fn outcome(&self, line: u64) -> RowOutcome {
        self.rows.iter().find(|r| r.line == line).unwrap().outcome
    }
}

/// Starts an import of `text`, sends it in batches of `batch` rows, finishes it.
pub async fn import(
    app: &TestApp,
    track: Option<&str>,
    text: &str,
    choice: RoleChoice,
    batch: usize,
) -> Imported {
    let (id, table) = start_import(app, track, text, choice).await;
    apply_and_finish(app, id, &table.rows, batch).await
}

/// Imports `text` at the track `track_slug`, everyone in it given `held`,
/// in batches of 10 rows.
pub async fn import_at(app: &TestApp, track_slug: &str, text: &str, held: &[Role]) -> Imported {
    import(app, Some(track_slug), text, everyone(held), 10).await
}

/// Sends a started import's rows in batches of `batch` rows, finishes it.
pub async fn apply_and_finish(
    app: &TestApp,
    id: i64,
    table_rows: &[CsvRow],
    batch: usize,
) -> Imported {
    let mut rows: Vec<RowResult> = Vec::new();
    for chunk in table_rows.chunks(batch) {
        rows.extend(
            app.send_ok(ApplyBatch {
                import_id: id,
                rows: chunk.to_vec(),
            })
            .await,
        );
    }
    let counts: ImportCounts = app.send_ok(FinishImport { import_id: id }).await;
    Imported { id, rows, counts }
}

/// Starts an import of `text` as the wizard does (the fields it is told,
/// the suggested mapping): the import's id, and the file as read.
pub async fn start_import(
    app: &TestApp,
    track: Option<&str>,
    text: &str,
    choice: RoleChoice,
) -> (i64, CsvTable) {
    start_import_with_rule(app, track, text, choice, UpdateRule::default()).await
}

/// Imports `text` under `rule`, in batches of 10 rows.
pub async fn import_with_rule(
    app: &TestApp,
    track: Option<&str>,
    text: &str,
    choice: RoleChoice,
    rule: UpdateRule,
) -> Imported {
    let (id, table) = start_import_with_rule(app, track, text, choice, rule).await;
    apply_and_finish(app, id, &table.rows, 10).await
}

/// [`start_import`] under an update rule.
pub async fn start_import_with_rule(
    app: &TestApp,
    track: Option<&str>,
    text: &str,
    choice: RoleChoice,
    rule: UpdateRule,
) -> (i64, CsvTable) {
    // The server holds the instance's row limit.
    let table = read_table(text, Delimiter::detect(text), usize::MAX).unwrap();
    // The fields, as the wizard learns them.
    let fields = app
        .send_ok(LoadImportContext {
            track_slug: track.map(str::to_owned),
            dormant: choice == RoleChoice::Dormant,
        })
        .await
        .fields;
    let mapping = Mapping::suggest(&table.headers, &fields, choice == RoleChoice::FromColumn);
    let plan = ImportPlan {
        rule,
        ..plan_for(track, &table, mapping, choice)
    };
    let id = app.send_ok(StartImport { plan }).await;
    (id, table)
}

/// The plan the wizard sends for `table` of "people.csv", paired by
/// `mapping`, under the default rule.
pub fn plan_for(
    track: Option<&str>,
    table: &CsvTable,
    mapping: Mapping,
    roles: RoleChoice,
) -> ImportPlan {
    ImportPlan {
        track_slug: track.map(str::to_owned),
        file_name: "people.csv".into(),
        sheet: None,
        file_hash: "test".into(),
        headers: table.headers.clone(),
        mapping,
        roles,
        rows_total: table.rows.len() as u32,
        rule: UpdateRule::default(),
    }
}

/// Signs in as the first global admin, ann@example.com.
pub async fn signed_in(app: &TestApp) {
    app.sign_up_first_admin("ann@example.com", "correct horse battery")
        .await;
}

/// Creates an admin of `tracks` (none: a global admin) with `password`,
/// as `roster create-admin` does.
pub async fn create_admin(db: &DatabaseConnection, email: &str, tracks: &[&str], password: &str) {
    let email = app::domain::Email::parse(email).unwrap();
    let password = app::domain::NewPassword::parse(password, password).unwrap();
    let tracks: Vec<String> = tracks.iter().map(|s| s.to_string()).collect();
    app::backend::accounts::create_admin(db, &email, &tracks, Some(password))
        .await
        .unwrap();
}

/// Signs in to the app at `base` from another address of this machine
/// (127.0.0.2), which sign-in limits count apart, and must succeed.
pub async fn signs_in_from_elsewhere(base: &str, email: &str, password: &str) {
    let elsewhere = reqwest::Client::builder()
        .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
        .build()
        .unwrap();
    let answer = ServerCall::new(login(email, password))
        .request(&elsewhere, base)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200, "{}", answer.text().await.unwrap());
}

/// A sign-in with this email and password, as the sign-in form sends it.
pub fn login(email: &str, password: &str) -> Login {
    Login {
        email: email.into(),
        password: password.into(),
        next: None,
    }
}

/// A set of roles: `roles(&[Role::Mentor, Role::Mentee])`.
pub fn roles(list: &[Role]) -> Roles {
    list.iter().copied().collect()
}

/// An import's choice that everyone in the file gets these roles.
pub fn everyone(list: &[Role]) -> RoleChoice {
    RoleChoice::Everyone(roles(list))
}

/// The user whose email key is `email`, if any.
pub async fn user_by_email(app: &TestApp, email: &str) -> Option<user::Model> {
    user::Entity::find()
        .filter(user::Column::EmailNormalized.eq(email))
        .one(&app.db)
        .await
        .unwrap()
}

/// What `email` answered to the profile field `key`, if the user exists
/// and has an answer.
pub async fn profile_answer(app: &TestApp, email: &str, key: &str) -> Option<String> {
    let u = user_by_email(app, email).await?;
    let f = profile_field::Entity::find()
        .filter(profile_field::Column::Key.eq(key))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    profile_answer::Entity::find_by_id((u.id, f.id))
        .one(&app.db)
        .await
        .unwrap()
        .map(|a| a.value)
}

/// The roles `email` holds in the track `track_slug`, if a member.
pub async fn roles_in(app: &TestApp, email: &str, track_slug: &str) -> Option<Roles> {
    let u = user_by_email(app, email).await?;
    let t = track::Entity::find()
        .filter(track::Column::Slug.eq(track_slug))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    membership::Entity::find()
        .filter(membership::Column::UserId.eq(u.id))
        .filter(membership::Column::TrackId.eq(t.id))
        .one(&app.db)
        .await
        .unwrap()
        .map(|m| Roles::from_bits(m.roles))
}

/// Switches one of a track's system emails off, as its page does.
pub async fn switch_off(app: &TestApp, track_slug: &str, email: app::domain::SystemEmail) {
    let (subject, body) = email.default_text();
    let answer = app
        .send(SaveEmailTemplate {
            track_slug: track_slug.into(),
            template: EmailTemplate {
                email,
                subject: subject.into(),
                body: body.into(),
                enabled: false,
                edited: false,
            },
        })
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
}

/// Undoes import `id` as the page does: shown first, then confirmed with
/// the figures shown; answers what it did.
pub async fn confirm_undo(app: &TestApp, id: i64) -> app::api::undo::UndoCounts {
    use app::api::undo::{PreviewUndo, UndoImport, UndoPlan};
    let shown: UndoPlan = app.send_ok(PreviewUndo { id }).await;
    let done: app::api::undo::UndoCounts = app
        .send(UndoImport {
            id,
            expected: shown.counts,
        })
        .await
        .ok();
    assert_eq!(
        done, shown.counts,
        "the undo does what the confirmation said"
    );
    done
}
