//! The hot loops of record linkage, measured: the string comparator, name normalisation (with
//! transliteration), scoring one candidate pair, and a whole run on 10,000 generated records.
//! `cargo bench -p passage-linkage`; the end-to-end comparison with Splink is
//! `scripts/bench-linkage`.

use criterion::{Criterion, criterion_group, criterion_main};
use passage_linkage::compare::jaro_winkler;
use passage_linkage::normalize::name_tokens;
use passage_linkage::{Column, Dataset, DatasetBuilder, InputRecord, Settings, run};
use std::hint::black_box;

const GIVEN: [&str; 12] = [
    "Mohammed",
    "محمد",
    "Olena",
    "Олена",
    "Tesfaye",
    "Priya",
    "प्रिया",
    "Nguyen Van",
    "Somsak",
    "Maricel",
    "Abdi",
    "Fatima",
];
const FAMILY: [&str; 12] = [
    "Al-Hassan",
    "الحسن",
    "Shevchenko",
    "Шевченко",
    "Bekele",
    "Sharma",
    "शर्मा",
    "Tran",
    "Chaiyaphum",
    "Santos",
    "Ali",
    "Haddad",
];

/// `n` records: names from the lists above (several scripts), a few spellings and dates each.
fn dataset(n: usize) -> Dataset {
    let mut b = DatasetBuilder::new(0).expect("builder");
    let mut z = 0x5eedu64;
    for k in 0..n {
        z = z
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let h = (z >> 33) as usize;
        let typo = if h.is_multiple_of(7) { "e" } else { "" };
        let given = format!("{}{typo}", GIVEN[h % 12]);
        let person = k / 3 + h % 2;
        let date = format!(
            "{}-{:02}-{:02}",
            1950 + person % 60,
            1 + person % 12,
            1 + person % 28
        );
        let mut r = InputRecord::default();
        r.set(Column::GivenName, &given);
        r.set(Column::FamilyName, FAMILY[(h / 12) % 12]);
        r.set(Column::DateOfBirth, &date);
        r.set(Column::Sex, if h.is_multiple_of(2) { "F" } else { "M" });
        b.push(&r).expect("record");
    }
    b.finish()
}

fn hot_loops(c: &mut Criterion) {
    let pairs = [
        ("mohammed", "muhammad"),
        ("shevchenko", "shevchenco"),
        ("chaiyaphum", "chaiyapum"),
        ("bekele", "haddad"),
    ];
    c.bench_function("jaro_winkler, 4 name pairs", |b| {
        b.iter(|| {
            for (x, y) in pairs {
                black_box(jaro_winkler(
                    black_box(x.as_bytes()),
                    black_box(y.as_bytes()),
                ));
            }
        })
    });
    c.bench_function("name_tokens, 6 names in 4 scripts", |b| {
        b.iter(|| {
            for name in [
                "Mohammed Al-Hassan",
                "محمد الحسن",
                "Олена Шевченко",
                "प्रिया शर्मा",
                "Nguyễn Văn Minh",
                "José Rodríguez Castillo",
            ] {
                black_box(name_tokens(black_box(name)));
            }
        })
    });
    let ds = dataset(10_000);
    let settings = Settings {
        u_samples: 50_000,
        ..Settings::default()
    };
    let outcome = run(&ds, &settings, None, &|_| {}).expect("run");
    let scorer = passage_linkage::Scorer::new(&ds, &outcome.model);
    c.bench_function("score one candidate pair", |b| {
        let mut i = 0usize;
        b.iter(|| {
            i = (i + 7919) % 9_999;
            black_box(scorer.probability(i, i + 1))
        })
    });
    let mut group = c.benchmark_group("whole run");
    group.sample_size(10);
    group.bench_function("dedupe 10,000 records", |b| {
        b.iter(|| black_box(run(&ds, &settings, None, &|_| {}).expect("run").pairs.len()))
    });
    group.finish();
}

criterion_group!(benches, hot_loops);
criterion_main!(benches);
