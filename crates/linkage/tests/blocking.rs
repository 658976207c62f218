//! Blocking lets through the pairs a register of real persons produces: one person written
//! with a name word more or less, names swapped, the date of birth missing or partial, also
//! among many namesakes.

use passage_linkage::blocking::candidates;
use passage_linkage::{BlockingSettings, Column, DatasetBuilder, InputRecord};
use proptest::prelude::*;

/// A name word from syllables: distinct words sound different.
fn word() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "ka", "lo", "mi", "su", "te", "ra", "no", "pe", "di", "ba", "zu", "go",
        ]),
        2..4,
    )
    .prop_map(|s| s.concat())
}

/// Builds a dataset of (given, family, date) rows.
fn dataset(rows: &[(String, String, String)]) -> passage_linkage::Dataset {
    let mut b = DatasetBuilder::new(0).unwrap();
    for (g, f, d) in rows {
        let mut r = InputRecord::default();
        r.set(Column::GivenName, g);
        r.set(Column::FamilyName, f);
        r.set(Column::DateOfBirth, d);
        b.push(&r).unwrap();
    }
    b.finish()
}

fn is_candidate(rows: &[(String, String, String)], i: usize, j: usize) -> bool {
    let ds = dataset(rows);
    candidates(&ds, BlockingSettings::default()).contains(&(i.min(j), i.max(j)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A second family name (or a father's name) on one side, given and family names swapped
    /// or not, and no date of birth on that side: the two records still meet.
    #[test]
    fn a_name_word_more_without_a_date_is_a_candidate(
        given in word(), family in word(), extra in word(), swapped in any::<bool>(),
        first in any::<bool>(), others in prop::collection::vec((word(), word()), 0..30),
    ) {
        prop_assume!(given != family && extra != given && extra != family);
        let mut rows: Vec<(String, String, String)> = others
            .into_iter()
            .map(|(g, f)| (g, f, "1980-01-02".to_string()))
            .collect();
        let longer = if first { format!("{extra} {family}") } else { format!("{family} {extra}") };
        rows.push((given.clone(), longer, "1975-03-04".to_string()));
        let (g, f) = if swapped { (family, given) } else { (given, family) };
        rows.push((g, f, String::new()));
        let n = rows.len();
        prop_assert!(is_candidate(&rows, n - 2, n - 1));
    }

    /// Among more namesakes than a block compares in full (same names, born the same year in
    /// other months), a record with only the year and month of birth meets the one with the
    /// full date: large blocks are also ordered by date, not by name alone.
    #[test]
    fn a_partial_date_among_many_namesakes_is_a_candidate(
        given in word(), family in word(), month in 1u8..13, day in 1u8..29,
        dates in prop::collection::vec((1u8..13, 1u8..29), 120..260),
    ) {
        prop_assume!(given != family);
        // The full date first and the partial one last: far apart in the order of reading.
        let mut rows = vec![(given.clone(), family.clone(), format!("1990-{month:02}-{day:02}"))];
        rows.extend(dates.into_iter().filter(|&(m, _)| m != month).map(|(m, d)| {
            (given.clone(), family.clone(), format!("1990-{m:02}-{d:02}"))
        }));
        rows.push((given, family, format!("1990-{month:02}")));
        let n = rows.len();
        prop_assert!(is_candidate(&rows, 0, n - 1));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A typing error inside the family name (its sound changes, its first and last letters
    /// do not), given and family names swapped or not, and no date of birth on that side: the
    /// two records still meet, among strangers.
    #[test]
    fn a_typo_inside_a_name_without_a_date_is_a_candidate(
        given in word(), family in prop::collection::vec(word(), 2..3), typo in 3usize..5,
        letter in prop::sample::select(vec!['x', 'q', 'w', 'j']), swapped in any::<bool>(),
        others in prop::collection::vec((word(), word()), 0..30),
    ) {
        let family = family.concat();
        prop_assume!(family.len() >= 8 && given != family);
        let mut typed: Vec<char> = family.chars().collect();
        prop_assume!(typed[typo] != letter);
        typed[typo] = letter;
        let typed: String = typed.into_iter().collect();
        let mut rows: Vec<(String, String, String)> = others
            .into_iter()
            .map(|(g, f)| (g, f, "1980-01-02".to_string()))
            .collect();
        rows.push((given.clone(), family, "1975-03-04".to_string()));
        let (g, f) = if swapped { (typed, given) } else { (given, typed) };
        rows.push((g, f, String::new()));
        let n = rows.len();
        prop_assert!(is_candidate(&rows, n - 2, n - 1));
    }
}

/// Rows of (given, family, date) from string slices.
fn rows(list: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    list.iter()
        .map(|(g, f, d)| (g.to_string(), f.to_string(), d.to_string()))
        .collect()
}

/// A name in Cyrillic whose Latin spelling the variant table maps to another sound ("Mykola"
/// to "Nikolai") meets its Latin record with no date of birth on the Cyrillic side.
#[test]
fn a_transliterated_name_without_a_date_is_a_candidate() {
    let list = rows(&[
        ("MYKOLA", "MARCHENKO", "2000"),
        ("Ivan", "Petrenko", "1990-05-06"),
        ("Микола", "Марченко", ""),
        ("Olena", "Marchuk", "2000"),
    ]);
    assert!(is_candidate(&list, 0, 2));
}

/// Given and family names swapped, the family name mistyped, no date of birth on one side.
#[test]
fn swapped_names_with_a_typo_and_no_date_are_a_candidate() {
    let list = rows(&[
        ("Tetiana", "Tkachenko", "1996-01-01"),
        ("Tkzchenko", "Tetiana", ""),
        ("Taras", "Shevchenko", "1996-01-01"),
    ]);
    assert!(is_candidate(&list, 0, 1));
}

/// Strangers who share only a name's first letters are not paired by the name passes.
#[test]
fn strangers_sharing_only_first_letters_are_not_candidates() {
    let list = rows(&[("Tetiana", "Tkachenko", ""), ("Tomas", "Tkalec", "")]);
    assert!(!is_candidate(&list, 0, 1));
}

/// Found by the property above: two name words that sound alike ("gotepe goteba") made no
/// pair of sounds, so the same person with a name word more ("kaka goteba") never met them
/// without a date of birth.
#[test]
fn a_name_whose_two_words_sound_alike_meets_the_same_name_with_a_word_more() {
    let rows = vec![
        (
            "gotepe".to_string(),
            "kaka goteba".to_string(),
            "1975-03-04".to_string(),
        ),
        ("gotepe".to_string(), "goteba".to_string(), String::new()),
    ];
    assert!(is_candidate(&rows, 0, 1));
}

/// Builds a dataset of records given as (column, value) lists.
fn records(list: &[&[(Column, &str)]]) -> passage_linkage::Dataset {
    let mut b = DatasetBuilder::new(0).unwrap();
    for rec in list {
        let mut r = InputRecord::default();
        for (c, v) in rec.iter() {
            r.set(*c, v);
        }
        b.push(&r).unwrap();
    }
    b.finish()
}

fn meets(ds: &passage_linkage::Dataset, i: usize, j: usize) -> bool {
    candidates(ds, BlockingSettings::default()).contains(&(i.min(j), i.max(j)))
}

/// A family name with the full name beside it and no given name: the full name's other
/// words are the given names, so the record meets the same person written in two parts.
#[test]
fn the_full_name_gives_the_part_a_record_left_empty() {
    use Column::*;
    let ds = records(&[
        &[
            (FamilyName, "Mohammed"),
            (FullName, "MOHAMMED, Ali Farah"),
            (DateOfBirth, "1991-08-24"),
        ],
        &[(GivenName, "Ali"), (FamilyName, "Mohammed")],
        &[
            (GivenName, "Omar"),
            (FamilyName, "Mohammed"),
            (DateOfBirth, "1991"),
        ],
    ]);
    assert!(meets(&ds, 0, 1));
    assert!(!meets(&ds, 1, 2), "another given name, no date: strangers");
}

/// A single name ("BUDI", as the full name) meets the same name written as a given name in
/// an older spelling, on the day and month of birth, with the year one off.
#[test]
fn a_single_name_meets_its_given_name_spelling_on_the_day_of_birth() {
    use Column::*;
    let ds = records(&[
        &[(FullName, "BUDI"), (DateOfBirth, "1964-06-20")],
        &[(GivenName, "Boedi"), (DateOfBirth, "1963-06-20")],
        &[(GivenName, "Slamet"), (DateOfBirth, "1963-06-20")],
    ]);
    assert!(meets(&ds, 0, 1));
    assert!(!meets(&ds, 0, 2));
}

/// A name in one part only ("Htet Htun" as given names) meets the same words in the other
/// part with one word spelled otherwise ("Htet Tun" as family name), without a date.
#[test]
fn a_name_in_one_part_meets_its_words_in_the_other_part() {
    use Column::*;
    let ds = records(&[
        &[(GivenName, "Htet Htun"), (DateOfBirth, "1992")],
        &[(FamilyName, "Htet Tun")],
        &[(FamilyName, "Htet Aung")],
    ]);
    assert!(meets(&ds, 0, 1));
    assert!(!meets(&ds, 0, 2));
}

/// Among hundreds of namesakes with no date of birth (a block compared by neighbourhoods),
/// the two records of one person born in the same place are neighbours: equal names are
/// ordered by place of birth, not left in file order.
#[test]
fn namesakes_without_a_date_are_neighbours_by_place_of_birth() {
    use Column::*;
    let places: Vec<String> = (0..400).map(|k| format!("Village{k:03}")).collect();
    let mut list: Vec<Vec<(Column, &str)>> = Vec::new();
    list.push(vec![
        (GivenName, "Ahmed"),
        (FamilyName, "Hassan"),
        (PlaceOfBirth, "Kassala"),
    ]);
    for p in &places {
        list.push(vec![
            (GivenName, "Ahmed"),
            (FamilyName, "Hassan"),
            (PlaceOfBirth, p),
        ]);
    }
    list.push(vec![
        (GivenName, "Ahmed"),
        (FamilyName, "Hassan"),
        (PlaceOfBirth, "Kassala"),
    ]);
    let refs: Vec<&[(Column, &str)]> = list.iter().map(|r| r.as_slice()).collect();
    let ds = records(&refs);
    let last = list.len() - 1;
    assert!(meets(&ds, 0, last));
}

/// A person known by one name meets their fuller record of the same citizenship with no date
/// on that side; two fuller records that share only that word are not paired by it.
#[test]
fn a_single_name_meets_a_fuller_record_of_its_country_and_only_it() {
    use Column::*;
    let ds = records(&[
        &[
            (GivenName, "Bikash"),
            (Citizenship, "NP"),
            (DateOfBirth, "1992"),
        ],
        &[
            (GivenName, "bikash"),
            (FamilyName, "yadav"),
            (Citizenship, "NP"),
        ],
        &[
            (GivenName, "Bikash"),
            (FamilyName, "Thapa"),
            (Citizenship, "NP"),
        ],
        &[
            (GivenName, "Bikash"),
            (FamilyName, "Gurung"),
            (Citizenship, "NP"),
        ],
        &[(FamilyName, "Bikash"), (Citizenship, "IN")],
    ]);
    assert!(meets(&ds, 0, 1));
    assert!(meets(&ds, 0, 2));
    assert!(!meets(&ds, 2, 3), "two fuller records share only a word");
    assert!(!meets(&ds, 0, 4), "another citizenship, no location: apart");
}
