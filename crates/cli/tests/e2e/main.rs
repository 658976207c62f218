//! The end-to-end suite as one test binary: every file here is a module, so the server is linked
//! once instead of once per file. To add a test file `foo.rs`, put it in this directory, add
//! `mod foo;` below, and reach the harness through `use crate::common::*;`.

#[path = "../common/mod.rs"]
mod common;
#[path = "../common/webdriver.rs"]
mod webdriver;

mod accessibility;
mod accounts;
mod at_rest;
mod backup_restore;
mod browser;
mod casework_lifecycle;
mod casework_lists;
mod casework_lists_paging;
mod casework_person;
mod casework_person_ui;
mod casework_work;
mod contract;
mod duplicates;
mod faults_disk;
mod faults_instances;
mod faults_postgres;
mod handover;
mod hardening;
mod incidents;
mod inspections;
mod inspections_browser;
mod intake;
mod investigations_browser;
mod justice_browser;
mod keys_rotate;
mod labour_browser;
mod legal_protection_flow;
mod lifecycle;
mod limits;
mod linkage_cli;
mod monitoring_flow;
mod partners;
mod permits_browser;
mod protection;
mod public_browser;
mod public_pages;
mod recruiters;
mod referral_webhooks;
mod referrals_browser;
mod replies;
mod retention_config;
mod rights;
mod screening;
mod services;
mod staff_languages;
mod stats_export;
mod surge;
mod tracing_browser;
mod ui;
mod webhooks;
mod witness_browser;
