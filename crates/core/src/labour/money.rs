//! Money as a worker's account records it: an amount in the currency's minor units (cents,
//! fils, yen) with its ISO 4217 code. An amount never stands without its currency, and is
//! never negative: a fee, a debt or a wage owed is a sum, and which way it went is said by
//! the record it belongs to.

use crate::validate::Problems;
use crate::vocab::vocabulary;

/// The active ISO 4217 currency codes (2024 list, funds and precious metals left out), each
/// with its number of minor-unit digits.
#[rustfmt::skip]
pub const CURRENCIES: &[(&str, u8)] = &[
    ("AED", 2), ("AFN", 2), ("ALL", 2), ("AMD", 2), ("ANG", 2), ("AOA", 2), ("ARS", 2),
    ("AUD", 2), ("AWG", 2), ("AZN", 2), ("BAM", 2), ("BBD", 2), ("BDT", 2), ("BGN", 2),
    ("BHD", 3), ("BIF", 0), ("BMD", 2), ("BND", 2), ("BOB", 2), ("BRL", 2), ("BSD", 2),
    ("BTN", 2), ("BWP", 2), ("BYN", 2), ("BZD", 2), ("CAD", 2), ("CDF", 2), ("CHF", 2),
    ("CLP", 0), ("CNY", 2), ("COP", 2), ("CRC", 2), ("CUP", 2), ("CVE", 2), ("CZK", 2),
    ("DJF", 0), ("DKK", 2), ("DOP", 2), ("DZD", 2), ("EGP", 2), ("ERN", 2), ("ETB", 2),
    ("EUR", 2), ("FJD", 2), ("FKP", 2), ("GBP", 2), ("GEL", 2), ("GHS", 2), ("GIP", 2),
    ("GMD", 2), ("GNF", 0), ("GTQ", 2), ("GYD", 2), ("HKD", 2), ("HNL", 2), ("HTG", 2),
    ("HUF", 2), ("IDR", 2), ("ILS", 2), ("INR", 2), ("IQD", 3), ("IRR", 2), ("ISK", 0),
    ("JMD", 2), ("JOD", 3), ("JPY", 0), ("KES", 2), ("KGS", 2), ("KHR", 2), ("KMF", 0),
    ("KPW", 2), ("KRW", 0), ("KWD", 3), ("KYD", 2), ("KZT", 2), ("LAK", 2), ("LBP", 2),
    ("LKR", 2), ("LRD", 2), ("LSL", 2), ("LYD", 3), ("MAD", 2), ("MDL", 2), ("MGA", 2),
    ("MKD", 2), ("MMK", 2), ("MNT", 2), ("MOP", 2), ("MRU", 2), ("MUR", 2), ("MVR", 2),
    ("MWK", 2), ("MXN", 2), ("MYR", 2), ("MZN", 2), ("NAD", 2), ("NGN", 2), ("NIO", 2),
    ("NOK", 2), ("NPR", 2), ("NZD", 2), ("OMR", 3), ("PAB", 2), ("PEN", 2), ("PGK", 2),
    ("PHP", 2), ("PKR", 2), ("PLN", 2), ("PYG", 0), ("QAR", 2), ("RON", 2), ("RSD", 2),
    ("RUB", 2), ("RWF", 0), ("SAR", 2), ("SBD", 2), ("SCR", 2), ("SDG", 2), ("SEK", 2),
    ("SGD", 2), ("SHP", 2), ("SLE", 2), ("SOS", 2), ("SRD", 2), ("SSP", 2), ("STN", 2),
    ("SVC", 2), ("SYP", 2), ("SZL", 2), ("THB", 2), ("TJS", 2), ("TMT", 2), ("TND", 3),
    ("TOP", 2), ("TRY", 2), ("TTD", 2), ("TWD", 2), ("TZS", 2), ("UAH", 2), ("UGX", 0),
    ("USD", 2), ("UYU", 2), ("UZS", 2), ("VES", 2), ("VND", 0), ("VUV", 0), ("WST", 2),
    ("XAF", 0), ("XCD", 2), ("XOF", 0), ("XPF", 0), ("YER", 2), ("ZAR", 2), ("ZMW", 2),
    ("ZWG", 2),
];

/// The largest amount accepted, in minor units (a thousand billion of the major unit at two
/// digits): anything above is a typing slip, not a fee.
pub const AMOUNT_MAX: i64 = 100_000_000_000_000;

/// An ISO 4217 currency code known to Passage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(into = "&'static str")]
pub struct Currency(&'static str, u8);

impl From<Currency> for &'static str {
    fn from(c: Currency) -> &'static str {
        c.0
    }
}

impl Currency {
    /// The currency of a code, in any case; `None` for a code that is not an active ISO 4217
    /// currency.
    pub fn parse(code: &str) -> Option<Currency> {
        let code = code.trim().to_ascii_uppercase();
        CURRENCIES
            .iter()
            .find(|(c, _)| *c == code)
            .map(|&(c, e)| Currency(c, e))
    }

