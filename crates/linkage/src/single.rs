//! One record against a few: the comparison the app makes when a person is registered, on the
//! candidates its blocking keys found. A handful of records is too few to estimate m and u, so
//! the weights here are fixed, in bits (log2 of m/u), at values typical of person registers:
//! exact names and a full date of birth are strong, a phonetic name or a birth year weak, a
//! disagreeing date of birth strongly against. The prior assumes the candidates already share
//! at least two keys. The same explanation as a batch run: per field the level and its bits.

use crate::dataset::{DatasetBuilder, InputRecord, level_of};
use crate::{Explanation, FieldEvidence, LinkageError, compare};

/// The prior, in bits, of a blocked candidate being the same person (about 1 in 250).
pub const PRIOR_BITS: f64 = -8.0;

/// The fixed weight of `level` on `field`, in bits.
pub fn weight(field: &str, level: &str) -> f64 {
    match (field, level) {
        ("given_name" | "family_name", "exact") => 7.0,
        ("given_name" | "family_name", "variant") => 6.0,
        ("given_name" | "family_name", "close") => 4.5,
        ("given_name" | "family_name", "phonetic") => 3.5,
        ("given_name" | "family_name", "partial") => 2.0,
        ("given_name" | "family_name", _) => -4.0,
        ("date_of_birth", "exact") => 9.0,
        ("date_of_birth", "typo or day/month swapped") => 5.0,
        ("date_of_birth", "year and month") => 4.0,
        ("date_of_birth", "year only") => 2.0,
        ("date_of_birth", "year off by one") => 0.0,
        ("date_of_birth", _) => -5.0,
        ("sex", "exact") => 0.8,
        ("sex", _) => -4.0,
        ("citizenship", "exact") => 1.5,
        ("citizenship", _) => -1.5,
        ("document_number", "exact") => 12.0,
        ("document_number", "close") => 6.0,
        ("document_number", _) => -2.0,
        ("phone", "exact") => 10.0,
        ("phone", "same number, other prefix") => 9.0,
        ("phone", "close") => 3.0,
        ("phone", _) => -1.0,
        ("place_of_birth" | "postcode", "exact") => 4.0,
        ("place_of_birth" | "postcode", "close") => 2.0,
        ("place_of_birth" | "postcode", _) => -2.0,
        ("location", "exact") => 2.0,
        ("location", "close") => 1.0,
        ("location", _) => -1.0,
        (_, "exact") => 3.0,
        (_, _) => -1.0,
    }
}

/// Scores `target` against each of `others`, in order, with the fixed weights.
pub fn compare_one(
    target: &InputRecord<'_>,
    others: &[InputRecord<'_>],
) -> Result<Vec<Explanation>, LinkageError> {
    let mut b = DatasetBuilder::new(0)?;
    b.push(target)?;
    for o in others {
        b.push(o)?;
    }
    let ds = b.finish();
    Ok((1..ds.len())
        .map(|j| {
            let c = ds.compare(0, j);
            let fields: Vec<FieldEvidence> = (0..ds.n_fields())
                .map(|f| {
                    let l = level_of(c.pattern, f);
                    let field = ds.field_name(f);
                    if l == compare::level::MISSING {
                        FieldEvidence {
                            field,
                            level: "missing",
                            bits: 0.0,
                        }
                    } else {
                        let level = crate::dataset::Dataset::levels(f)[l as usize];
                        FieldEvidence {
                            bits: weight(&field, level),
                            field,
                            level,
                        }
                    }
                })
                .collect();
            let total = PRIOR_BITS + fields.iter().map(|e| e.bits).sum::<f64>();
            Explanation {
                prior_bits: PRIOR_BITS,
                names_swapped: c.swapped,
                fields,
                rival_bits: 0.0,
                probability: 1.0 / (1.0 + (-total).exp2()),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Column;

    fn rec<'a>(given: &'a str, family: &'a str, dob: &'a str) -> InputRecord<'a> {
        let mut r = InputRecord::default();
        r.set(Column::GivenName, given);
        r.set(Column::FamilyName, family);
        r.set(Column::DateOfBirth, dob);
        r
    }

    #[test]
    fn the_same_person_in_another_script_scores_high_and_a_stranger_low() {
        let me = rec("Mohammed", "Al-Hassan", "1990-05-04");
        let same = rec("محمد", "الحسن", "1990-05-04");
        let swapped = rec("Hassan", "Muhammad", "1990-04-05");
        let stranger = rec("Tsegereda", "Bekele", "1972-11-30");
        let scores = compare_one(&me, &[same, swapped, stranger]).expect("valid");
        assert!(scores[0].probability > 0.9, "{}", scores[0]);
        assert!(scores[1].probability > 0.5, "{}", scores[1]);
        assert!(scores[2].probability < 0.01, "{}", scores[2]);
        assert!(
            scores[0]
                .fields
                .iter()
                .any(|f| f.field == "date_of_birth" && f.level == "exact")
        );
    }

    #[test]
    fn a_disagreeing_date_of_birth_weighs_against() {
        let me = rec("Olena", "Kovalenko", "1988-02-01");
        let later = rec("Olena", "Kovalenko", "2001-09-12");
        let unknown = rec("Olena", "Kovalenko", "");
        let s = compare_one(&me, &[later, unknown]).expect("valid");
        assert!(s[0].probability < s[1].probability);
    }
}
