//! The files a deployment or an analyst hands the binary, fuzzed: linkage CSV files, screening
//! instruments and jurisdiction profiles. Generated inputs are arbitrary text, or the real
//! thing (a header of recognised columns, a shipped file) with lines dropped, repeated and
//! values replaced. Whatever the file holds, reading it gives a value or an error naming the
//! problem, never a panic. `PASSAGE_FUZZ_CASES` sets the inputs per target.

use passage_linkage::{Column, DatasetBuilder};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::collections::HashMap;
use std::time::Instant;

fn cases(default: u32) -> u32 {
    std::env::var("PASSAGE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Runs `check` over `cases` inputs; a panic inside fails with the smallest input found.
fn run<S: Strategy>(name: &str, cases: u32, strategy: S, check: impl Fn(S::Value)) {
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let tried = std::cell::Cell::new(0u64);
    let started = Instant::now();
    let result = runner.run(&strategy, |input| {
        tried.set(tried.get() + 1);
        check(input);
        Ok(())
    });
    eprintln!(
        "fuzz {name}: {} inputs in {:.1} s",
        tried.get(),
        started.elapsed().as_secs_f64()
    );
    if let Err(e) = result {
        panic!("fuzz {name}: {e}");
    }
}

/// A cell: what spreadsheets export, and what they should not.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[A-Za-zÀ-ÿ '-]{0,12}",
        2 => "[0-9]{0,4}(-[0-9]{0,2}){0,2}",
        1 => ".{0,16}",
        1 => "\"[^\"]{0,8}\"?\"?",
        1 => Just(String::new()),
    ]
}

/// A CSV file: a header of recognised (and unknown) columns, rows of cells of any length,
/// joined by commas, with stray quotes and line ends; or arbitrary bytes.
fn csv_file() -> impl Strategy<Value = Vec<u8>> {
    let mut names: Vec<String> = Column::ALL.iter().map(|c| c.name().to_string()).collect();
    names.extend(["id", "truth", "nin", "", "id"].map(String::from));
    let header = proptest::collection::vec(proptest::sample::select(names), 0..8);
    let rows = proptest::collection::vec(proptest::collection::vec(cell(), 0..9), 0..12);
    let shaped = (
        header,
        rows,
        prop_oneof![Just("\n"), Just("\r\n"), Just("\r")],
    )
        .prop_map(|(header, rows, end)| {
            let mut text = header.join(",");
            for row in rows {
                text.push_str(end);
                text.push_str(&row.join(","));
            }
            text.into_bytes()
        });
    prop_oneof![
        4 => shaped,
        1 => proptest::collection::vec(any::<u8>(), 0..300),
    ]
}

#[test]
fn linkage_csv_files_are_read_or_refused_without_a_panic() {
    let dir = std::env::temp_dir().join(format!("passage-fuzz-csv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("input.csv");
    let exact = ["nin".to_string()];
    run(
        "linkage CSV",
        cases(2000),
        (csv_file(), any::<bool>(), any::<bool>()),
        |(bytes, strict, with_truth)| {
            std::fs::write(&path, &bytes).expect("write");
            let mut builder = DatasetBuilder::new(exact.len()).expect("builder");
            let mut loaded = crate::linkage::Loaded::default();
            let _ = crate::linkage::read_into(
                &path,
                &mut builder,
                &HashMap::new(),
                &exact,
                with_truth.then_some("truth"),
                strict,
                &mut loaded,
            );
        },
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A shipped file changed the way hand edits go wrong: lines dropped or repeated, values
/// after `=` replaced by anything, the text cut short.
fn edited(originals: Vec<&'static str>) -> impl Strategy<Value = String> {
    let edit = (
        proptest::sample::select(originals),
        proptest::collection::vec((any::<prop::sample::Index>(), 0u8..4, ".{0,12}"), 0..6),
        proptest::option::of(any::<prop::sample::Index>()),
    )
        .prop_map(|(text, edits, cut)| {
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            for (at, how, value) in edits {
                if lines.is_empty() {
                    break;
                }
                let i = at.index(lines.len());
                match how {
                    0 => {
                        lines.remove(i);
                    }
                    1 => {
                        let line = lines[i].clone();
                        lines.insert(i, line);
                    }
                    2 => {
                        if let Some((key, _)) = lines[i].split_once('=') {
                            lines[i] = format!("{key}= {value}");
                        }
                    }
                    _ => {
                        if let Some((key, _)) = lines[i].split_once('=') {
                            lines[i] = format!("{key}= \"{}\"", value.replace('"', ""));
                        }
                    }
                }
            }
            let mut text = lines.join("\n");
            if let Some(cut) = cut {
                let mut at = cut.index(text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                text.truncate(at);
            }
            text
        });
    prop_oneof![4 => edit, 1 => ".{0,200}"]
}

#[test]
fn screening_instruments_are_read_or_refused_without_a_panic() {
    let shipped: Vec<&'static str> = passage_core::screening::BUILTIN
        .iter()
        .map(|(_, text)| *text)
        .collect();
    run("instrument files", cases(1500), edited(shipped), |text| {
        let _ = passage_core::screening::Instrument::from_toml("fuzz.toml", &text);
    });
}

#[test]
fn jurisdiction_profiles_are_read_or_refused_without_a_panic() {
    let shipped: Vec<&'static str> = crate::jurisdictions::BUILT_IN
        .iter()
        .map(|(_, text)| *text)
        .collect();
    run("profile files", cases(1500), edited(shipped), |text| {
        let _ = crate::jurisdictions::parse("fuzz.toml", &text);
    });
}
