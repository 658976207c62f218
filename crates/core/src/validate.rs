//! Validation of what people type: every problem is reported with the field, a stable code and a
//! message a person can act on, all at once rather than one at a time.

use serde::Serialize;

/// One problem with one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub code: crate::ErrorCode,
    pub message: String,
}

/// Collects field errors; `finish` turns an empty collection into `Ok`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Problems(pub Vec<FieldError>);

impl Problems {
    pub fn add(&mut self, field: &str, code: crate::ErrorCode, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_string(),
            code,
            message: message.into(),
        });
    }

    pub fn finish<T>(self, value: T) -> Result<T, Problems> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

/// Checks a free-text field: trimmed, within `max` characters, no control characters other than
/// line breaks and tabs. Returns the trimmed text, or `None` after recording the problem.
pub fn text(
    problems: &mut Problems,
    field: &str,
    value: &str,
    required: bool,
    max: usize,
) -> Option<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        if required {
            problems.add(
                field,
                crate::ErrorCode::Required,
                format!("{field} is required"),
            );
        }
        return None;
    }
    if trimmed.chars().count() > max {
        problems.add(
            field,
            crate::ErrorCode::TooLong,
            format!("{field} must be at most {max} characters"),
        );
        return None;
    }
    if trimmed
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        problems.add(
            field,
            crate::ErrorCode::InvalidCharacters,
            format!("{field} contains control characters"),
        );
        return None;
    }
    Some(trimmed.to_string())
}

/// A required value from a vocabulary: blank is `required` ("{field} is required"), a value
/// `parse` does not know is `unknown_value` with the message `unknown` gives (which names the
/// values allowed). Returns the value, or `None` after recording the problem.
pub fn required_value<T>(
    problems: &mut Problems,
    field: &str,
    value: &str,
    parse: impl FnOnce(&str) -> Option<T>,
    unknown: impl FnOnce() -> String,
) -> Option<T> {
    let v = value.trim();
    if v.is_empty() {
        problems.add(
            field,
            crate::ErrorCode::Required,
            format!("{field} is required"),
        );
        return None;
    }
    let got = parse(v);
    if got.is_none() {
        problems.add(field, crate::ErrorCode::UnknownValue, unknown());
    }
    got
}

/// Maximum length of a name part.
pub const NAME_MAX: usize = 200;
/// Maximum length of a narrative or summary.
pub const NARRATIVE_MAX: usize = 20_000;

/// A required staff member's id as typed (an assignee, say): present and an id. Whether the
/// person may hold the work is the store's question, asked of the case.
pub fn staff_id(field: &str, value: &str) -> Result<uuid::Uuid, Problems> {
    let mut p = Problems::default();
    let v = value.trim();
    if v.is_empty() {
        p.add(
            field,
            crate::ErrorCode::Required,
            format!("{field} is required"),
        );
        return Err(p);
    }
    uuid::Uuid::parse_str(v).map_err(|_| {
        p.add(
            field,
            crate::ErrorCode::InvalidId,
            format!("{field} must be a user's id"),
        );
        p
    })
}

/// A required free text that has passed [`text`]: trimmed, not empty, within its limit, without
/// control characters. Only [`Text::parse`] makes one, so a store operation that takes a `Text`
/// never checks the words again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text(String);

impl Text {
    /// Checks `value` as the required field `field` of at most `max` characters.
    pub fn parse(field: &str, value: &str, max: usize) -> Result<Text, Problems> {
        let mut p = Problems::default();
        let checked = text(&mut p, field, value, true, max);
        match checked {
            Some(t) if p.0.is_empty() => Ok(Text(t)),
            _ => Err(p),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl std::ops::Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

/// A language code as a user's saved choice: two or three lowercase letters (`ar`, `fil`).
/// Which languages the pages exist in is the web tier's business.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageCode(String);

impl LanguageCode {
    pub fn parse(typed: &str) -> Result<LanguageCode, Problems> {
        let l = typed.trim();
        if (2..=3).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_lowercase()) {
            return Ok(LanguageCode(l.to_string()));
        }
        let mut p = Problems::default();
        p.add(
            "language",
            crate::ErrorCode::UnsupportedLanguage,
            "a language is a two- or three-letter lowercase code",
        );
        Err(p)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_required_value_is_given_and_known() {
        let parse = |v: &str| (v == "done").then_some(1);
        let allowed = || "status must be one of: done".to_string();
        let mut p = Problems::default();
        assert_eq!(
            required_value(&mut p, "status", " done ", parse, allowed),
            Some(1)
        );
        assert!(p.0.is_empty());
        assert_eq!(required_value(&mut p, "status", "  ", parse, allowed), None);
        assert_eq!(
            required_value(&mut p, "status", "later", parse, allowed),
            None
        );
        let got: Vec<(&str, crate::ErrorCode, &str)> =
            p.0.iter()
                .map(|e| (e.field.as_str(), e.code, e.message.as_str()))
                .collect();
        assert_eq!(
            got,
            [
                ("status", crate::ErrorCode::Required, "status is required"),
                (
                    "status",
                    crate::ErrorCode::UnknownValue,
                    "status must be one of: done"
                ),
            ]
        );
    }

    #[test]
    fn text_rules() {
        let mut p = Problems::default();
        assert_eq!(
            text(&mut p, "given_name", "  Amina ", true, 10),
            Some("Amina".into())
        );
        assert_eq!(text(&mut p, "family_name", "   ", true, 10), None);
        assert_eq!(text(&mut p, "alias", "", false, 10), None);
        assert_eq!(text(&mut p, "x", "abcdefghijk", true, 10), None);
        assert_eq!(text(&mut p, "y", "a\u{0007}b", true, 10), None);
        assert_eq!(
            text(&mut p, "z", "line\nbreak", true, 20),
            Some("line\nbreak".into())
        );
        let codes: Vec<&str> = p.0.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(codes, vec!["required", "too_long", "invalid_characters"]);
        assert!(Problems::default().finish(1).is_ok());
    }

    #[test]
    fn a_language_code_is_two_or_three_lowercase_letters() {
        assert_eq!(
            LanguageCode::parse(" ar ").map(|l| l.as_str().to_string()),
            Ok("ar".into())
        );
        assert!(LanguageCode::parse("fil").is_ok());
        for bad in ["", "a", "Arabic", "AR", "e1", "abcd"] {
            assert!(LanguageCode::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_text_is_only_what_the_rules_let_through() {
        assert_eq!(
            Text::parse("reason", "  Full. ", 10).map(Text::into_string),
            Ok("Full.".to_string())
        );
        for bad in ["", "   ", "abcdefghijk", "a\u{0007}b"] {
            let p = Text::parse("reason", bad, 10).expect_err(bad);
            assert_eq!(p.0.len(), 1, "{bad:?}");
            assert_eq!(p.0[0].field, "reason");
        }
    }
}

#[cfg(test)]
mod staff_id_tests {
    use super::*;

    #[test]
    fn a_staff_id_is_required_and_an_id() {
        let id = uuid::Uuid::from_u128(7);
        assert_eq!(staff_id("assignee", &format!(" {id} ")).ok(), Some(id));
        let codes = |v: &str| {
            staff_id("assignee", v)
                .expect_err("invalid")
                .0
                .into_iter()
                .map(|f| (f.field, f.code))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            codes("  "),
            [("assignee".to_string(), crate::ErrorCode::Required)]
        );
        assert_eq!(
            codes("someone"),
            [("assignee".to_string(), crate::ErrorCode::InvalidId)]
        );
    }
}
