//! Oversight: an ombudsperson's investigations ([`investigations`], read in `reading.rs`).

pub mod investigations;
mod reading;
