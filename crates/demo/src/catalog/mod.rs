//! The fixed world the demo alerts happen in: people, machines, outside addresses and files.
//! Pools are ordered most-exposed first; the generator's skewed draws make their heads recur
//! across providers, so the same device, user, IP or file links alerts together.

pub(crate) mod devices;
pub(crate) mod files;
pub(crate) mod network;
pub(crate) mod people;
