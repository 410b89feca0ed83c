//! The [`Backend`] that server functions call: each method delegates to the
//! module that owns the rule.

use crate::{accounts, adds, emails, history, imports, overview, sessions, undo, users};
use app::api::adds::{AddPersonResult, FoundPerson, PoolAddSummary};
use app::api::emails::{EmailTemplate, TrackEmails};
use app::api::history::{HistoryPage, ImportDetail};
use app::api::undo::{UndoCounts, UndoPlan};
use app::backend::{Backend, NewSession};
use app::domain::csv_upload::CsvRow;
use app::domain::{Admin, Email, NewPassword, PersonForm, Roles};
use app::{
    AppError, ImportCounts, ImportPlan, InstanceSummary, RowResult, SetupLinkInfo, TrackSummary,
    Viewer,
};
use app::{ImportContext, KnownPerson, UserDetail, UserPage, UserQuery};
use sea_orm::DatabaseConnection;

pub struct RosterService {
    db: DatabaseConnection,
    secure_cookies: bool,
}

impl RosterService {
    pub fn new(db: DatabaseConnection, secure_cookies: bool) -> Self {
        RosterService { db, secure_cookies }
    }
}

#[async_trait::async_trait]
impl Backend for RosterService {
    async fn authenticate(&self, session_token: &str) -> Result<Admin, AppError> {
        Ok(sessions::authenticate(&self.db, session_token).await?)
    }

    async fn login(
        &self,
        email: &str,
        password: &str,
        client: Option<std::net::IpAddr>,
    ) -> Result<NewSession, AppError> {
        Ok(accounts::login(&self.db, email, password, client).await?)
    }

    async fn logout(&self, session_token: &str) -> Result<(), AppError> {
        Ok(sessions::logout(&self.db, session_token).await?)
    }

    async fn setup_info(&self, invite_token: &str) -> Result<SetupLinkInfo, AppError> {
        Ok(accounts::setup_info(&self.db, invite_token).await?)
    }

    async fn complete_setup(
        &self,
        invite_token: &str,
        email: Option<Email>,
        password: NewPassword,
    ) -> Result<NewSession, AppError> {
        Ok(accounts::complete_setup(&self.db, invite_token, email, password).await?)
    }

    async fn viewer(&self, admin: &Admin) -> Result<Viewer, AppError> {
        Ok(overview::viewer(&self.db, admin).await?)
    }

    async fn instance_overview(&self, admin: &Admin) -> Result<InstanceSummary, AppError> {
        Ok(overview::instance_overview(&self.db, admin).await?)
    }

    async fn track_overview(&self, admin: &Admin, slug: &str) -> Result<TrackSummary, AppError> {
        Ok(overview::track_overview(&self.db, admin, slug).await?)
    }

    async fn import_context(
        &self,
        admin: &Admin,
        track_slug: Option<&str>,
        dormant: bool,
    ) -> Result<ImportContext, AppError> {
        Ok(imports::import_context(&self.db, admin, track_slug, dormant).await?)
    }

    async fn known_people(
        &self,
        admin: &Admin,
        track_slug: Option<&str>,
        emails: Vec<String>,
    ) -> Result<Vec<KnownPerson>, AppError> {
        Ok(imports::known_people(&self.db, admin, track_slug, emails).await?)
    }

    async fn start_import(&self, admin: &Admin, plan: ImportPlan) -> Result<i64, AppError> {
        Ok(imports::start(&self.db, admin, plan).await?)
    }

    async fn apply_batch(
        &self,
        admin: &Admin,
        import_id: i64,
        rows: Vec<CsvRow>,
    ) -> Result<Vec<RowResult>, AppError> {
        Ok(imports::apply_batch(&self.db, admin, import_id, rows).await?)
    }

    async fn finish_import(&self, admin: &Admin, import_id: i64) -> Result<ImportCounts, AppError> {
        Ok(imports::finish(&self.db, admin, import_id).await?)
    }

    async fn list_users(&self, admin: &Admin, query: UserQuery) -> Result<UserPage, AppError> {
        Ok(users::list(&self.db, admin, query).await?)
    }

    async fn user_detail(&self, admin: &Admin, id: i64) -> Result<UserDetail, AppError> {
        Ok(users::detail(&self.db, admin, id).await?)
    }

    async fn find_person(
        &self,
        admin: &Admin,
        track_slug: &str,
        email: &str,
    ) -> Result<Option<FoundPerson>, AppError> {
        Ok(adds::find_person(&self.db, admin, track_slug, email).await?)
    }

    async fn add_person(
        &self,
        admin: &Admin,
        track_slug: &str,
        roles: Roles,
        form: PersonForm,
    ) -> Result<AddPersonResult, AppError> {
        Ok(adds::add_person(&self.db, admin, track_slug, roles, form).await?)
    }

    async fn import_history(
        &self,
        admin: &Admin,
        track_slug: Option<&str>,
        page: u32,
    ) -> Result<HistoryPage, AppError> {
        Ok(history::list(&self.db, admin, track_slug, page).await?)
    }

    async fn import_detail(&self, admin: &Admin, id: i64) -> Result<ImportDetail, AppError> {
        Ok(history::detail(&self.db, admin, id).await?)
    }

    async fn preview_undo(&self, admin: &Admin, id: i64) -> Result<UndoPlan, AppError> {
        Ok(undo::preview(&self.db, admin, id).await?)
    }

    async fn undo_import(
        &self,
        admin: &Admin,
        id: i64,
        expected: UndoCounts,
    ) -> Result<UndoCounts, AppError> {
        Ok(undo::undo(&self.db, admin, id, expected).await?)
    }

    async fn track_emails(&self, admin: &Admin, track_slug: &str) -> Result<TrackEmails, AppError> {
        Ok(emails::track_emails(&self.db, admin, track_slug).await?)
    }

    async fn save_email_template(
        &self,
        admin: &Admin,
        track_slug: &str,
        template: EmailTemplate,
    ) -> Result<EmailTemplate, AppError> {
        Ok(emails::save_template(&self.db, admin, track_slug, template).await?)
    }

    async fn pool_matching_ids(
        &self,
        admin: &Admin,
        query: UserQuery,
    ) -> Result<Vec<i64>, AppError> {
        Ok(adds::pool_matching_ids(&self.db, admin, query).await?)
    }

    async fn add_from_pool(
        &self,
        admin: &Admin,
        track_slug: &str,
        user_ids: Vec<i64>,
        roles: Roles,
    ) -> Result<PoolAddSummary, AppError> {
        Ok(adds::add_from_pool(&self.db, admin, track_slug, user_ids, roles).await?)
    }

    fn secure_cookies(&self) -> bool {
        self.secure_cookies
    }
}
