//! The store suite as one test binary: every file here is a module, run on SQLite always and on
//! PostgreSQL when `PASSAGE_TEST_POSTGRES_URL` is set (`on_every_backend!`). To add a test file
//! `foo.rs`, put it in this directory, add `mod foo;` below, and reach the harness through
//! `use crate::common::*;`.

#[path = "../common/mod.rs"]
#[macro_use]
mod common;

mod accounts;
mod case_retention;
mod casework_feedback;
mod casework_follow_up;
mod casework_lifecycle;
mod casework_lists;
mod casework_lists_model;
mod casework_person;
mod casework_work;
mod copy;
mod duplicate_checks;
mod duplicates;
mod entities;
mod erasure;
mod handover;
mod hardening;
mod incidents;
mod inspections;
mod intake;
mod investigations;
mod key_rotation;
mod labour;
mod name_variants;
mod names;
mod no_sharing;
mod notifications;
mod outbox;
mod partner_signals;
mod permits;
mod person_reseal;
mod proceedings;
mod protection;
mod receipts;
mod referrals;
mod replies;
mod report_attachments;
mod report_retention;
mod returns;
mod screening;
mod services;
mod stats;
mod stats_dimensions;
mod stats_export;
mod stats_measures;
mod suite;
mod throttle;
mod tracing;
mod transfers;
