//! End-to-end: the real `passage linkage` binary on small CSV files.

use std::path::{Path, PathBuf};
use std::process::Command;

const PEOPLE: usize = 3000;

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("passage-linkage-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn passage(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_passage"))
        .args(args)
        .env_remove("PASSAGE_DATA_DIR")
        .output()
        .unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Many distinct people (names built from syllables, so most are rare and some common, as in a
/// register), with a few recorded twice under another spelling or script.
fn people() -> String {
    let syl = [
        "ka", "lo", "mi", "ra", "te", "su", "na", "bo", "di", "fe", "go", "hu", "ji", "ze", "vo",
        "pa", "ri", "sa", "to", "ne",
    ];
    let mut out = String::from("rec,first_name,family_name,date_of_birth,sex,phone,truth\n");
    for n in 1..=PEOPLE {
        // splitmix64: a well-mixed draw per person, the same on every run.
        let mut z = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        let h = (z ^ (z >> 31)) as usize;
        let given = format!("{}{}", syl[h % 7], syl[(h / 7) % 20]);
        let family = format!(
            "{}{}{}",
            syl[(h / 140) % 20],
            syl[(h / 2800) % 20],
            syl[(h / 56_000) % 13]
        );
        let (year, month, day) = (1950 + h % 60, 1 + (h / 60) % 12, 1 + (h / 720) % 28);
        let sex = if h.is_multiple_of(2) { "F" } else { "M" };
        out.push_str(&format!(
            "p{n},{given},{family},{year}-{month:02}-{day:02},{sex},,t{n}\n"
        ));
        // One person in ten is recorded again: a letter of the family name mistyped, or the
        // day and month swapped.
        if n.is_multiple_of(10) {
            let typo = format!("{}x", &family[..family.len() - 1]);
            out.push_str(&format!(
                "q{n},{given},{typo},{year}-{month:02}-{day:02},{sex},,t{n}\n"
            ));
        } else if n % 10 == 5 {
            out.push_str(&format!(
                "q{n},{given},{family},{year}-{day:02}-{month:02},{sex},,t{n}\n"
            ));
        }
    }
    // Duplicates: Arabic script, a typo and a partial date, a swapped name order.
    out.push_str("d1,محمد,حداد,1990-05-07,M,+961 70 123 456,tm\n");
    out.push_str("d2,Mohammed,Haddad,1990-05-07,M,0096170123456,tm\n");
    out.push_str("d3,Muhamad,Hadad,1990-07-05,M,,tm\n");
    out.push_str("d4,Aleksandr,Shevchenko,1985-03-02,M,,ta\n");
    out.push_str("d5,Александр,Шевченко,1985-03-02,M,,ta\n");
    out.push_str("d6,Kuznetsova,Yelena,1979-11-23,F,,te\n");
    out.push_str("d7,Elena,Kuznetsova,1979-11-23,F,,te\n");
    out
}

fn read(p: &Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(p)
        .unwrap()
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

#[test]
fn dedupe_finds_the_same_person_across_scripts_and_writes_the_contract() {
    let d = dir("dedupe");
    let input = d.join("in.csv");
    std::fs::write(&input, people()).unwrap();
    let (pairs, clusters) = (d.join("pairs.csv"), d.join("clusters.csv"));
    let out = passage(&[
        "linkage",
        "dedupe",
        "--input",
        s(&input),
        "--map",
        "id=rec,given_name=first_name",
        "--pairs",
        s(&pairs),
        "--clusters",
        s(&clusters),
        "--truth",
        "truth",
        "--explain",
        "1",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    // Progress carries counts and how far the longest step is, never a name.
    assert!(stderr.contains("comparing: 100%"), "{stderr}");
    for name in ["Mohammed", "Haddad", "Olga", "محمد"] {
        assert!(!stderr.contains(name), "{stderr}");
    }
    let p = read(&pairs);
    assert_eq!(p[0], ["id_l", "id_r", "probability"]);
    let c = read(&clusters);
    assert_eq!(c[0], ["id", "cluster"]);
    assert_eq!(c.len() - 1, PEOPLE + PEOPLE / 5 + 7, "every id once");
    let cluster = |id: &str| c.iter().find(|r| r[0] == id).unwrap()[1].clone();
    assert_eq!(cluster("d1"), cluster("d2"));
    assert_eq!(cluster("d2"), cluster("d3"));
    assert_eq!(cluster("d4"), cluster("d5"));
    assert_eq!(cluster("d6"), cluster("d7"));
    assert_ne!(cluster("d1"), cluster("d4"));
    let found = (5..=PEOPLE)
        .step_by(5)
        .filter(|n| cluster(&format!("p{n}")) == cluster(&format!("q{n}")))
        .count();
    assert!(
        found * 100 >= (PEOPLE / 5) * 95,
        "{found} of {}",
        PEOPLE / 5
    );
    assert_ne!(cluster("p1"), cluster("p2"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("pairs completeness"), "{stdout}");
    assert!(stdout.contains("probability"), "{stdout}");
    // Against a truth, F1 at each threshold and where it peaks (the benchmark reads these).
    assert!(stdout.contains("at threshold 0.50  precision"), "{stdout}");
    assert!(stdout.contains("F1 peaks at threshold"), "{stdout}");
    // Same input, same output.
    let (pairs2, clusters2) = (d.join("pairs2.csv"), d.join("clusters2.csv"));
    let again = passage(&[
        "linkage",
        "dedupe",
        "--input",
        s(&input),
        "--map",
        "id=rec,given_name=first_name",
        "--pairs",
        s(&pairs2),
        "--clusters",
        s(&clusters2),
        "--threads",
        "1",
        "--quiet",
    ]);
    assert!(again.status.success());
    assert_eq!(read(&clusters), read(&clusters2));
    assert_eq!(read(&pairs), read(&pairs2));
}

#[test]
fn link_plain_and_encoded() {
    let d = dir("link");
    let all = people();
    let mut lines = all.lines();
    let header = lines
        .next()
        .unwrap()
        .replace("rec,first_name", "id,given_name");
    let (mut left, mut right) = (format!("{header}\n"), format!("{header}\n"));
    for (k, l) in lines.enumerate() {
        // The second record of each duplicated person goes right, the first left; the
        // others are shared out.
        let right_side = if l.starts_with('d') {
            ["d2", "d5", "d7"].iter().any(|d| l.starts_with(d))
        } else {
            k % 3 == 0
        };
        if right_side {
            right.push_str(l);
            right.push('\n');
        } else {
            left.push_str(l);
            left.push('\n');
        }
    }
    let (a, b) = (d.join("a.csv"), d.join("b.csv"));
    std::fs::write(&a, left).unwrap();
    std::fs::write(&b, right).unwrap();
    let (pairs, clusters) = (d.join("pairs.csv"), d.join("clusters.csv"));
    let out = passage(&[
        "linkage",
        "link",
        "--left",
        s(&a),
        "--right",
        s(&b),
        "--pairs",
        s(&pairs),
        "--clusters",
        s(&clusters),
        "--threshold",
        "0.8",
        "--quiet",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let p = read(&pairs);
    assert!(p.iter().any(|r| r[0] == "d1" && r[1] == "d2"), "{p:?}");
    assert!(p.iter().any(|r| r[0] == "d4" && r[1] == "d5"), "{p:?}");
    assert_eq!(read(&clusters).len() - 1, PEOPLE + PEOPLE / 5 + 7);

    let key = d.join("key");
    std::fs::write(&key, "a key the two partners share, kept secret\n").unwrap();
    let (ea, eb) = (d.join("ea.csv"), d.join("eb.csv"));
    for (input, output) in [(&a, &ea), (&b, &eb)] {
        let out = passage(&[
            "linkage",
            "encode",
            "--input",
            s(input),
            "--key-file",
            s(&key),
            "--output",
            s(output),
            "--quiet",
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let enc = std::fs::read_to_string(&ea).unwrap();
    assert!(enc.starts_with("id,clk\n"));
    assert!(
        !enc.contains("Haddad") && !enc.contains("1990-05-07"),
        "no identity travels"
    );
    let (pairs, clusters) = (d.join("epairs.csv"), d.join("eclusters.csv"));
    let out = passage(&[
        "linkage",
        "link",
        "--left",
        s(&ea),
        "--right",
        s(&eb),
        "--encoded",
        "--pairs",
        s(&pairs),
        "--clusters",
        s(&clusters),
        "--quiet",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let p = read(&pairs);
    assert!(p.iter().any(|r| r[0] == "d1" && r[1] == "d2"), "{p:?}");
}

#[test]
fn bad_input_is_one_clear_line() {
    let d = dir("bad");
    let (pairs, clusters) = (d.join("p.csv"), d.join("c.csv"));
    let cases: [(&str, &[&str], &str); 4] = [
        ("name,given_name\nx,Amina\n", &[], "no \"id\" column"),
        (
            "id,given_name\n1,Amina\n",
            &["--map", "nickname=given_name"],
            "unknown column",
        ),
        (
            "id,given_name\n1,Amina\n",
            &["--map", "given_name=first"],
            "not in the header",
        ),
        (
            "id,date_of_birth\n1,07/05/1990\n",
            &["--strict"],
            "column \"date_of_birth\"",
        ),
    ];
    for (k, (csv, extra, expect)) in cases.iter().enumerate() {
        let input = d.join(format!("in{k}.csv"));
        std::fs::write(&input, csv).unwrap();
        let mut args = vec![
            "linkage",
            "dedupe",
            "--input",
            s(&input),
            "--pairs",
            s(&pairs),
            "--clusters",
            s(&clusters),
        ];
        args.extend_from_slice(extra);
        let out = passage(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success());
        assert!(stderr.contains(expect), "{stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
        assert!(!stderr.contains("panicked"));
        assert!(!stderr.contains("07/05/1990"), "the value is personal data");
    }
}

/// The register of [`people`] with damaged values appended: an OCR-damaged date, a year before
/// the common era (two ways), an impossible date, a name in a script nothing transliterates,
/// a phone with no digits. Among thousands of people, so the model is trained as in a real run.
const NOISY: &str = "za1,Amina,Haddad,1968-12-23,F,+961 70 123 456,ta\n\
    za2,Amina,Haddad,1968-|2-23,F,+961 70 123 456,ta\n\
    zb1,Olena,Shevchenko,-0044-03-15,F,,tb\n\
    zb2,Olena,Shevchenko,44 BC,F,n/a,tb\n\
    zc1,Karim,Nasser,2023-02-30,M,,tc\n\
    \"zc2\",\"Karim\",\"Nasser\",2023-02-14,M,,tc\n\
    zd1,\u{13000}\u{13001},Haddad,1990-01-01,M,,td\n\
    zd2,\u{13000}\u{13001},Haddad,1990-01-01,M,,td\n";

fn noisy_run(d: &Path, extra: &[&str]) -> std::process::Output {
    let input = d.join("noisy.csv");
    std::fs::write(&input, format!("{}{NOISY}", people())).unwrap();
    let (pairs, clusters) = (d.join("pairs.csv"), d.join("clusters.csv"));
    let mut args = vec![
        "linkage",
        "dedupe",
        "--input",
        s(&input),
        "--map",
        "id=rec,given_name=first_name",
        "--pairs",
        s(&pairs),
        "--clusters",
        s(&clusters),
        "--quiet",
    ];
    args.extend_from_slice(extra);
    passage(&args)
}

#[test]
fn noisy_values_are_kept_and_counted_per_column() {
    let d = dir("noisy");
    let out = noisy_run(&d, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    // Per column, how many values could not be read: four dates (damaged, two before the
    // common era, one impossible), two names, one phone.
    let line = |column: &str| {
        stderr
            .lines()
            .find(|l| l.contains(&format!("in column {column} ")))
            .unwrap_or_else(|| panic!("no count for {column}: {stderr}"))
            .to_string()
    };
    assert!(
        line("date_of_birth").contains(": 4 values in column"),
        "{stderr}"
    );
    assert!(
        line("given_name").contains(": 2 values in column"),
        "{stderr}"
    );
    assert!(line("phone").contains(": 1 value in column"), "{stderr}");
    assert!(!stderr.contains("in column family_name"), "{stderr}");
    assert_eq!(
        stderr.trim().lines().count(),
        3,
        "--quiet: the counts only: {stderr}"
    );
    for value in ["1968-|2-23", "44 BC", "2023-02-30", "Haddad", "\u{13000}"] {
        assert!(!stderr.contains(value), "personal data in {stderr}");
    }
    // Every record is kept and the people are still found: a damaged date neither agrees nor
    // disagrees, and the name nothing transliterates meets its own spelling.
    let c = read(&d.join("clusters.csv"));
    assert_eq!(c.len() - 1, PEOPLE + PEOPLE / 5 + 7 + 8, "every id once");
    let cluster = |id: &str| c.iter().find(|r| r[0] == id).unwrap()[1].clone();
    for (a, b) in [
        ("za1", "za2"),
        ("zb1", "zb2"),
        ("zc1", "zc2"),
        ("zd1", "zd2"),
    ] {
        assert_eq!(cluster(a), cluster(b), "{a} {b}");
    }
    assert_ne!(cluster("za1"), cluster("zd1"));
}

#[test]
fn strict_refuses_the_first_unreadable_value_naming_its_line_and_column() {
    let d = dir("noisy-strict");
    let out = noisy_run(&d, &["--strict"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    // The first such value is za2's date: the second row after the register.
    let lines = people().lines().count();
    assert!(
        stderr.contains(&format!(
            "line {} (data row {}), column \"date_of_birth\"",
            lines + 2,
            lines + 1
        )),
        "{stderr}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(!stderr.contains("1968-|2-23"), "the value is personal data");
    assert!(!stderr.contains("panicked"));

    // The register alone, every value readable, passes --strict.
    let input = d.join("clean.csv");
    std::fs::write(&input, people()).unwrap();
    let out = passage(&[
        "linkage",
        "dedupe",
        "--input",
        s(&input),
        "--map",
        "id=rec,given_name=first_name",
        "--pairs",
        s(&d.join("p.csv")),
        "--clusters",
        s(&d.join("c.csv")),
        "--quiet",
        "--strict",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
