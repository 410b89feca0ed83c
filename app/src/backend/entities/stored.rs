//! How typed values sit in text columns: a state by its stored name
//! ([`Named`]), a structure as JSON ([`Json`]). This is the one place
//! either is converted; a stored value that does not read back (a name no
//! state has, JSON of another shape) is an error of the query that read
//! it, never a default.
//!
//! The states live in the domain crate, which the browser shares and which
//! therefore knows nothing of sea-orm; these wrappers carry them into it
//! (as `sqlx::types::Json` does for JSON).

use crate::domain::records::StoredName;
use sea_orm::sea_query::{ArrayType, ColumnType, Nullable, ValueType, ValueTypeErr};
use sea_orm::{ColIdx, DbErr, QueryResult, TryGetError, TryGetable, Value};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// A state stored by its name, e.g. `Named(ImportStatus::Completed)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Named<T>(pub T);

/// A structure stored as JSON text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Json<T>(pub T);

impl<T> Deref for Named<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// `import.status == ImportStatus::Undone` reads as it says.
impl<T: PartialEq> PartialEq<T> for Named<T> {
    fn eq(&self, other: &T) -> bool {
        self.0 == *other
    }
}

/// A stored value that is not one its column's type can hold.
#[derive(Debug)]
pub struct Unreadable {
    type_name: &'static str,
    detail: String,
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a stored {} is unreadable: {}",
            self.type_name, self.detail
        )
    }
}

impl std::error::Error for Unreadable {}

impl Unreadable {
    fn into_db_error(self) -> DbErr {
        DbErr::TryIntoErr {
            from: "String",
            into: self.type_name,
            source: Arc::new(self),
        }
    }
}

/// `RowOutcome` rather than `domain::csv_upload::forecast::RowOutcome`.
fn short_name<T>() -> &'static str {
    let path = std::any::type_name::<T>();
    path.rsplit("::").next().unwrap_or(path)
}

/// Text to a value of the column's type.
trait FromText: Sized {
    fn from_text(text: &str) -> Result<Self, Unreadable>;
    fn into_text(self) -> String;
}

impl<T: StoredName> FromText for Named<T> {
    fn from_text(text: &str) -> Result<Self, Unreadable> {
        T::from_key(text).map(Named).ok_or_else(|| Unreadable {
            type_name: short_name::<T>(),
            detail: format!("no state is named {text:?}"),
        })
    }

    fn into_text(self) -> String {
        self.0.key().to_owned()
    }
}

impl<T: Serialize + DeserializeOwned> FromText for Json<T> {
    fn from_text(text: &str) -> Result<Self, Unreadable> {
        serde_json::from_str(text)
            .map(Json)
            .map_err(|e| Unreadable {
                type_name: short_name::<T>(),
                detail: e.to_string(),
            })
    }

    /// Cannot fail for the plain structs and enums stored here (no maps
    /// with non-string keys); were it ever to, the column gets `null`,
    /// which reads back as an error rather than as data.
    fn into_text(self) -> String {
        serde_json::to_string(&self.0).unwrap_or_else(|_| "null".to_owned())
    }
}

/// The sea-orm traits a column type needs, for both wrappers: what
/// `DeriveValueType` writes for a type of one's own.
macro_rules! text_column {
    ($wrapper:ident, $($bound:tt)+) => {
        impl<T: $($bound)+> From<$wrapper<T>> for Value {
            fn from(value: $wrapper<T>) -> Self {
                value.into_text().into()
            }
        }

        impl<T: $($bound)+> TryGetable for $wrapper<T> {
            fn try_get_by<I: ColIdx>(res: &QueryResult, index: I) -> Result<Self, TryGetError> {
                let text = String::try_get_by(res, index)?;
                Self::from_text(&text).map_err(|e| TryGetError::DbErr(e.into_db_error()))
            }
        }

        impl<T: $($bound)+> ValueType for $wrapper<T> {
            fn try_from(value: Value) -> Result<Self, ValueTypeErr> {
                let text = <String as ValueType>::try_from(value)?;
                Self::from_text(&text).map_err(|_| ValueTypeErr)
            }

            fn type_name() -> String {
                std::any::type_name::<Self>().to_owned()
            }

            fn array_type() -> ArrayType {
                ArrayType::String
            }

            fn column_type() -> ColumnType {
                ColumnType::Text
            }
        }

        impl<T: $($bound)+> Nullable for $wrapper<T> {
            fn null() -> Value {
                Value::String(None)
            }
        }
    };
}

text_column!(Named, StoredName);
text_column!(Json, Serialize + DeserializeOwned);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::error::{with_causes, ServiceError};
    use crate::domain::csv_upload::RowOutcome;
    use crate::domain::{ImportStatus, OutboxStatus};

    #[test]
    fn a_state_is_stored_by_its_name_and_an_unknown_name_is_refused() {
        let value: Value = Named(OutboxStatus::Cancelled).into();
        assert_eq!(value, Value::from("cancelled"));
        let back = <Named<OutboxStatus> as ValueType>::try_from(value).unwrap();
        assert_eq!(back, OutboxStatus::Cancelled);
        assert!(<Named<ImportStatus> as ValueType>::try_from(Value::from("done")).is_err());
        let refused = Named::<ImportStatus>::from_text("Completed").unwrap_err();
        assert!(refused.to_string().contains("\"Completed\""), "{refused}");
    }

    #[test]
    fn the_log_says_which_stored_value_could_not_be_read() {
        let refused = Named::<RowOutcome>::from_text("exploded").unwrap_err();
        let failure = ServiceError::Db(refused.into_db_error());
        assert_eq!(
            with_causes(&failure),
            "database error: Error converting `String` into `RowOutcome`: a stored RowOutcome \
             is unreadable: no state is named \"exploded\""
        );
    }

    #[test]
    fn a_structure_is_stored_as_json_and_other_json_is_refused() {
        let value: Value = Json(vec![1, 2]).into();
        assert_eq!(value, Value::from("[1,2]"));
        assert_eq!(
            <Json<Vec<i32>> as ValueType>::try_from(value).unwrap(),
            Json(vec![1, 2])
        );
        assert!(Json::<Vec<i32>>::from_text("{\"a\":1}").is_err());
    }
}
