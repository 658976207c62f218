//! What happened to the worker: the recruitment fees and costs they paid, the debts they owe,
//! the contract they were promised beside the one they found, and the wages owed to them.
//!
//! Each record is validated here from what was typed or sent (every problem at once, each
//! naming its field). [`substitution`] compares the promised contract with the one found and
//! names every term that differs; [`indicators_supported`] says which screening indicators a
//! record supports, so a screening can show "supported by: fee recorded on …" beside the
//! question without changing an answer.

use super::money::{Amount, Money, WagePeriod, money_field};
use crate::casework::calendar::Day;
use crate::date::PartialDate;
use crate::validate::{Problems, required_value, text};
use crate::vocab::vocabulary;

/// Longest name of a recipient, creditor, employer, job or place.
pub const NAME_MAX: usize = 200;
/// Longest evidence or terms note.
pub const NOTE_MAX: usize = 2_000;

vocabulary! {
    /// What a recruitment fee or cost paid for.
    FeeKind {
        PlacementFee => "placement_fee",
        Travel => "travel",
        Visa => "visa",
        Medical => "medical",
        Training => "training",
        Document => "document",
        Other => "other",
    }
}

vocabulary! {
    /// Which of the two contracts a record is.
    ContractVersion {
        Promised => "promised",
        Found => "found",
    }
}

/// Checks a date that may be approximate (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`) and is not after
/// today; `Some(None)` when empty and not required.
pub fn approx_date(
    p: &mut Problems,
    field: &str,
    value: &str,
    today: Day,
    required: bool,
) -> Option<Option<PartialDate>> {
    let v = value.trim();
    if v.is_empty() {
        if required {
            p.add(
                field,
                crate::ErrorCode::Required,
                format!("{field} is required"),
            );
            return None;
        }
        return Some(None);
    }
    let (year, month, day) = today.ymd();
    let this_year = u16::try_from(year).unwrap_or(u16::MAX);
    match PartialDate::parse(v, this_year) {
        Ok(d) => {
            // The earliest day the date can mean must not lie after today.
            let first = Day::from_ymd(
                i64::from(d.year),
                u32::from(d.month.unwrap_or(1)),
                u32::from(d.day.unwrap_or(1)),
            );
            let today = Day::from_ymd(year, month, day);
            if first > today {
                p.add(
                    field,
                    crate::ErrorCode::InFuture,
                    format!("{field} lies in the future"),
                );
                return None;
            }
            Some(Some(d))
        }
        Err(_) if PartialDate::parse(v, 9999).is_ok() => {
            p.add(
                field,
                crate::ErrorCode::InFuture,
                format!("{field} lies in the future"),
            );
            None
        }
        Err(message) => {
            p.add(field, crate::ErrorCode::InvalidDate, message);
            None
        }
    }
}

// ------------------------------------------------------------------ fees

/// A fee or cost as submitted.
#[derive(Debug, Clone, Default)]
pub struct RawFee {
    pub kind: String,
    pub amount: Amount,
    pub currency: String,
    pub paid_to: String,
    pub paid_on: String,
    pub evidence: String,
}

/// A validated fee: what for, how much, to whom (sealed at rest), when, and what shows it
/// (sealed at rest).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFee {
    pub kind: FeeKind,
    pub money: Money,
    pub paid_to: String,
    pub paid_on: Option<PartialDate>,
    pub evidence: Option<String>,
}

fn vocab_field<T>(
    p: &mut Problems,
    field: &str,
    value: &str,
    parse: impl Fn(&str) -> Option<T>,
    allowed: impl Fn() -> String,
) -> Option<T> {
    required_value(p, field, value, parse, || {
        format!("{field} must be one of {}", allowed())
    })
}