    pub fn as_str(self) -> &'static str {
        self.0
    }

    /// How many digits the minor unit has (2 for EUR, 0 for JPY, 3 for KWD).
    pub fn exponent(self) -> u8 {
        self.1
    }

    /// An amount in minor units written in major units with the currency's digits:
    /// `150000` EUR is `1500.00`, `5000` JPY is `5000`.
    pub fn format(self, minor: i64) -> String {
        let e = u32::from(self.1);
        if e == 0 {
            return minor.to_string();
        }
        let unit = 10i64.pow(e);
        let sign = if minor < 0 { "-" } else { "" };
        let m = minor.unsigned_abs();
        let u = unit.unsigned_abs();
        format!("{sign}{}.{:0width$}", m / u, m % u, width = e as usize)
    }
}

/// An amount as it arrived: in minor units from the API, as typed in major units from a
/// form (`1500`, `1500.50`), or not at all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Amount {
    #[default]
    Missing,
    Minor(i64),
    Typed(String),
}

impl Amount {
    /// From a form's text: empty is missing.
    pub fn typed(text: &str) -> Amount {
        if text.trim().is_empty() {
            Amount::Missing
        } else {
            Amount::Typed(text.trim().to_string())
        }
    }

    /// From the API's minor units.
    pub fn minor(value: Option<i64>) -> Amount {
        value.map(Amount::Minor).unwrap_or_default()
    }
}

/// A validated sum: never negative, always with its currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    pub fn format(self) -> String {
        format!(
            "{} {}",
            self.currency.format(self.minor),
            self.currency.as_str()
        )
    }
}

/// Reads `text` as an amount in major units with at most `exponent` decimal digits (a dot or
/// a comma before them; spaces, apostrophes and underscores between thousands are ignored).
/// `Err(true)` when negative, `Err(false)` when it is no number or too many digits.
pub fn parse_major(text: &str, exponent: u8) -> Result<i64, bool> {
    let digits = crate::numerals::ascii_digits(text);
    let t: String = digits
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\'' | '_' | '\u{a0}'))
        .collect();
    if let Some(rest) = t.strip_prefix('-') {
        return match parse_major(rest, exponent) {
            Ok(0) => Ok(0),
            Ok(_) => Err(true),
            Err(_) => Err(false),
        };
    }
    let (whole, frac) = match t.find(['.', ',']) {
        Some(i) => (&t[..i], &t[i + 1..]),
        None => (t.as_str(), ""),
    };
    let ok = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && frac.is_empty()
        || !ok(whole)
        || !ok(frac)
        || frac.len() > usize::from(exponent)
        || whole.len() > 15
    {
        return Err(false);
    }
    let w: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| false)?
    };
    let mut f: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse().map_err(|_| false)?
    };
    for _ in frac.len()..usize::from(exponent) {
        f *= 10;
    }
    w.checked_mul(10i64.pow(u32::from(exponent)))
        .and_then(|v| v.checked_add(f))
        .ok_or(false)
}

/// Checks an amount and its currency together, reporting on `amount_field` and
/// `currency_field`: an amount with no currency, a currency that is not ISO 4217, a negative
/// or unreadable amount are each a problem naming its field. `required` says whether the sum
/// must be there; when it need not, an empty amount and currency are `Some(None)`.
pub fn money_field(
    p: &mut Problems,
    amount_field: &str,
    currency_field: &str,
    amount: &Amount,
    currency: &str,
    required: bool,
) -> Option<Option<Money>> {
    let code = currency.trim();
    if matches!(amount, Amount::Missing) && code.is_empty() {
        if required {
            p.add(
                amount_field,
                crate::ErrorCode::Required,
                format!("{amount_field} is required"),
            );
            p.add(
                currency_field,
                crate::ErrorCode::Required,
                format!("{currency_field} is required with an amount"),
            );
            return None;
        }
        return Some(None);
    }
    let cur = if code.is_empty() {
        p.add(
            currency_field,
            crate::ErrorCode::Required,
            format!("{currency_field} is required with an amount"),
        );
        None
    } else {
        let c = Currency::parse(code);
        if c.is_none() {
            p.add(
                currency_field,
                crate::ErrorCode::UnknownCurrency,
                format!("{currency_field} must be an ISO 4217 currency code such as EUR or USD"),
            );
        }
        c
    };
    let minor = match amount {
        Amount::Missing => {
            p.add(
                amount_field,
                crate::ErrorCode::Required,
                format!("{amount_field} is required with a currency"),
            );
            None
        }
        Amount::Minor(v) => Some(Ok(*v)),
        Amount::Typed(t) => Some(
            parse_major(t, cur.map(|c| c.exponent()).unwrap_or(2)).map_err(|negative| {
                if negative {
                    crate::ErrorCode::NegativeAmount
                } else {
                    crate::ErrorCode::InvalidValue
                }
            }),
        ),
    };
    let minor = match minor {
        Some(Ok(v)) if v < 0 => {
            p.add(
                amount_field,
                crate::ErrorCode::NegativeAmount,
                format!("{amount_field} cannot be negative"),
            );
            None
        }
        Some(Ok(v)) if v > AMOUNT_MAX => {
            p.add(
                amount_field,
                crate::ErrorCode::InvalidValue,
                format!("{amount_field} is larger than any real sum"),
            );
            None
        }
        Some(Ok(v)) => Some(v),
        Some(Err(crate::ErrorCode::NegativeAmount)) => {
            p.add(
                amount_field,
                crate::ErrorCode::NegativeAmount,
                format!("{amount_field} cannot be negative"),
            );
            None
        }
        Some(Err(code)) => {
            p.add(
                amount_field,
                code,
                format!("{amount_field} must be a number such as 1500 or 1500.50"),
            );
            None
        }
        None => None,
    };
    match (minor, cur) {
        (Some(minor), Some(currency)) => Some(Some(Money { minor, currency })),
        _ => None,
    }
}

