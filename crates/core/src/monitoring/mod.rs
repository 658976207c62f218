//! Monitoring of discrimination, xenophobic violence and abuse (issue 16 items 1 and 5):
//! incidents recorded as events, not persons ([`incidents`]), the regions a country's incidents
//! are placed in and drawn as a tile map ([`regions`]), the visits monitors make to detention
//! centres and forced-return operations ([`visits`]), who may do what ([`access`]), and the
//! counts the monitoring views publish with small cells suppressed ([`views`]).

pub mod access;
pub mod incidents;
pub mod regions;
pub mod views;
pub mod visits;

pub use access::{IncidentAction, incident_access};
