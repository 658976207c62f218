//! Jurisdiction profiles: the deadlines of a case follow the profile of its country. Two ship
//! inside the binary (`profiles/default.toml`, `profiles/gb.toml`); more, or replacements of
//! those by name, are read from `*.toml` files in the jurisdictions directory (`jurisdictions_dir`,
//! `PASSAGE_JURISDICTIONS_DIR`, default `DATA_DIR/jurisdictions`). Every profile is checked
//! with `Profile::validate`; a file that does not parse or does not pass stops the start with a
//! message naming the file.

use anyhow::{Context, Result, bail};
use passage_core::casework::deadlines::{Profile, Profiles};
use std::path::Path;

/// The built-in profiles, as shipped.
pub(crate) const BUILT_IN: &[(&str, &str)] = &[
    (
        "profiles/default.toml",
        include_str!("../profiles/default.toml"),
    ),
    ("profiles/gb.toml", include_str!("../profiles/gb.toml")),
];

pub(crate) fn parse(origin: &str, text: &str) -> Result<Profile> {
    let profile: Profile = toml::from_str(text)
        .with_context(|| format!("jurisdiction profile {origin} is not a valid profile"))?;
    if profile.name.trim().is_empty() {
        bail!("jurisdiction profile {origin}: name is empty");
    }
    profile
        .validate()
        .map_err(|e| anyhow::anyhow!("jurisdiction profile {origin}: {e}"))?;
    Ok(profile)
}

/// The built-in profiles, then those of `dir` (replacing a built-in of the same name). `dir`
/// may be missing unless `required` (it was configured explicitly).
pub fn load(dir: &Path, required: bool) -> Result<Profiles> {
    let mut all: Vec<(String, Profile)> = Vec::new();
    for (origin, text) in BUILT_IN {
        all.push((format!("built-in {origin}"), parse(origin, text)?));
    }
    match std::fs::read_dir(dir) {
        Ok(entries) => {
            let mut files: Vec<_> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect();
            files.sort();
            for path in files {
                let origin = path.display().to_string();
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("reading jurisdiction profile {origin}"))?;
                let profile = parse(&origin, &text)?;
                match all.iter_mut().find(|(_, p)| p.name == profile.name) {
                    Some(slot) if slot.0.starts_with("built-in") => *slot = (origin, profile),
                    Some(slot) => bail!(
                        "jurisdiction profiles {} and {origin} have the same name {}",
                        slot.0,
                        profile.name
                    ),
                    None => all.push((origin, profile)),
                }
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {}
        Err(e) => {
            return Err(e)
                .with_context(|| format!("reading the jurisdictions directory {}", dir.display()));
        }
    }
    // One country, one profile: otherwise which deadlines apply would depend on file order.
    for (i, (origin, p)) in all.iter().enumerate() {
        for (other_origin, q) in &all[i + 1..] {
            if let Some(c) = p
                .countries
                .iter()
                .find(|c| q.countries.iter().any(|d| d.eq_ignore_ascii_case(c)))
            {
                bail!(
                    "country {c} is in two jurisdiction profiles ({origin} and {other_origin}); give each country one profile"
                );
            }
        }
    }
    let position = all
        .iter()
        .position(|(_, p)| p.name == "default")
        .context("no jurisdiction profile named default")?;
    let (_, default) = all.remove(position);
    if !default.countries.is_empty() {
        bail!(
            "the default jurisdiction profile covers every other country: leave its countries empty"
        );
    }
    Profiles::new(default, all.into_iter().map(|(_, p)| p).collect())
        .map_err(|e| anyhow::anyhow!("jurisdiction profiles: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(files: &[(&str, &str)]) -> std::path::PathBuf {
        // Named after the first file, so each test's directory is its own.
        let d = std::env::temp_dir().join(format!(
            "passage-jurisdictions-{}-{}",
            std::process::id(),
            files[0].0
        ));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).expect("dir");
        for (name, text) in files {
            std::fs::write(d.join(name), text).expect("write");
        }
        d
    }

    #[test]
    fn the_built_in_profiles_load_and_cover_the_uk() {
        let p = load(Path::new("/nonexistent/passage/jurisdictions"), false).expect("built-in");
        let gb = p.for_country(Some("GB"));
        assert_eq!(gb.name, "gb");
        assert_eq!(gb.move_on_support_days, 45);
        assert_eq!(gb.follow_up_months, [3, 6, 12]);
        assert!(gb.holidays.contains(&"2026-12-25".to_string()));
        assert_eq!((gb.permit_reminder_days, gb.permit_appeal_days), (60, 14));
        let vts = gb
            .permit_types
            .iter()
            .find(|t| t.kind == passage_core::casework::permits::PermitKind::TraffickingVictim)
            .expect("the UK lists VTS");
        assert!(vts.name.contains("VTS"));
        assert_eq!(vts.max_months, Some(30));
        let default = p.for_country(Some("FR"));
        assert_eq!(default.name, "default");
        assert_eq!(
            (default.permit_reminder_days, default.permit_appeal_days),
            (60, 14)
        );
        assert!(default.permit_types.is_empty());
        assert!(load(Path::new("/nonexistent/passage/jurisdictions"), true).is_err());
    }

    #[test]
    fn files_add_and_replace_profiles_and_bad_ones_are_refused() {
        let d = dir(&[
            (
                "fr.toml",
                "name = \"fr\"\ncountries = [\"FR\"]\nrecovery_reflection_days = 30\nreasonable_grounds_working_days = 10\n",
            ),
            (
                "default.toml",
                "name = \"default\"\nrecovery_reflection_days = 45\nreasonable_grounds_working_days = 5\n",
            ),
            ("notes.txt", "not a profile"),
        ]);
        let p = load(&d, true).expect("profiles");
        assert_eq!(
            p.for_country(Some("fr")).reasonable_grounds_working_days,
            10
        );
        assert_eq!(p.for_country(Some("IT")).recovery_reflection_days, 45);
        assert_eq!(p.for_country(Some("GB")).name, "gb");

        let short = dir(&[(
            "short.toml",
            "name = \"x\"\nrecovery_reflection_days = 10\nreasonable_grounds_working_days = 5\n",
        )]);
        let e = format!("{:#}", load(&short, true).expect_err("too short"));
        assert!(
            e.contains("short.toml") && e.contains("at least 30 days"),
            "{e}"
        );

        let typo = dir(&[(
            "typo.toml",
            "name = \"x\"\nrecovery_days = 30\nreasonable_grounds_working_days = 5\n",
        )]);
        let e = format!("{:#}", load(&typo, true).expect_err("unknown field"));
        assert!(e.contains("typo.toml"), "{e}");

        let twice = dir(&[(
            "uk2.toml",
            "name = \"uk2\"\ncountries = [\"GB\"]\nrecovery_reflection_days = 30\nreasonable_grounds_working_days = 5\n",
        )]);
        let e = format!("{:#}", load(&twice, true).expect_err("two profiles for GB"));
        assert!(e.contains("GB"), "{e}");
    }
}
