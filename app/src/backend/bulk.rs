//! Many rows written and looked up in few statements. An import writes
//! thousands of rows a batch; building them as active models and then as
//! sea-query statements cost more than the database's own work (SQLite
//! applied 10,000 rows at 1.57× a hand-written baseline; see
//! docs/performance.md). On SQLite: multi-row `INSERT … VALUES`. On
//! PostgreSQL: one `INSERT … SELECT FROM UNNEST` whose parameters are one
//! array per column, so a table's insert is one statement text whatever
//! the rows; look-ups likewise by `= ANY($1)`, one array.

use crate::backend::imports::CHUNK;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::extension::postgres::PgFunc;
use sea_orm::sea_query::{ColumnType, Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, IdenStatic, QueryResult,
    Statement, Value,
};
use std::borrow::Cow;
use std::fmt::Write as _;

/// How many values one look-up of [`one_of`] takes: all of them on
/// PostgreSQL, where they are one array; on SQLite, whose `IN` list binds
/// each, [`CHUNK`].
pub(crate) fn lookup_chunk(backend: DbBackend) -> usize {
    match backend {
        DbBackend::Postgres => usize::MAX,
        _ => CHUNK,
    }
}

/// `column` is one of `values`: `= ANY($1)` on PostgreSQL, `IN (…)` on
/// SQLite. Take the values in [`lookup_chunk`]s.
pub(crate) fn one_of<C, V>(backend: DbBackend, column: C, values: &[V]) -> Expr
where
    C: ColumnTrait,
    V: Into<Value> + Clone,
    Vec<V>: Into<Value>,
{
    match backend {
        DbBackend::Postgres => {
            Expr::col(column.as_column_ref()).eq(PgFunc::any(Expr::val(values.to_vec().into())))
        }
        _ => column.is_in(values.iter().cloned()),
    }
}

/// `INSERT INTO <E> (<columns>) … <tail>` for the rows; `tail` is what
/// follows the rows (an `ON CONFLICT` clause, `RETURNING`). Returns the
/// rows a `RETURNING` gives back. (A `Vec`, not an iterator: an iterator
/// of borrowing closures held across `.await` makes the service's futures
/// not `Send`.)
pub(crate) async fn insert_rows<E, const N: usize>(
    db: &impl ConnectionTrait,
    columns: [E::Column; N],
    tail: &str,
    rows: Vec<[Value; N]>,
) -> Result<Vec<QueryResult>, DbErr>
where
    E: EntityTrait,
{
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let backend = db.get_database_backend();
    if backend == DbBackend::Postgres {
        let statement = unnest_statement::<E, N>(&columns, tail, &rows)?;
        return db.query_all_raw(statement).await;
    }
    let mut rows = rows.into_iter().peekable();
    let mut returned = Vec::new();
    while rows.peek().is_some() {
        let values: Vec<Value> = rows.by_ref().take(CHUNK).flatten().collect();
        let sql = insert_sql(
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

/// `INSERT INTO <E> (<columns>) SELECT * FROM UNNEST($1::<type>[], …)
/// <tail>`, each column's values bound as one array in PostgreSQL's text
/// form. (sea-query binds typed arrays only without NULLs, and a column
/// such as an import row's user is NULL for a skipped row.)
fn unnest_statement<E: EntityTrait, const N: usize>(
    columns: &[E::Column; N],
    tail: &str,
    rows: &[[Value; N]],
) -> Result<Statement, DbErr> {
    let mut sql = format!(
        "INSERT INTO {} ({}) SELECT * FROM UNNEST(",
        E::default().table_name(),
        columns.map(|c| c.as_str()).join(", ")
    );
    let mut arrays = Vec::with_capacity(N);
    for (n, column) in columns.iter().enumerate() {
        let element = element_type(column.def().get_column_type())?;
        // Writing to a String cannot fail.
        let _ = write!(
            sql,
            "{}${}::{element}[]",
            if n > 0 { ", " } else { "" },
            n + 1
        );
        arrays.push(Value::from(array_text(rows.iter().map(|row| &row[n]))?));
    }
    sql.push(')');
    if !tail.is_empty() {
        sql.push(' ');
        sql.push_str(tail);
    }
    Ok(Statement::from_sql_and_values(
        DbBackend::Postgres,
        sql,
        arrays,
    ))
}

/// The PostgreSQL type of a column's values, as the entity declares it.
fn element_type(column: &ColumnType) -> Result<&'static str, DbErr> {
    Ok(match column {
        ColumnType::BigInteger => "bigint",
        ColumnType::Integer => "integer",
        ColumnType::SmallInteger => "smallint",
        ColumnType::Boolean => "boolean",
        ColumnType::String(_) | ColumnType::Text | ColumnType::Char(_) => "text",
        ColumnType::TimestampWithTimeZone => "timestamptz",
        other => {
            return Err(DbErr::Custom(format!(
                "no array type for a column of {other:?}"
            )))
        }
    })
}

/// An array literal of these values: `{"a","b\"c",NULL}`.
fn array_text<'a>(values: impl Iterator<Item = &'a Value>) -> Result<String, DbErr> {
    let mut text = String::from("{");
    for (n, value) in values.enumerate() {
        if n > 0 {
            text.push(',');
        }
        match element_text(value)? {
            None => text.push_str("NULL"),
            Some(element) => {
                text.push('"');
                for c in element.chars() {
                    if c == '"' || c == '\\' {
                        text.push('\\');
                    }
                    text.push(c);
                }
                text.push('"');
            }
        }
    }
    text.push('}');
    Ok(text)
}

/// A value as PostgreSQL reads it from text; `None` for NULL.
fn element_text(value: &Value) -> Result<Option<Cow<'_, str>>, DbErr> {
    Ok(match value {
        Value::String(text) => text.as_deref().map(Cow::Borrowed),
        Value::BigInt(n) => n.map(|n| n.to_string().into()),
        Value::Int(n) => n.map(|n| n.to_string().into()),
        Value::SmallInt(n) => n.map(|n| n.to_string().into()),
        Value::Bool(b) => b.map(|b| Cow::Borrowed(if b { "t" } else { "f" })),
        Value::ChronoDateTimeUtc(at) => at.map(|at| timestamp_text(at).into()),
        other => {
            return Err(DbErr::Custom(format!(
                "{other:?} cannot be written in an array"
            )))
        }
    })
}