impl RawFee {
    pub fn validate(self, today: Day) -> Result<NewFee, Problems> {
        let mut p = Problems::default();
        let kind = vocab_field(&mut p, "kind", &self.kind, FeeKind::parse, FeeKind::allowed);
        let money = money_field(
            &mut p,
            "amount",
            "currency",
            &self.amount,
            &self.currency,
            true,
        );
        let paid_to = text(&mut p, "paid_to", &self.paid_to, true, NAME_MAX);
        let paid_on = approx_date(&mut p, "paid_on", &self.paid_on, today, false);
        let evidence = text(&mut p, "evidence", &self.evidence, false, NOTE_MAX);
        p.finish(())?;
        match (kind, money.flatten(), paid_to, paid_on) {
            (Some(kind), Some(money), Some(paid_to), Some(paid_on)) => Ok(NewFee {
                kind,
                money,
                paid_to,
                paid_on,
                evidence,
            }),
            _ => Err(internal()),
        }
    }
}

/// A field that reported no problem yet gave no value: never reached, but answered as a
/// problem rather than a panic.
fn internal() -> Problems {
    let mut p = Problems::default();
    p.add(
        "",
        crate::ErrorCode::InvalidValue,
        "the record is incomplete",
    );
    p
}

// ------------------------------------------------------------------ debts

/// A debt as submitted.
#[derive(Debug, Clone, Default)]
pub struct RawDebt {
    pub owed_to: String,
    pub amount: Amount,
    pub currency: String,
    pub terms: String,
}

/// A validated debt: to whom (sealed), how much, and the interest or terms as told (sealed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDebt {
    pub owed_to: String,
    pub money: Money,
    pub terms: Option<String>,
}

impl RawDebt {
    pub fn validate(self) -> Result<NewDebt, Problems> {
        let mut p = Problems::default();
        let owed_to = text(&mut p, "owed_to", &self.owed_to, true, NAME_MAX);
        let money = money_field(
            &mut p,
            "amount",
            "currency",
            &self.amount,
            &self.currency,
            true,
        );
        let terms = text(&mut p, "terms", &self.terms, false, NOTE_MAX);
        p.finish(())?;
        match (owed_to, money.flatten()) {
            (Some(owed_to), Some(money)) => Ok(NewDebt {
                owed_to,
                money,
                terms,
            }),
            _ => Err(internal()),
        }
    }
}

// ------------------------------------------------------------------ wages owed

/// Wages owed as submitted.
#[derive(Debug, Clone, Default)]
pub struct RawWages {
    pub period_from: String,
    pub period_to: String,
    pub amount: Amount,
    pub currency: String,
}

/// Validated wages owed: for the period from (possibly approximate) to (optional), how much.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWages {
    pub period_from: PartialDate,
    pub period_to: Option<PartialDate>,
    pub money: Money,
}

impl RawWages {
    pub fn validate(self, today: Day) -> Result<NewWages, Problems> {
        let mut p = Problems::default();
        let from = approx_date(&mut p, "period_from", &self.period_from, today, true);
        let to = approx_date(&mut p, "period_to", &self.period_to, today, false);
        let money = money_field(
            &mut p,
            "amount",
            "currency",
            &self.amount,
            &self.currency,
            true,
        );
        if let (Some(Some(f)), Some(Some(t))) = (from, to)
            && t < f
        {
            p.add(
                "period_to",
                crate::ErrorCode::InvalidDate,
                "period_to must not come before period_from",
            );
        }
        p.finish(())?;
        match (from.flatten(), to, money.flatten()) {
            (Some(period_from), Some(period_to), Some(money)) => Ok(NewWages {
                period_from,
                period_to,
                money,
            }),
            _ => Err(internal()),
        }
    }
}

// ------------------------------------------------------------------ contracts

/// One term of a contract: what substitution names when it differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Term {
    Wage,
    HoursPerWeek,
    JobTitle,
    Employer,
    Place,
    DaysOff,
}

impl Term {
    pub const ALL: &'static [Term] = &[
        Term::Wage,
        Term::HoursPerWeek,
        Term::JobTitle,
        Term::Employer,
        Term::Place,
        Term::DaysOff,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Term::Wage => "wage",
            Term::HoursPerWeek => "hours_per_week",
            Term::JobTitle => "job_title",
            Term::Employer => "employer",
            Term::Place => "place",
            Term::DaysOff => "days_off",
        }
    }
}

/// The wage of a contract: how much per what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wage {
    pub money: Money,
    pub period: WagePeriod,
}

