//! The router in process: requests go straight into the application (no socket, no child
//! process) against a fresh SQLite store, and answers are read as a client reads them: status,
//! JSON by field, HTML by selector. What needs a real process (restart, a browser, the command
//! line) stays in the binary's end-to-end tests.

mod accounts;
mod casework_feedback;
mod copy;
mod duplicate_checks;
mod emergencies;
mod entities;
mod erasure;
mod errors;
mod firewall_matrix;
mod forms;
mod frame;
mod fuzz;
mod fuzz_api;
mod handover;
mod harness;
mod incidents;
mod inspections;
mod investigations;
mod labour;
mod labour_links;
mod limits;
mod monitoring;
mod name_variants;
mod names;
mod notifications;
mod numerals;
mod partners;
mod permits;
mod proceedings;
mod protection;
mod referrals;
mod replies;
mod returns;
mod rights;
mod screening_flow;
mod services;
mod stats;
mod stats_dashboard;
mod stats_measures;
mod stats_releases;
mod time_zones;
mod tracing;
mod transfers;
mod witness;
