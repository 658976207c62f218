//! Embeds every locale: `locales/<lang>.ftl` and, after it, the topic files in
//! `locales/<lang>/*.ftl` (by name), so adding a language is adding a file and a new capability
//! brings its messages in files of its own. Also embeds the default rights pages
//! (`content/rights/**/*.md`).

use std::fmt::Write;
use std::path::{Path, PathBuf};

fn ftl_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p: &PathBuf| p.is_file() && p.extension().is_some_and(|e| e == "ftl"));
    files.sort();
    files
}

fn main() {
    let dir =
        Path::new(&std::env::var("CARGO_MANIFEST_DIR").expect("manifest dir")).join("locales");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut out = String::from("pub const LOCALES: &[(&str, &str)] = &[\n");
    for path in ftl_files(&dir) {
        println!("cargo:rerun-if-changed={}", path.display());
        let lang = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("file name");
        let topics = dir.join(lang);
        println!("cargo:rerun-if-changed={}", topics.display());
        let mut parts = vec![format!("include_str!({:?})", path.display().to_string())];
        for topic in ftl_files(&topics) {
            println!("cargo:rerun-if-changed={}", topic.display());
            parts.push(format!("include_str!({:?})", topic.display().to_string()));
        }
        let _ = writeln!(
            out,
            "    ({lang:?}, concat!({})),",
            parts.join(", \"\\n\", ")
        );
    }
    out.push_str("];\n");
    let target = Path::new(&std::env::var("OUT_DIR").expect("out dir")).join("locales.rs");
    std::fs::write(target, out).expect("write locales.rs");
    rights_content();
}

/// Every `*.md` under `content/rights/`, with its path there: the rights pages shipped by
/// default (a deployment adds its own folder at start, without a rebuild).
fn rights_content() {
    let root = Path::new(&std::env::var("CARGO_MANIFEST_DIR").expect("manifest dir"))
        .join("content")
        .join("rights");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        println!("cargo:rerun-if-changed={}", dir.display());
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut out = String::from("pub const RIGHTS: &[(&str, &str)] = &[\n");
    for path in files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path
            .strip_prefix(&root)
            .expect("under the root")
            .display()
            .to_string();
        let _ = writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    out.push_str("];\n");
    let target = Path::new(&std::env::var("OUT_DIR").expect("out dir")).join("rights.rs");
    std::fs::write(target, out).expect("write rights.rs");
}
