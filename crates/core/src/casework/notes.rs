//! Who may read a case note. A note's confidentiality narrows, never widens, who reads the
//! case: `normal` is every reader of the case; `restricted` only readers in the case's own
//! organisation; `sensitive` only
//! the note's author and the supervisors of the case's organisation. Pure; the store applies it
//! to every note before returning it, and leaves out a note the reader may not see entirely.

use super::{Confidentiality, Vulnerability};
use crate::CaseType;

/// What the store knows about a reader and one note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NoteReader {
    /// The access policy lets the reader read the case the note belongs to.
    pub reads_case: bool,
    /// The reader is a user of the organisation that owns the case.
    pub in_case_org: bool,
    /// The reader wrote the note.
    pub is_author: bool,
    /// The reader is a supervisor in the organisation that owns the case.
    pub supervises_case_org: bool,
}

/// Whether `reader` may see a note of this confidentiality.
pub fn may_read_note(level: Confidentiality, reader: NoteReader) -> bool {
    if !reader.reads_case {
        return false;
    }
    match level {
        Confidentiality::Normal => true,
        Confidentiality::Restricted => reader.in_case_org,
        Confidentiality::Sensitive => {
            reader.is_author || (reader.supervises_case_org && reader.in_case_org)
        }
    }
}

/// Whether `writer` may write a note of this confidentiality: only a level they could read
/// themselves, so nobody writes a note they would then be unable to see.
pub fn may_write_note(level: Confidentiality, writer: NoteReader) -> bool {
    may_read_note(
        level,
        NoteReader {
            is_author: true,
            ..writer
        },
    )
}

/// Whether a case concerns violence: a case type of gender-based or xenophobic violence, or a
/// person who survived gender-based violence.
pub fn concerns_violence(types: &[CaseType], vulnerabilities: &[Vulnerability]) -> bool {
    types.iter().any(|t| {
        matches!(
            t,
            CaseType::GenderBasedViolence | CaseType::DiscriminationXenophobicViolence
        )
    }) || vulnerabilities.contains(&Vulnerability::GbvSurvivor)
}

/// The confidentiality a new note starts at: on a case that concerns violence, the most
/// protective level the writer may write; otherwise `normal`. The writer may still choose.
pub fn default_confidentiality(
    types: &[CaseType],
    vulnerabilities: &[Vulnerability],
    writer: NoteReader,
) -> Confidentiality {
    if !concerns_violence(types, vulnerabilities) {
        return Confidentiality::Normal;
    }
    [
        Confidentiality::Sensitive,
        Confidentiality::Restricted,
        Confidentiality::Normal,
    ]
    .into_iter()
    .find(|l| may_write_note(*l, writer))
    .unwrap_or(Confidentiality::Normal)
}

