//! OData query options for secgraph.
pub mod bound;
pub mod error;
pub mod schema;

pub use error::{ErrorKind, ODataError};