/// A contract's terms, each possibly unknown. Sealed at rest as one value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContractTerms {
    pub wage: Option<Wage>,
    pub hours_per_week: Option<u8>,
    pub job_title: Option<String>,
    pub employer: Option<String>,
    pub place: Option<String>,
    /// Days off a week.
    pub days_off: Option<u8>,
}

/// A contract as submitted.
#[derive(Debug, Clone, Default)]
pub struct RawContract {
    pub version: String,
    pub wage_amount: Amount,
    pub wage_currency: String,
    pub wage_period: String,
    pub hours_per_week: String,
    pub job_title: String,
    pub employer: String,
    pub place: String,
    pub days_off: String,
}

/// A validated contract: which one, and its terms (at least one known).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewContract {
    pub version: ContractVersion,
    pub terms: ContractTerms,
}

fn small_number(p: &mut Problems, field: &str, value: &str, max: u8) -> Option<Option<u8>> {
    let v = crate::numerals::ascii_digits(value);
    let v = v.trim();
    if v.is_empty() {
        return Some(None);
    }
    match v.parse::<i64>() {
        Ok(n) if n < 0 => {
            p.add(
                field,
                crate::ErrorCode::NegativeAmount,
                format!("{field} cannot be negative"),
            );
            None
        }
        Ok(n) if n <= i64::from(max) => Some(Some(n as u8)),
        _ => {
            p.add(
                field,
                crate::ErrorCode::InvalidValue,
                format!("{field} must be a whole number from 0 to {max}"),
            );
            None
        }
    }
}

impl RawContract {
    pub fn validate(self) -> Result<NewContract, Problems> {
        let mut p = Problems::default();
        let version = vocab_field(
            &mut p,
            "version",
            &self.version,
            ContractVersion::parse,
            ContractVersion::allowed,
        );
        let money = money_field(
            &mut p,
            "wage_amount",
            "wage_currency",
            &self.wage_amount,
            &self.wage_currency,
            false,
        );
        let period = if self.wage_period.trim().is_empty() {
            if matches!(money, Some(Some(_))) {
                p.add(
                    "wage_period",
                    crate::ErrorCode::Required,
                    "wage_period is required with a wage",
                );
            }
            None
        } else {
            let got = WagePeriod::parse(self.wage_period.trim());
            if got.is_none() {
                p.add(
                    "wage_period",
                    crate::ErrorCode::UnknownValue,
                    format!("wage_period must be one of {}", WagePeriod::allowed()),
                );
            } else if matches!(money, Some(None)) {
                p.add(
                    "wage_amount",
                    crate::ErrorCode::Required,
                    "wage_amount is required with a wage period",
                );
            }
            got
        };
        let hours = small_number(&mut p, "hours_per_week", &self.hours_per_week, 168);
        let days_off = small_number(&mut p, "days_off", &self.days_off, 7);
        let job_title = text(&mut p, "job_title", &self.job_title, false, NAME_MAX);
        let employer = text(&mut p, "employer", &self.employer, false, NAME_MAX);
        let place = text(&mut p, "place", &self.place, false, NAME_MAX);
        let terms = ContractTerms {
            wage: match (money.flatten(), period) {
                (Some(money), Some(period)) => Some(Wage { money, period }),
                _ => None,
            },
            hours_per_week: hours.flatten(),
            job_title,
            employer,
            place,
            days_off: days_off.flatten(),
        };
        if p.0.is_empty() && terms == ContractTerms::default() {
            p.add(
                "job_title",
                crate::ErrorCode::Required,
                "record at least one term of the contract",
            );
        }
        p.finish(())?;
        match version {
            Some(version) => Ok(NewContract { version, terms }),
            None => Err(internal()),
        }
    }
}

/// Whether two texts name the same thing: case, spacing and punctuation aside.
fn same_text(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphanumeric() || c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    norm(a) == norm(b)
}

