//! Accounts beyond the password: the one-time enrolment link of an account an administrator
//! made, the second factor (one-time codes and recovery codes), and grants of roles that read
//! personal data, which wait for a second person's approval.

pub mod enrol;
pub mod grants;
pub mod second_factor;
