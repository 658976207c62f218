//! The coarse record of one case that an export is written from: closed-list values only, no
//! name, date, place, narrative or identifier. The store fills it from a consented case (the
//! sealed values it needs — date of birth, sex, citizenships — are reduced to an age band, an
//! HTCDS sex and one citizenship before they reach it); [`crate::htcds`] and [`crate::ctdc`]
//! turn it into a published row.

/// One consented case, coarsened.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseRecord {
    /// Calendar year the case was opened in.
    pub year: i32,
    /// The HTCDS sex in Passage's snake_case spelling, or `unknown` ([`crate::facts::sex`]).
    pub sex: String,
    /// A CTDC age band at opening, or `unknown` ([`crate::facts::age_band_on`]).
    pub age_band: String,
    /// One ISO 3166-1 alpha-2 citizenship, or `ZZ` ([`crate::facts::citizenship`]).
    pub citizenship: String,
    /// The country where the violation happened (ISO alpha-2), when recorded.
    pub country: Option<String>,
    /// HTCDS `vic_TypeOfExploitation` values recorded on the case.
    pub types_of_exploitation: Vec<String>,
    /// HTCDS `vic_MethodsOfControl` values recorded on the case.
    pub methods_of_control: Vec<String>,
    /// Passage's migration stage (`pre_departure`, …).
    pub stage: String,
    /// Passage's case status (`open`, …).
    pub status: String,
    /// Passage's identification status (`possible_victim`, …), when decided.
    pub identification: Option<String>,
    /// Services delivered on the case (Passage `ServiceType` spellings).
    pub services: Vec<String>,
    /// Kinds of the directory services the case was referred to (Passage `ServiceKind`).
    pub referrals: Vec<String>,
}

/// Splits a `;`-joined list as the store keeps HTCDS multiselect values, dropping blanks.
pub fn split_list(text: Option<&str>) -> Vec<String> {
    text.unwrap_or("")
        .split(';')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_split_without_blanks() {
        assert_eq!(
            split_list(Some("DebtBondage; ;TakesEarnings;")),
            vec!["DebtBondage".to_string(), "TakesEarnings".to_string()]
        );
        assert!(split_list(None).is_empty());
    }
}
