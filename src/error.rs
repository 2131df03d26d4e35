//! The crate's one error type.
//!
//! Every public entry point validates its input and returns [`Error`]; the wasm layer
//! turns it into a JS `Error` with the same message, so the messages below are what a
//! storefront developer reads.

use std::fmt;

/// Errors returned by the public API. Each variant carries the values involved.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// A parameter is out of range or not finite.
    InvalidParameter {
        /// The parameter's name as the caller spells it.
        name: &'static str,
        /// The rejected value, formatted.
        value: String,
        /// The accepted values.
        expected: String,
    },
    /// A product id is not in the catalog.
    UnknownProduct(String),
    /// Two products share an id, or two users do.
    DuplicateId {
        /// `"product"` or `"user"`.
        kind: &'static str,
        /// The repeated id.
        id: String,
    },
    /// The catalog has nothing to work on.
    EmptyCatalog(&'static str),
    /// A query needs trained models.
    NotTrained,
    /// Training produced NaN or infinite factors.
    NonFiniteFactors {
        /// The setting to change.
        advice: String,
    },
    /// The evaluation split left nothing to evaluate.
    NothingToEvaluate(String),
    /// Imported factor matrices are malformed or do not fit the catalog; the message names
    /// the value and what was expected.
    InvalidFactors(String),
    /// A row of an input file is invalid.
    InvalidData {
        /// The file, as the caller named it.
        file: String,
        /// 1-based line of the row (0 for the file as a whole).
        line: usize,
        /// The column's header, when one column is at fault.
        column: Option<String>,
        /// The problem and the expected input.
        message: String,
    },
}

/// Shorthand for results of this crate.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// Builds an [`Error::InvalidParameter`].
    pub fn invalid(
        name: &'static str,
        value: impl fmt::Display,
        expected: impl Into<String>,
    ) -> Self {
        Error::InvalidParameter {
            name,
            value: value.to_string(),
            expected: expected.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidParameter {
                name,
                value,
                expected,
            } => write!(f, "invalid {name}: {value}, expected {expected}"),
            Error::UnknownProduct(id) => {
                write!(f, "unknown product id {id:?}: it is not in the catalog")
            }
            Error::DuplicateId { kind, id } => {
                write!(
                    f,
                    "duplicate {kind} id {id:?}: each {kind} id must be unique"
                )
            }
            Error::EmptyCatalog(what) => write!(f, "the catalog has no {what}"),
            Error::NotTrained => {
                write!(f, "the models are not trained yet: call train() first")
            }
            Error::NonFiniteFactors { advice } => {
                write!(f, "ALS training produced non-finite factors: {advice}")
            }
            Error::NothingToEvaluate(reason) => write!(f, "nothing to evaluate: {reason}"),
            Error::InvalidFactors(message) => write!(f, "invalid imported factors: {message}"),
            Error::InvalidData {
                file,
                line,
                column,
                message,
            } => {
                write!(f, "{file}")?;
                if *line > 0 {
                    write!(f, " line {line}")?;
                }
                if let Some(column) = column {
                    write!(f, ", column {column:?}")?;
                }
                write!(f, ": {message}")
            }
        }
    }
}

impl std::error::Error for Error {}

/// Checks that `value` is a whole number in `min..=max`.
pub(crate) fn check_range(name: &'static str, value: usize, min: usize, max: usize) -> Result<()> {
    if value < min || value > max {
        return Err(Error::invalid(
            name,
            value,
            format!("an integer from {min} to {max}"),
        ));
    }
    Ok(())
}

/// Checks that `value` is finite and at least `min`.
pub(crate) fn check_finite_at_least(name: &'static str, value: f64, min: f64) -> Result<()> {
    if !value.is_finite() || value < min {
        return Err(Error::invalid(
            name,
            format_number(value),
            format!("a finite number of at least {min}"),
        ));
    }
    Ok(())
}

/// Formats a number for a message, writing infinities as JavaScript does (`Infinity`) in
/// place of Rust's `inf`.
fn format_number(value: f64) -> String {
    match value {
        f64::INFINITY => "Infinity".to_string(),
        f64::NEG_INFINITY => "-Infinity".to_string(),
        _ => value.to_string(),
    }
}