/// Contract substitution: the terms on which the contract found differs from the one
/// promised, in the order of [`Term::ALL`]. A term unknown on either side is never a
/// difference: only what both contracts say is compared.
pub fn substitution(promised: &ContractTerms, found: &ContractTerms) -> Vec<Term> {
    fn differs<T>(a: &Option<T>, b: &Option<T>, same: impl Fn(&T, &T) -> bool) -> bool {
        matches!((a, b), (Some(a), Some(b)) if !same(a, b))
    }
    let mut out = Vec::new();
    for &t in Term::ALL {
        let d = match t {
            Term::Wage => differs(&promised.wage, &found.wage, |a, b| a == b),
            Term::HoursPerWeek => {
                differs(&promised.hours_per_week, &found.hours_per_week, |a, b| {
                    a == b
                })
            }
            Term::JobTitle => differs(&promised.job_title, &found.job_title, |a, b| {
                same_text(a, b)
            }),
            Term::Employer => differs(&promised.employer, &found.employer, |a, b| same_text(a, b)),
            Term::Place => differs(&promised.place, &found.place, |a, b| same_text(a, b)),
            Term::DaysOff => differs(&promised.days_off, &found.days_off, |a, b| a == b),
        };
        if d {
            out.push(t);
        }
    }
    out
}

// ------------------------------------------------------------------ screening support

/// A record of what happened to the worker that can support a screening answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Basis {
    /// A recruitment fee or cost was recorded as paid.
    FeePaid,
    /// A debt was recorded.
    DebtOwed,
    /// The contract found differs from the one promised, on these terms.
    ContractSubstituted,
    /// Wages were recorded as owed.
    WagesOwed,
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::FeePaid => "fee_paid",
            Basis::DebtOwed => "debt_owed",
            Basis::ContractSubstituted => "contract_substituted",
            Basis::WagesOwed => "wages_owed",
        }
    }
}

