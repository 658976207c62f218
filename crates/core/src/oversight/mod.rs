//! Oversight (issue 16 item 3): the work of an ombudsperson or equality body. A complaint — a
//! report or a case of the office, or a referral it received and accepted — is taken up for
//! investigation of an authority ([`investigations`]).

pub mod investigations;
