//! Roster's schema, one migration per change. The server runs them at start.

pub use sea_orm_migration::prelude::*;

mod m20261124_000001_initial_schema;
mod m20261124_000002_import_rows_email_index;
mod m20261124_000003_users_name_order_index;
mod m20261124_000004_sign_in_url;
mod m20261202_000005_sign_in_failures;
mod m20261202_000006_users_search_key;
mod m20261202_000007_import_rows_write_order;
mod m20261202_000008_email_keys_nfkc;
mod m20261203_000009_import_sheet;
mod m20261207_000010_import_update_rules;
mod m20261207_000011_saved_mappings;
mod m20261207_000012_external_ids;
mod m20261207_000013_api_tokens;
mod m20261207_000014_idempotency_keys;
mod m20261207_000015_scim_users;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_initial_schema::Migration),
            Box::new(m20261124_000002_import_rows_email_index::Migration),
            Box::new(m20261124_000003_users_name_order_index::Migration),
            Box::new(m20261124_000004_sign_in_url::Migration),
            Box::new(m20261202_000005_sign_in_failures::Migration),
            Box::new(m20261202_000006_users_search_key::Migration),
            Box::new(m20261202_000007_import_rows_write_order::Migration),
            Box::new(m20261202_000008_email_keys_nfkc::Migration),
            Box::new(m20261203_000009_import_sheet::Migration),
            Box::new(m20261207_000010_import_update_rules::Migration),
            Box::new(m20261207_000011_saved_mappings::Migration),
            Box::new(m20261207_000012_external_ids::Migration),
            Box::new(m20261207_000013_api_tokens::Migration),
            Box::new(m20261207_000014_idempotency_keys::Migration),
            Box::new(m20261207_000015_scim_users::Migration),
        ]
    }
}