/// How protective a level is: the fewer who read it, the higher.
pub fn protection(level: Confidentiality) -> u8 {
    match level {
        Confidentiality::Normal => 0,
        Confidentiality::Restricted => 1,
        Confidentiality::Sensitive => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn reader(reads_case: bool, in_case_org: bool, is_author: bool, sup: bool) -> NoteReader {
        NoteReader {
            reads_case,
            in_case_org,
            is_author,
            supervises_case_org: sup,
        }
    }

    #[test]
    fn the_matrix_of_the_people_who_meet_a_note() {
        use Confidentiality::*;
        let author = reader(true, true, true, false);
        let colleague = reader(true, true, false, false);
        let supervisor = reader(true, true, false, true);
        let partner = reader(true, false, false, false);
        let partner_author = reader(true, false, true, false);
        let outsider = reader(false, false, false, false);
        let table = [
            (Normal, [true, true, true, true, true, false]),
            (Restricted, [true, true, true, false, false, false]),
            (Sensitive, [true, false, true, false, true, false]),
        ];
        for (level, expected) in table {
            let got = [
                author,
                colleague,
                supervisor,
                partner,
                partner_author,
                outsider,
            ]
            .map(|r| may_read_note(level, r));
            assert_eq!(got, expected, "{level}");
        }
        assert!(!may_write_note(Restricted, partner));
        assert!(may_write_note(Sensitive, partner));
        assert!(may_write_note(Restricted, colleague));
        assert!(!may_write_note(Normal, outsider));
    }

    fn any_reader() -> impl Strategy<Value = NoteReader> {
        (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>())
            .prop_map(|(a, b, c, d)| reader(a, b, c, d))
    }

    fn any_level() -> impl Strategy<Value = Confidentiality> {
        prop::sample::select(Confidentiality::ALL.to_vec())
    }

    proptest! {
        /// Nobody who cannot read the case reads any of its notes.
        #[test]
        fn no_note_without_the_case(level in any_level(), r in any_reader()) {
            if !r.reads_case {
                prop_assert!(!may_read_note(level, r));
            }
        }

        /// Raising the confidentiality never lets more people read: sensitive ⊆ restricted ⊆
        /// normal, except that the author always reads their own sensitive note.
        #[test]
        fn levels_only_narrow(r in any_reader()) {
            use Confidentiality::*;
            let (n, re, s) = (may_read_note(Normal, r), may_read_note(Restricted, r), may_read_note(Sensitive, r));
            prop_assert!(!re || n);
            prop_assert!(!s || n);
            if !r.is_author {
                prop_assert!(!s || re);
            }
        }

        /// A partner organisation sees only normal notes, unless it wrote the note.
        #[test]
        fn shared_readers_see_normal_notes_only(level in any_level(), r in any_reader()) {
            let outside = NoteReader { in_case_org: false, is_author: false, ..r };
            prop_assert_eq!(may_read_note(level, outside), outside.reads_case && level == Confidentiality::Normal);
        }

        /// The author of a note can always read it while they can read the case, and any note
        /// a reader may write they may then read.
        #[test]
        fn writers_read_what_they_write(level in any_level(), r in any_reader()) {
            let author = NoteReader { is_author: true, ..r };
            prop_assert_eq!(may_read_note(level, author), r.reads_case && (level != Confidentiality::Restricted || r.in_case_org));
            if may_write_note(level, r) {
                prop_assert!(may_read_note(level, author));
            }
        }

        /// On a case about violence a new note starts at the most protective level its writer
        /// may write; on any other case at `normal`. Whatever it starts at, the writer may write.
        #[test]
        fn violence_defaults_to_the_most_protective_writable_level(
            types in proptest::sample::subsequence(CaseType::ALL.to_vec(), 0..=CaseType::ALL.len()),
            vulns in proptest::sample::subsequence(Vulnerability::ALL.to_vec(), 0..=Vulnerability::ALL.len()),
            r in any_reader(),
        ) {
            let w = NoteReader { reads_case: true, ..r };
            let level = default_confidentiality(&types, &vulns, w);
            let violent = types.contains(&CaseType::GenderBasedViolence)
                || types.contains(&CaseType::DiscriminationXenophobicViolence)
                || vulns.contains(&Vulnerability::GbvSurvivor);
            prop_assert!(may_write_note(level, w));
            if violent {
                for other in Confidentiality::ALL {
                    if may_write_note(*other, w) {
                        prop_assert!(protection(*other) <= protection(level));
                    }
                }
            } else {
                prop_assert_eq!(level, Confidentiality::Normal);
            }
        }
    }

    #[test]
    fn a_gbv_case_starts_sensitive_for_its_own_caseworker() {
        let own = NoteReader {
            reads_case: true,
            in_case_org: true,
            ..NoteReader::default()
        };
        assert_eq!(
            default_confidentiality(&[CaseType::GenderBasedViolence], &[], own),
            Confidentiality::Sensitive
        );
        assert_eq!(
            default_confidentiality(
                &[CaseType::LabourExploitation],
                &[Vulnerability::GbvSurvivor],
                own
            ),
            Confidentiality::Sensitive
        );
        assert_eq!(
            default_confidentiality(
                &[CaseType::LabourExploitation],
                &[Vulnerability::Pregnancy],
                own
            ),
            Confidentiality::Normal
        );
    }
}

/// A note as typed: the confidentiality chosen and the text.
#[derive(Debug, Clone, Default)]
pub struct RawNote<'a> {
    pub confidentiality: &'a str,
    pub body: &'a str,
}

/// A note the store may write: a known confidentiality and a text within bounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNote {
    pub level: Confidentiality,
    pub body: String,
}

impl RawNote<'_> {
    /// Every problem at once: an unknown confidentiality, an empty or too long text.
    pub fn validate(self) -> Result<NewNote, crate::validate::Problems> {
        let mut p = crate::validate::Problems::default();
        let level = Confidentiality::parse(self.confidentiality.trim());
        if level.is_none() {
            p.add(
                "confidentiality",
                crate::ErrorCode::UnknownValue,
                format!(
                    "confidentiality must be one of: {}",
                    Confidentiality::allowed()
                ),
            );
        }
        let body = crate::validate::text(
            &mut p,
            "body",
            self.body,
            true,
            crate::validate::NARRATIVE_MAX,
        );
        match (level, body) {
            (Some(level), Some(body)) if p.0.is_empty() => Ok(NewNote { level, body }),
            _ => Err(p),
        }
    }
}

#[cfg(test)]
mod raw_note_tests {
    use super::*;

    #[test]
    fn a_note_needs_a_known_level_and_some_text() {
        let ok = RawNote {
            confidentiality: " sensitive ",
            body: " Seen today. ",
        }
        .validate()
        .expect("valid");
        assert_eq!(ok.level, Confidentiality::Sensitive);
        assert_eq!(ok.body, "Seen today.");
        let bad = RawNote {
            confidentiality: "secret",
            body: "",
        }
        .validate()
        .expect_err("invalid");
        let fields: Vec<&str> = bad.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["confidentiality", "body"]);
    }
}
