//! Numbers as people type them. A receipt, a date or a phone number typed on an Arabic, Persian,
//! Urdu, Hindi, Nepali or Bengali keyboard arrives in that script's digits (`٧١٤٤`, `۷۱۴۴`,
//! `७१४४`), sometimes with the script's own separators or invisible direction marks. Every
//! place a number is typed reads it through [`ascii_digits`] first, so such input means what it
//! says instead of being refused.

use std::borrow::Cow;

/// The value of a decimal digit of the scripts migrants' keyboards type, or `None`.
fn digit(c: char) -> Option<u32> {
    let zero = match c {
        '0'..='9' => '0',
        '\u{0660}'..='\u{0669}' => '\u{0660}', // Arabic-Indic
        '\u{06F0}'..='\u{06F9}' => '\u{06F0}', // Extended Arabic-Indic (Persian, Urdu)
        '\u{0966}'..='\u{096F}' => '\u{0966}', // Devanagari (Hindi, Nepali)
        '\u{09E6}'..='\u{09EF}' => '\u{09E6}', // Bengali
        '\u{0E50}'..='\u{0E59}' => '\u{0E50}', // Thai
        '\u{1040}'..='\u{1049}' => '\u{1040}', // Myanmar
        '\u{FF10}'..='\u{FF19}' => '\u{FF10}', // Fullwidth
        _ => return None,
    };
    Some(c as u32 - zero as u32)
}

/// `s` with every digit of those scripts as an ASCII digit, the Arabic decimal and thousands
/// separators as `.` and `,`, the Arabic date separator and the Unicode hyphens as `-`, and
/// the invisible direction and joining marks dropped. Borrowed when nothing changes.
pub fn ascii_digits(s: &str) -> Cow<'_, str> {
    let plain = |c: char| c.is_ascii() && !c.is_ascii_control() || c == ' ';
    if s.chars().all(plain) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\u{066B}' => out.push('.'),
            '\u{066C}' | '\u{060C}' => out.push(','),
            '\u{060D}' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2212}' => {
                out.push('-')
            }
            '\u{200E}'
            | '\u{200F}'
            | '\u{061C}'
            | '\u{200B}'
            | '\u{200C}'
            | '\u{200D}'
            | '\u{2066}'..='\u{2069}'
            | '\u{202A}'..='\u{202E}'
            | '\u{FEFF}' => {}
            '\u{00A0}' | '\u{202F}' | '\u{2007}' => out.push(' '),
            c => match digit(c) {
                Some(d) => out.push(char::from(b'0' + d as u8)),
                None => out.push(c),
            },
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn arabic_persian_and_devanagari_digits_read_as_ascii() {
        assert_eq!(ascii_digits("٧١٤٤ ٠٢٣٩"), "7144 0239");
        assert_eq!(ascii_digits("۷۱۴۴-۰۲۳۹"), "7144-0239");
        assert_eq!(ascii_digits("७१४४"), "7144");
        assert_eq!(ascii_digits("১২৩"), "123");
        assert_eq!(ascii_digits("１２３"), "123");
        assert_eq!(ascii_digits("٢٠٢٦\u{060D}١٢\u{060D}٠٦"), "2026-12-06");
        assert_eq!(ascii_digits("\u{200F}+٩٦١ ٣ ١٢٣ ٤٥٦"), "+961 3 123 456");
        assert_eq!(ascii_digits("١٢٬٥٠٠٫٧٥"), "12,500.75");
    }

    #[test]
    fn plain_text_is_borrowed_and_letters_are_kept() {
        assert!(matches!(ascii_digits("2026-12-06"), Cow::Borrowed(_)));
        assert_eq!(ascii_digits("لبنان ٣"), "لبنان 3");
    }

    proptest! {
        /// Whatever the script of each digit, the value read is the number typed.
        #[test]
        fn every_script_reads_the_same_number(n in 0u64..10_000_000_000, script in 0usize..8) {
            let zeros = ['0', '\u{0660}', '\u{06F0}', '\u{0966}', '\u{09E6}', '\u{0E50}', '\u{1040}', '\u{FF10}'];
            let typed: String = n
                .to_string()
                .chars()
                .map(|c| char::from_u32(zeros[script] as u32 + (c as u32 - '0' as u32)).unwrap_or('?'))
                .collect();
            prop_assert_eq!(ascii_digits(&typed).into_owned(), n.to_string());
        }
    }
}