vocabulary! {
    /// What a wage is counted per.
    WagePeriod {
        Hour => "hour",
        Day => "day",
        Week => "week",
        Month => "month",
        Year => "year",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check(amount: Amount, currency: &str) -> Result<Option<Money>, Problems> {
        let mut p = Problems::default();
        let m = money_field(&mut p, "amount", "currency", &amount, currency, true);
        p.finish(m.flatten())
    }

    fn fields(r: Result<Option<Money>, Problems>) -> Vec<(String, crate::ErrorCode)> {
        r.err()
            .map(|p| p.0.into_iter().map(|f| (f.field, f.code)).collect())
            .unwrap_or_default()
    }

    #[test]
    fn the_list_is_sorted_unique_three_letters() {
        for w in CURRENCIES.windows(2) {
            assert!(w[0].0 < w[1].0, "{} before {}", w[0].0, w[1].0);
        }
        for (c, e) in CURRENCIES {
            assert_eq!(c.len(), 3);
            assert!(c.bytes().all(|b| b.is_ascii_uppercase()));
            assert!(*e <= 3);
        }
    }

    #[test]
    fn an_amount_without_currency_names_the_currency() {
        assert_eq!(
            fields(check(Amount::Minor(1500), "")),
            vec![("currency".into(), crate::ErrorCode::Required)]
        );
        assert_eq!(
            fields(check(Amount::Minor(1500), "EUX")),
            vec![("currency".into(), crate::ErrorCode::UnknownCurrency)]
        );
        assert_eq!(
            fields(check(Amount::Missing, "EUR")),
            vec![("amount".into(), crate::ErrorCode::Required)]
        );
        assert_eq!(
            fields(check(Amount::Typed("abc".into()), "EUR")),
            vec![("amount".into(), crate::ErrorCode::InvalidValue)]
        );
        assert_eq!(
            fields(check(Amount::Typed("12.345".into()), "EUR")),
            vec![("amount".into(), crate::ErrorCode::InvalidValue)]
        );
        assert_eq!(
            check(Amount::Typed("12.345".into()), "kwd").expect("three digits for KWD"),
            Currency::parse("KWD").map(|c| Money {
                minor: 12_345,
                currency: c
            })
        );
        assert_eq!(
            check(Amount::Typed("1 500,5".into()), "EUR")
                .expect("ok")
                .map(|m| m.minor),
            Some(150_050)
        );
        assert_eq!(
            check(Amount::Typed("5000".into()), "JPY")
                .expect("ok")
                .map(|m| m.minor),
            Some(5000)
        );
        // Optional and absent is fine.
        let mut p = Problems::default();
        assert_eq!(
            money_field(&mut p, "a", "c", &Amount::Missing, " ", false),
            Some(None)
        );
        assert!(p.0.is_empty());
    }

    proptest! {
        #[test]
        fn a_negative_amount_is_refused_on_the_amount(v in -AMOUNT_MAX..0, typed in any::<bool>()) {
            let amount = if typed {
                let a = v.unsigned_abs();
                Amount::Typed(format!("-{}.{:02}", a / 100, a % 100))
            } else {
                Amount::Minor(v)
            };
            let got = fields(check(amount, "EUR"));
            prop_assert_eq!(got, vec![("amount".to_string(), crate::ErrorCode::NegativeAmount)]);
        }

        #[test]
        fn a_sum_written_out_reads_back(v in 0..AMOUNT_MAX, pick in 0..CURRENCIES.len()) {
            let c = Currency::parse(CURRENCIES[pick].0).expect("listed");
            let text = c.format(v);
            prop_assert_eq!(parse_major(&text, c.exponent()), Ok(v));
            prop_assert_eq!(
                check(Amount::Typed(text), c.as_str()).expect("valid"),
                Some(Money { minor: v, currency: c })
            );
        }

        #[test]
        fn a_code_outside_the_list_is_unknown(code in "[A-Z]{3}") {
            let listed = CURRENCIES.iter().any(|(c, _)| *c == code);
            let got = fields(check(Amount::Minor(100), &code));
            if listed {
                prop_assert!(got.is_empty());
            } else {
                prop_assert_eq!(got, vec![("currency".to_string(), crate::ErrorCode::UnknownCurrency)]);
            }
        }

        #[test]
        fn any_text_is_refused_or_read_never_a_panic(t in ".{0,24}") {
            let _ = check(Amount::Typed(t), "EUR");
        }
    }
}
