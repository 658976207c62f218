//! Oversight: an ombudsperson's investigations ([`investigations`]).

pub mod investigations;