/// To the microsecond, cut as sqlx cuts a bound time, so a time written
/// in an array reads back as one bound alone.
fn timestamp_text(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M:%S%.6f+00").to_string()
}

/// SQLite's multi-row `INSERT INTO table (columns) VALUES (?, …), … tail`.
fn insert_sql(table: &str, columns: &[&str], rows: usize, tail: &str) -> String {
    let row = format!("({})", vec!["?"; columns.len()].join(", "));
    let mut sql = format!(
        "INSERT INTO {table} ({}) VALUES {}",
        columns.join(", "),
        vec![row.as_str(); rows].join(", ")
    );
    if !tail.is_empty() {
        sql.push(' ');
        sql.push_str(tail);
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::{array_text, insert_sql, timestamp_text, unnest_statement};
    use crate::backend::entities::membership;
    use chrono::{TimeZone, Utc};
    use sea_orm::Value;

    #[test]
    fn an_array_keeps_quotes_backslashes_and_nulls_apart() {
        let values = [
            Value::from("plain"),
            Value::from(r#"say "hi" \ bye"#),
            Value::from("NULL"),
            Value::String(None),
            Value::from(7i64),
            Value::BigInt(None),
        ];
        assert_eq!(
            array_text(values.iter()).ok().as_deref(),
            Some(r#"{"plain","say \"hi\" \\ bye","NULL",NULL,"7",NULL}"#)
        );
    }

    #[test]
    fn a_time_is_cut_to_the_microsecond() {
        let at = Utc.timestamp_opt(1_765_152_000, 123_456_789).single();
        assert_eq!(
            at.map(timestamp_text).as_deref(),
            Some("2025-12-08 00:00:00.123456+00")
        );
    }

    #[test]
    fn postgres_binds_one_array_per_column() {
        let statement = unnest_statement::<membership::Entity, 2>(
            &[membership::Column::UserId, membership::Column::Roles],
            "ON CONFLICT DO NOTHING",
            &[[1i64.into(), 2i32.into()], [3i64.into(), 4i32.into()]],
        );
        let Ok(statement) = statement else {
            panic!("no statement: {statement:?}");
        };
        assert_eq!(
            statement.sql,
            "INSERT INTO memberships (user_id, roles) SELECT * FROM UNNEST($1::bigint[], \
             $2::integer[]) ON CONFLICT DO NOTHING"
        );
        assert_eq!(
            statement.values.map(|v| v.0),
            Some(vec![
                Value::from("{\"1\",\"3\"}"),
                Value::from("{\"2\",\"4\"}")
            ])
        );
    }

    #[test]
    fn sqlite_binds_each_value() {
        assert_eq!(
            insert_sql("t", &["a", "b"], 2, ""),
            "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)"
        );
        assert_eq!(
            insert_sql("t", &["a"], 1, "ON CONFLICT DO NOTHING"),
            "INSERT INTO t (a) VALUES (?) ON CONFLICT DO NOTHING"
        );
    }
}
