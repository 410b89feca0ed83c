//! Builds the HTTP app around one database pool, and runs it.

use crate::config::Config;
use crate::error::StartError;
use crate::mail_delivery::MailWorker;
use crate::{db, instance_file, instance_sync, page_access, reactive_owner, web_guard};
use app::backend::{accounts, sessions, ServerState};
use app::{shell, App};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use migrations::{Migrator, MigratorTrait};
use sea_orm::{DatabaseConnection, DatabaseTransaction};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

/// How long shutdown waits for an email being sent (an SMTP exchange
/// normally takes well under a second).
const MAIL_STOP_WAIT: Duration = Duration::from_secs(20);

/// Loads the instance file, opens the database, migrates it and applies the
/// instance definition: everything `serve` and the CLI commands share. Other
/// servers starting on the same PostgreSQL wait until [`Starting::done`].
pub async fn prepare_database(
    config: &Config,
) -> Result<(DatabaseConnection, Starting), StartError> {
    let instance = instance_file::load(&config.instance_file)?;
    let db = db::connect(&config.database_url).await?;
    let alone = db::start_alone(&db).await.map_err(StartError::Migrate)?;
    Migrator::up(&db, None).await.map_err(StartError::Migrate)?;
    let report = instance_sync::sync(&db, &instance)
        .await
        .map_err(StartError::Sync)?;
    if !report.is_empty() {
        tracing::info!(?report, file = %config.instance_file.display(), "instance definition applied");
    }
    Ok((db, Starting(alone)))
}

/// This server's turn at preparing the database (see [`db::start_alone`]).
pub struct Starting(Option<DatabaseTransaction>);

impl Starting {
    pub async fn done(self) -> Result<(), StartError> {
        if let Some(alone) = self.0 {
            alone.commit().await.map_err(StartError::Sync)?;
        }
        Ok(())
    }
}

/// The app, bound to its port but not yet serving.
pub struct Application {
    listener: TcpListener,
    router: Router,
    addr: SocketAddr,
    base_url: String,
    setup_link: Option<String>,
    mail_worker: MailWorker,
    session_sweeper: tokio::task::JoinHandle<()>,
}

impl Application {
    pub async fn build(config: Config, leptos_options: LeptosOptions) -> Result<Self, StartError> {
        let (db, starting) = prepare_database(&config).await?;
        let bind = leptos_options.site_addr;
        let listener = TcpListener::bind(bind)
            .await
            .map_err(|source| StartError::Listen {
                addr: bind.to_string(),
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| StartError::Listen {
            addr: bind.to_string(),
            source,
        })?;
        let base_url = config
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{addr}"));
        // In this server's turn: of servers starting together, the last
        // one's link is the one that works.
        let setup_link = accounts::first_start_token(&db)
            .await?
            .map(|token| format!("{base_url}/setup?token={token}"));
        starting.done().await?;
        let mailer = crate::mail_delivery::Mailer::new(&config.mail, &config.data_dir)?;
        let mail_worker = MailWorker::start(db.clone(), mailer, config.mail.clone());
        let session_sweeper = sessions::sweep_periodically(db.clone());
        let router = router(db, &config, leptos_options);
        Ok(Application {
            listener,
            router,
            addr,
            base_url,
            setup_link,
            mail_worker,
            session_sweeper,
        })
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The first start's one-time link, when the database has no admin yet.
    pub fn setup_link(&self) -> Option<&str> {
        self.setup_link.as_deref()
    }

    /// Serves until SIGINT/SIGTERM; requests in flight are finished first,
    /// then the email being sent.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        // The peer's address reaches the handlers (sign-in limits count by it).
        let app = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        let served = axum::serve(self.listener, app)
            .with_graceful_shutdown(shutdown_signal())
            .await;
        self.session_sweeper.abort();
        self.mail_worker.stop(MAIL_STOP_WAIT).await;
        served
    }
}

fn router(db: DatabaseConnection, config: &Config, leptos_options: LeptosOptions) -> Router {
    let state = ServerState {
        db: db.clone(),
        secure_cookies: config.secure_cookies(),
    };
    let access = state.clone();
    let api = crate::api_v1::routes(state.clone());
    let scim = crate::scim::routes(state.clone(), config.public_url.clone());
    let routes = generate_route_list(App);
    let context = move || {
        provide_context(state.clone());
        web_guard::provide_page_nonce();
    };
    let site = Router::new()
        .leptos_routes_with_context(&leptos_options, routes, context.clone(), {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        .route_layer(axum::middleware::from_fn_with_state(
            access,
            page_access::send_strangers_to_sign_in,
        ))
        .fallback(leptos_axum::file_and_error_handler_with_context(
            context, shell,
        ))
        .with_state(leptos_options);
    let [nosniff, no_frames, no_referrer] = web_guard::fixed_headers();
    Router::new()
        .route("/health", get(health).with_state(db))
        .merge(api)
        .merge(scim)
        .merge(site)
        .layer(DefaultBodyLimit::max(web_guard::MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(
            reactive_owner::one_owner_per_request,
        ))
        .layer(axum::middleware::from_fn_with_state(
            web_guard::Origins::new(config.public_url.as_deref()),
            web_guard::guard_requests,
        ))
        .layer(axum::middleware::from_fn(web_guard::security_headers))
        .layer(nosniff)
        .layer(no_frames)
        .layer(no_referrer)
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(DefaultOnResponse::new().level(Level::DEBUG)),
        )
}

/// Every request's span: what was asked for, by path. The query is left
/// out (a setup link's token travels in it), and so are the headers.
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = request.uri().path(),
    )
}

/// Ready when the database answers: for load balancers and test harnesses.
async fn health(State(db): State<DatabaseConnection>) -> Response {
    match db.ping().await {
        Ok(()) => "ok".into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
