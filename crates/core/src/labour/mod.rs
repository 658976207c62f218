//! Labour-market protection: the register of recruiters and employers that complaints, cases,
//! held documents and screenings name ([`entities`]). Pure rules: vocabularies, validation of
//! what is typed, who may do what with the register, and what the public recruiter check may
//! show.

pub mod entities;
