//! secgraph binary.
fn main() {}