/// The indicators (by id, across the built-in instruments) a record supports. A fee paid
/// answers the recruitment-fee indicator (deceived about travel and recruitment conditions);
/// a debt the debt-bondage indicators; a substituted contract the deception indicators (and,
/// by the terms that differ, deception about the job, the wages or the conditions); wages
/// owed the withheld-wages indicators. `terms` matters only for a substitution.
pub fn indicators_supported(basis: Basis, terms: &[Term]) -> Vec<&'static str> {
    match basis {
        Basis::FeePaid => vec!["dr_travel_recruitment"],
        Basis::DebtOwed => vec![
            "cr_debt_bondage",
            "cd_debt_bondage",
            "fl_debt_bondage",
            "hl_growing_debt",
        ],
        Basis::ContractSubstituted => {
            if terms.is_empty() {
                return Vec::new();
            }
            let mut out = vec![
                "dr_contract",
                "ec_contract_not_respected",
                "fl_deception",
                "hl_job_different",
            ];
            if terms
                .iter()
                .any(|t| matches!(t, Term::JobTitle | Term::Employer | Term::Place))
            {
                out.push("dr_nature_of_job");
            }
            if terms.contains(&Term::Wage) {
                out.push("dr_wages");
            }
            if terms
                .iter()
                .any(|t| matches!(t, Term::HoursPerWeek | Term::DaysOff))
            {
                out.push("dr_working_conditions");
            }
            out
        }
        Basis::WagesOwed => vec![
            "cd_withholding_wages",
            "fl_withholding_of_wages",
            "ec_low_or_no_salary",
            "hl_long_hours_or_little_pay",
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labour::money::Currency;
    use proptest::prelude::*;

    fn today() -> Day {
        Day::parse("2026-06-15").expect("day")
    }

    fn codes(p: Problems) -> Vec<(String, crate::ErrorCode)> {
        p.0.into_iter().map(|f| (f.field, f.code)).collect()
    }

    fn fee() -> RawFee {
        RawFee {
            kind: "placement_fee".into(),
            amount: Amount::Minor(150_000),
            currency: "USD".into(),
            paid_to: "Al Noor Manpower".into(),
            paid_on: "2025-11".into(),
            evidence: "Receipt photographed".into(),
        }
    }

    #[test]
    fn a_fee_is_validated_field_by_field() {
        let f = fee().validate(today()).expect("valid");
        assert_eq!(f.kind, FeeKind::PlacementFee);
        assert_eq!(f.money.minor, 150_000);
        assert_eq!(f.paid_on.map(|d| d.to_string()).as_deref(), Some("2025-11"));
        let bad = RawFee {
            kind: "bribe".into(),
            amount: Amount::Minor(-5),
            currency: "".into(),
            paid_to: " ".into(),
            paid_on: "2027-01-01".into(),
            evidence: String::new(),
        };
        assert_eq!(
            codes(bad.validate(today()).expect_err("refused")),
            vec![
                ("kind".into(), crate::ErrorCode::UnknownValue),
                ("currency".into(), crate::ErrorCode::Required),
                ("amount".into(), crate::ErrorCode::NegativeAmount),
                ("paid_to".into(), crate::ErrorCode::Required),
                ("paid_on".into(), crate::ErrorCode::InFuture),
            ]
        );
        let nowhere = RawFee {
            paid_on: "2025-02-30".into(),
            ..fee()
        };
        assert_eq!(
            codes(nowhere.validate(today()).expect_err("refused")),
            vec![("paid_on".into(), crate::ErrorCode::InvalidDate)]
        );
        let later_this_month = RawFee {
            paid_on: "2026-06-16".into(),
            ..fee()
        };
        assert!(later_this_month.validate(today()).is_err());
        let this_month = RawFee {
            paid_on: "2026-06".into(),
            ..fee()
        };
        assert!(this_month.validate(today()).is_ok());
    }

    #[test]
    fn wages_owed_need_a_period_in_order() {
        let w = RawWages {
            period_from: "2026-03".into(),
            period_to: "2026-01".into(),
            amount: Amount::Typed("900".into()),
            currency: "EUR".into(),
        };
        assert_eq!(
            codes(w.validate(today()).expect_err("refused")),
            vec![("period_to".into(), crate::ErrorCode::InvalidDate)]
        );
    }

    #[test]
    fn a_contract_needs_one_term_and_a_wage_its_period() {
        let empty = RawContract {
            version: "found".into(),
            ..Default::default()
        };
        assert_eq!(
            codes(empty.validate().expect_err("refused")),
            vec![("job_title".into(), crate::ErrorCode::Required)]
        );
        let no_period = RawContract {
            version: "promised".into(),
            wage_amount: Amount::Minor(50_000),
            wage_currency: "EUR".into(),
            ..Default::default()
        };
        assert_eq!(
            codes(no_period.validate().expect_err("refused")),
            vec![("wage_period".into(), crate::ErrorCode::Required)]
        );
    }

    fn money(minor: i64, c: &str) -> Money {
        Money {
            minor,
            currency: Currency::parse(c).expect("currency"),
        }
    }

    fn terms() -> impl Strategy<Value = ContractTerms> {
        let text = prop::option::of(prop::sample::select(vec![
            "Cook", "cook", "Cleaner", "Dubai", "Doha", "Al Noor", "Farm",
        ]));
        (
            prop::option::of((0i64..3, prop::sample::select(vec!["EUR", "USD"]), 0usize..2)),
            prop::option::of(30u8..80),
            text.clone(),
            text.clone(),
            text,
            prop::option::of(0u8..3),
        )
            .prop_map(|(wage, hours, job, employer, place, days)| ContractTerms {
                wage: wage.map(|(m, c, p)| Wage {
                    money: money(m * 10_000, c),
                    period: WagePeriod::ALL[p],
                }),
                hours_per_week: hours,
                job_title: job.map(String::from),
                employer: employer.map(String::from),
                place: place.map(String::from),
                days_off: days,
            })
    }

    proptest! {
        #[test]
        fn a_contract_never_differs_from_itself(a in terms()) {
            prop_assert!(substitution(&a, &a).is_empty());
        }

        #[test]
        fn substitution_is_symmetric(a in terms(), b in terms()) {
            prop_assert_eq!(substitution(&a, &b), substitution(&b, &a));
        }

        #[test]
        fn an_unknown_term_is_never_a_difference(a in terms(), b in terms()) {
            let unknown = ContractTerms::default();
            prop_assert!(substitution(&a, &unknown).is_empty());
            for t in substitution(&a, &b) {
                let known = |c: &ContractTerms| match t {
                    Term::Wage => c.wage.is_some(),
                    Term::HoursPerWeek => c.hours_per_week.is_some(),
                    Term::JobTitle => c.job_title.is_some(),
                    Term::Employer => c.employer.is_some(),
                    Term::Place => c.place.is_some(),
                    Term::DaysOff => c.days_off.is_some(),
                };
                prop_assert!(known(&a) && known(&b));
            }
        }

        #[test]
        fn changing_one_term_names_exactly_that_term(a in terms(), pick in 0usize..6) {
            let term = Term::ALL[pick];
            let mut b = a.clone();
            match term {
                Term::Wage => b.wage = Some(Wage { money: money(999_999, "EUR"), period: WagePeriod::Hour }),
                Term::HoursPerWeek => b.hours_per_week = Some(99),
                Term::JobTitle => b.job_title = Some("Welder".into()),
                Term::Employer => b.employer = Some("Other Employer".into()),
                Term::Place => b.place = Some("Elsewhere".into()),
                Term::DaysOff => b.days_off = Some(7),
            }
            let mut full = a.clone();
            // Make the promised term known so the change is comparable.
            match term {
                Term::Wage => full.wage = Some(full.wage.unwrap_or(Wage { money: money(1, "EUR"), period: WagePeriod::Month })),
                Term::HoursPerWeek => full.hours_per_week = Some(full.hours_per_week.unwrap_or(40)),
                Term::JobTitle => full.job_title = Some(full.job_title.clone().unwrap_or_else(|| "Cook".into())),
                Term::Employer => full.employer = Some(full.employer.clone().unwrap_or_else(|| "Al Noor".into())),
                Term::Place => full.place = Some(full.place.clone().unwrap_or_else(|| "Doha".into())),
                Term::DaysOff => full.days_off = Some(full.days_off.unwrap_or(1)),
            }
            let mut b_full = full.clone();
            match term {
                Term::Wage => b_full.wage = b.wage,
                Term::HoursPerWeek => b_full.hours_per_week = b.hours_per_week,
                Term::JobTitle => b_full.job_title = b.job_title.clone(),
                Term::Employer => b_full.employer = b.employer.clone(),
                Term::Place => b_full.place = b.place.clone(),
                Term::DaysOff => b_full.days_off = b.days_off,
            }
            prop_assert_eq!(substitution(&full, &b_full), vec![term]);
        }

        #[test]
        fn case_and_spacing_are_not_a_difference(name in "[A-Za-z]{1,8}( [A-Za-z]{1,8}){0,2}") {
            let a = ContractTerms { employer: Some(name.clone()), ..Default::default() };
            let b = ContractTerms { employer: Some(format!("  {}  ", name.to_uppercase().replace(' ', "   "))), ..Default::default() };
            prop_assert!(substitution(&a, &b).is_empty());
        }

        #[test]
        fn a_substitution_always_supports_the_deception_indicators(a in terms(), b in terms()) {
            let diff = substitution(&a, &b);
            let ids = indicators_supported(Basis::ContractSubstituted, &diff);
            prop_assert_eq!(diff.is_empty(), ids.is_empty());
            if !diff.is_empty() {
                prop_assert!(ids.contains(&"dr_contract") && ids.contains(&"fl_deception"));
            }
        }
    }

    #[test]
    fn every_supported_indicator_is_in_a_builtin_instrument() {
        let catalogue = crate::screening::builtin().expect("built-in instruments");
        let known: std::collections::BTreeSet<String> = catalogue
            .all()
            .flat_map(|i| i.indicators.iter().map(|x| x.id.clone()))
            .collect();
        for basis in [
            Basis::FeePaid,
            Basis::DebtOwed,
            Basis::ContractSubstituted,
            Basis::WagesOwed,
        ] {
            for id in indicators_supported(basis, Term::ALL) {
                assert!(known.contains(id), "{id} names no indicator");
            }
        }
    }
}
