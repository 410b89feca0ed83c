//! Multi-row INSERTs written as SQL with bound values. An import writes
//! thousands of rows a batch; building them as active models and then as
//! sea-query statements cost more than the database's own work (SQLite
//! applied 10,000 rows at 1.57× a hand-written baseline; see
//! docs/performance.md).

use crate::backend::imports::CHUNK;
use sea_orm::{
    ConnectionTrait, DbBackend, DbErr, EntityTrait, IdenStatic, QueryResult, Statement, Value,
};
use std::fmt::Write as _;

/// `INSERT INTO <E> (<columns>) VALUES (…), (…) <tail>` for the rows, in
/// chunks of [`CHUNK`] rows; `tail` is what follows the values (an
/// `ON CONFLICT` clause, `RETURNING`). Returns the rows a `RETURNING`
/// gives back. (A `Vec`, not an iterator: an iterator of borrowing
/// closures held across `.await` makes the service's futures not `Send`.)
pub(crate) async fn insert_rows<E, const N: usize>(
    db: &impl ConnectionTrait,
    columns: [E::Column; N],
    tail: &str,
    rows: Vec<[Value; N]>,
) -> Result<Vec<QueryResult>, DbErr>
where
    E: EntityTrait,
{
    let backend = db.get_database_backend();
    let mut rows = rows.into_iter().peekable();
    let mut returned = Vec::new();
    while rows.peek().is_some() {
        let values: Vec<Value> = rows.by_ref().take(CHUNK).flatten().collect();
        let sql = insert_sql(
            backend,
            E::default().table_name(),
            &columns.map(|c| c.as_str()),
            values.len() / N.max(1),
            tail,
        );
        returned.extend(
            db.query_all_raw(Statement::from_sql_and_values(backend, sql, values))
                .await?,
        );
    }
    Ok(returned)
}

fn insert_sql(
    backend: DbBackend,
    table: &str,
    columns: &[&str],
    rows: usize,
    tail: &str,
) -> String {
    let mut sql = String::with_capacity(64 + rows * columns.len() * 6 + tail.len());
    let _ = write!(sql, "INSERT INTO {table} ({}) VALUES ", columns.join(", "));
    let mut n = 0;
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for col in 0..columns.len() {
            n += 1;
            if col > 0 {
                sql.push_str(", ");
            }
            // Writing to a String cannot fail.
            let _ = match backend {
                DbBackend::Postgres => write!(sql, "${n}"),
                _ => write!(sql, "?"),
            };
        }
        sql.push(')');
    }
    if !tail.is_empty() {
        sql.push(' ');
        sql.push_str(tail);
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::insert_sql;
    use sea_orm::DbBackend;

    #[test]
    fn placeholders_follow_the_backend() {
        assert_eq!(
            insert_sql(
                DbBackend::Postgres,
                "t",
                &["a", "b"],
                2,
                "ON CONFLICT DO NOTHING"
            ),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4) ON CONFLICT DO NOTHING"
        );
        assert_eq!(
            insert_sql(DbBackend::Sqlite, "t", &["a", "b"], 2, ""),
            "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)"
        );
    }
}
