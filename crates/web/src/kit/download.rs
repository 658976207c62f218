//! Tables as downloads: CSV (through the `csv` crate) and XLSX ([`super::xlsx`]), both from
//! the same rows. A CSV text cell that a spreadsheet would read as a formula (starting with
//! `=`, `+`, `-`, `@`, a tab or a carriage return) is prefixed with `'`.

use super::WebError;
use super::xlsx::{self, Value};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// A download's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    pub fn parse(text: &str) -> Option<Format> {
        match text.trim() {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }
}

/// A text cell as CSV keeps it: one a spreadsheet would run as a formula gets a leading `'`.
pub fn defused(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

/// The rows as CSV.
pub fn csv(rows: &[Vec<Value>]) -> Result<Vec<u8>, WebError> {
    let mut w = ::csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    for row in rows {
        let fields: Vec<String> = row
            .iter()
            .map(|v| match v {
                Value::Text(t) => defused(t),
                Value::Number(n) => n.to_string(),
                Value::Empty => String::new(),
            })
            .collect();
        w.write_record(&fields)
            .map_err(|_| WebError::internal("csv"))?;
    }
    w.into_inner().map_err(|_| WebError::internal("csv"))
}

/// The rows as a download named `name` (without extension) in `format`.
pub fn respond(format: Format, name: &str, rows: &[Vec<Value>]) -> Result<Response, WebError> {
    let (body, kind, ext) = match format {
        Format::Csv => (csv(rows)?, "text/csv; charset=utf-8", "csv"),
        Format::Xlsx => (
            xlsx::workbook(name, rows),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
    };
    let file: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut res = (StatusCode::OK, body).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file}.{ext}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_that_would_be_a_formula_is_defused() {
        for (given, kept) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+1", "'+1"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("trafficking", "trafficking"),
            ("", ""),
        ] {
            assert_eq!(defused(given), kept);
        }
        let out = csv(&[
            vec![Value::Text("type".into()), Value::Text("count".into())],
            vec![Value::Text("=cmd, \"x\"".into()), Value::Number(3)],
            vec![Value::Text("b".into()), Value::Empty],
        ])
        .expect("csv");
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "type,count\n\"'=cmd, \"\"x\"\"\",3\nb,\n"
        );
    }
}
