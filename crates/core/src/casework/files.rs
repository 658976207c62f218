//! Attachments: what a file is (by its first bytes, never by its name or the type the browser
//! claims), and image metadata removed before anything is stored.
//!
//! A phone photo of a passport or a payslip carries EXIF: the GPS position where it was taken
//! (often the shelter, or the place the person is hiding), the time, the device. None of that
//! is needed for casework and all of it can hurt someone, so it is cut out here, in pure code,
//! before the file is sealed:
//!
//! - JPEG: every segment is walked; APP1 (EXIF, XMP), APP13 (IPTC/Photoshop), COM and every
//!   other APPn are dropped, except APP0 (JFIF), APP2 holding an ICC colour profile and APP14
//!   (Adobe colour transform), which the picture needs to look right. Bytes after the end of
//!   the image are dropped too (they can hide anything).
//! - PNG: the text chunks (tEXt, zTXt, iTXt), eXIf and tIME are dropped, and anything after IEND.
//! - PDF: the document information (author, producer, dates, any other key) and XMP metadata
//!   streams are blanked in place, in every revision (see [`super::pdf`]); an encrypted PDF or
//!   one whose information sits in a compressed object stream is refused.
//! - Plain text is kept as it is.
//!
//! Malformed files are refused rather than stored half-cleaned.

/// The kinds of file Passage accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Pdf,
    Jpeg,
    Png,
    Text,
}

impl FileType {
    /// The content type stored and served.
    pub fn content_type(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
            FileType::Text => "text/plain; charset=utf-8",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            FileType::Pdf => "pdf",
            FileType::Jpeg => "jpg",
            FileType::Png => "png",
            FileType::Text => "txt",
        }
    }
}

/// Why a file is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileError {
    Empty,
    TooLarge {
        max: usize,
    },
    Unsupported,
    Malformed(&'static str),
    /// The file is well formed but its metadata cannot be removed soundly (the reason).
    Uncleanable(&'static str),
}

impl FileError {
    pub fn code(self) -> crate::ErrorCode {
        match self {
            FileError::Empty => crate::ErrorCode::EmptyFile,
            FileError::TooLarge { .. } => crate::ErrorCode::FileTooLarge,
            FileError::Unsupported => crate::ErrorCode::UnsupportedFileType,
            FileError::Malformed(_) => crate::ErrorCode::MalformedFile,
            FileError::Uncleanable(_) => crate::ErrorCode::MetadataNotRemovable,
        }
    }

    pub fn message(self) -> String {
        match self {
            FileError::Empty => "The file is empty.".into(),
            FileError::TooLarge { max } => format!(
                "The file is larger than {} MiB; scan it at a lower resolution or split it.",
                max.div_ceil(1024 * 1024)
            ),
            FileError::Unsupported => {
                "Only PDF, JPEG, PNG and plain text files can be attached.".into()
            }
            FileError::Malformed(what) => format!("The file is damaged: {what}."),
            FileError::Uncleanable(why) => format!(
                "The PDF's hidden details (author, dates, location) cannot be removed safely: {why}. Send a photo of it, or print it to a new PDF."
            ),
        }
    }
}

/// Default largest attachment: 10 MiB.
pub const DEFAULT_MAX_BYTES: usize = 10 * 1024 * 1024;

const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];

/// What the bytes are, by their signature; plain text is valid UTF-8 without control
/// characters other than tab, line breaks and form feed.
pub fn sniff(bytes: &[u8]) -> Option<FileType> {
    if bytes.starts_with(b"%PDF-") {
        Some(FileType::Pdf)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileType::Jpeg)
    } else if bytes.starts_with(&PNG_SIGNATURE) {
        Some(FileType::Png)
    } else if is_plain_text(bytes) {
        Some(FileType::Text)
    } else {
        None
    }
}

fn is_plain_text(bytes: &[u8]) -> bool {
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(t) => {
            !t.is_empty()
                && t.chars()
                    .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r' | '\u{0c}'))
        }
        Err(_) => false,
    }
}

/// What to do with a PDF whose metadata cannot be removed soundly (encrypted, or its document
/// information inside a compressed object stream).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UncleanablePdf {
    /// Refuse it: an anonymous witness's file must not carry who made it.
    Refuse,
    /// Keep it as it came (sealed at rest): a caseworker's payslip or contract from a modern
    /// PDF generator belongs to a person the case already names, and refusing it loses the
    /// evidence.
    KeepAsIs,
}

/// Checks size and type and strips metadata: what is stored is the returned bytes. A PDF that
/// cannot be cleaned is refused ([`UncleanablePdf::Refuse`]).
pub fn prepare(bytes: &[u8], max: usize) -> Result<(FileType, Vec<u8>), FileError> {
    prepare_with(bytes, max, UncleanablePdf::Refuse)
}

/// [`prepare`], choosing what happens to a PDF that cannot be cleaned.
pub fn prepare_with(
    bytes: &[u8],
    max: usize,
    pdf: UncleanablePdf,
) -> Result<(FileType, Vec<u8>), FileError> {
    if bytes.is_empty() {
        return Err(FileError::Empty);
    }
    if bytes.len() > max {
        return Err(FileError::TooLarge { max });
    }
    let kind = sniff(bytes).ok_or(FileError::Unsupported)?;
    let clean = match kind {
        FileType::Jpeg => strip_jpeg(bytes)?,
        FileType::Png => strip_png(bytes)?,
        FileType::Pdf => match (super::pdf::strip_pdf(bytes), pdf) {
            (Ok(clean), _) => clean,
            (Err(FileError::Uncleanable(_)), UncleanablePdf::KeepAsIs) => bytes.to_vec(),
            (Err(e), _) => return Err(e),
        },
        FileType::Text => bytes.to_vec(),
    };
    Ok((kind, clean))
}

/// Whether a JPEG segment is kept.
fn keep_jpeg_segment(marker: u8, data: &[u8]) -> bool {
    match marker {
        0xE0 => true,
        0xE2 => data.starts_with(b"ICC_PROFILE\0"),
        0xEE => data.starts_with(b"Adobe"),
        0xE1 | 0xE3..=0xED | 0xEF | 0xFE => false,
        _ => true,
    }
}

/// A JPEG without its metadata segments. Never panics; malformed input is an error.
pub fn strip_jpeg(b: &[u8]) -> Result<Vec<u8>, FileError> {
    const TRUNCATED: FileError = FileError::Malformed("the image is truncated");
    if b.len() < 4 || b[0] != 0xFF || b[1] != 0xD8 {
        return Err(FileError::Malformed("not a JPEG image"));
    }
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    let mut i = 2;
    loop {
        match b.get(i) {
            Some(0xFF) => {}
            Some(_) => return Err(FileError::Malformed("a JPEG segment is out of place")),
            None => return Err(TRUNCATED),
        }
        while b.get(i) == Some(&0xFF) {
            i += 1;
        }
        let marker = *b.get(i).ok_or(TRUNCATED)?;
        i += 1;
        match marker {
            0xD9 => {
                out.extend_from_slice(&[0xFF, 0xD9]);
                return Ok(out);
            }
            0xD0..=0xD7 | 0x01 => out.extend_from_slice(&[0xFF, marker]),
            0x00 | 0xD8 => return Err(FileError::Malformed("a JPEG marker is invalid")),
            _ => {
                let len = match (b.get(i), b.get(i + 1)) {
                    (Some(h), Some(l)) => usize::from(*h) << 8 | usize::from(*l),
                    _ => return Err(TRUNCATED),
                };
                if len < 2 {
                    return Err(FileError::Malformed("a JPEG segment length is invalid"));
                }
                let end = i + len;
                let data = b.get(i + 2..end).ok_or(TRUNCATED)?;
                if keep_jpeg_segment(marker, data) {
                    out.extend_from_slice(&[0xFF, marker]);
                    out.extend_from_slice(&b[i..end]);
                }
                i = end;
                if marker == 0xDA {
                    // Entropy-coded data runs to the next marker that is neither a stuffed
                    // 0xFF00 nor a restart marker.
                    let start = i;
                    loop {
                        match (b.get(i), b.get(i + 1)) {
                            (Some(0xFF), Some(n)) if *n == 0x00 || (0xD0..=0xD7).contains(n) => {
                                i += 2
                            }
                            (Some(0xFF), Some(_)) => break,
                            (Some(_), _) => i += 1,
                            (None, _) => return Err(TRUNCATED),
                        }
                    }
                    out.extend_from_slice(&b[start..i]);
                }
            }
        }
    }
}

/// Whether a PNG chunk type is dropped.
fn drop_png_chunk(kind: &[u8]) -> bool {
    matches!(kind, b"tEXt" | b"zTXt" | b"iTXt" | b"eXIf" | b"tIME")
}

/// A PNG without its text, EXIF and time chunks. Never panics; malformed input is an error.
pub fn strip_png(b: &[u8]) -> Result<Vec<u8>, FileError> {
    const TRUNCATED: FileError = FileError::Malformed("the image is truncated");
    if !b.starts_with(&PNG_SIGNATURE) {
        return Err(FileError::Malformed("not a PNG image"));
    }
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&PNG_SIGNATURE);
    let mut i = PNG_SIGNATURE.len();
    let mut first = true;
    loop {
        let head = b.get(i..i + 8).ok_or(TRUNCATED)?;
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        let kind = &head[4..8];
        if !kind.iter().all(u8::is_ascii_alphabetic) {
            return Err(FileError::Malformed("a PNG chunk type is invalid"));
        }
        if first && kind != b"IHDR" {
            return Err(FileError::Malformed("a PNG must start with its header"));
        }
        first = false;
        let end = i
            .checked_add(12)
            .and_then(|e| e.checked_add(len))
            .ok_or(TRUNCATED)?;
        let chunk = b.get(i..end).ok_or(TRUNCATED)?;
        if !drop_png_chunk(kind) {
            out.extend_from_slice(chunk);
        }
        i = end;
        if kind == b"IEND" {
            return Ok(out);
        }
    }
}

/// A file name safe to store and to send back in `Content-Disposition`: no directories, no
/// control characters or quotes, at most 120 characters; a generic name if nothing is left.
///
/// The name always ends with the extension of the type read from the bytes: an uploader's
/// `invoice.pdf.exe` sent as text is kept as `invoice.pdf.exe.txt`, so whoever downloads it
/// opens it as what it is.
pub fn safe_filename(name: &str, kind: FileType) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | ';' | '\u{202e}' | '\u{202d}'))
        .take(120)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim().to_string();
    if cleaned.is_empty() {
        return format!("attachment.{}", kind.extension());
    }
    let lower = cleaned.to_lowercase();
    let fits = match kind {
        FileType::Jpeg => lower.ends_with(".jpg") || lower.ends_with(".jpeg"),
        other => lower.ends_with(&format!(".{}", other.extension())),
    };
    if fits {
        return cleaned;
    }
    let ext = kind.extension();
    let stem: String = cleaned.chars().take(120 - ext.len() - 1).collect();
    format!("{}.{ext}", stem.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn segment(marker: u8, data: &[u8]) -> Vec<u8> {
        let len = (data.len() + 2) as u16;
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&len.to_be_bytes());
        s.extend_from_slice(data);
        s
    }

    /// A small JPEG as a phone writes it: JFIF, EXIF with a GPS position, XMP, IPTC, an ICC
    /// profile, a multi-picture APP2, Adobe, a comment, tables, one scan, and a trailer.
    fn phone_jpeg() -> Vec<u8> {
        let mut j = vec![0xFF, 0xD8];
        j.extend(segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
        j.extend(segment(
            0xE1,
            b"Exif\0\0MM\0*GPSLatitude 14.5995 N GPSLongitude 120.9842 E Model SecretPhone",
        ));
        j.extend(segment(
            0xE1,
            b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>GPSLatitude</x:xmpmeta>",
        ));
        j.extend(segment(0xED, b"Photoshop 3.0\08BIM City: Safehouse"));
        j.extend(segment(0xE2, b"ICC_PROFILE\0\x01\x01colour-profile-bytes"));
        j.extend(segment(0xE2, b"MPF\0II*\0 second picture"));
        j.extend(segment(0xEE, b"Adobe\0d\0\0\0\0\x01"));
        j.extend(segment(0xFE, b"taken at the shelter kitchen"));
        j.extend(segment(0xDB, &[0u8; 65]));
        j.extend(segment(0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]));
        j.extend(segment(
            0xC4,
            &[0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        ));
        j.extend(segment(0xDA, &[1, 1, 0, 0, 0x3F, 0]));
        // Scan data with a stuffed 0xFF00 and a restart marker inside.
        j.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56]);
        j.extend_from_slice(&[0xFF, 0xD9]);
        j.extend_from_slice(b"trailing GPSLatitude");
        j
    }

    fn markers(j: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut i = 2;
        while i + 1 < j.len() {
            let m = j[i + 1];
            out.push(m);
            if m == 0xD9 {
                break;
            }
            if (0xD0..=0xD7).contains(&m) {
                i += 2;
                continue;
            }
            let len = usize::from(j[i + 2]) << 8 | usize::from(j[i + 3]);
            i += 2 + len;
            if m == 0xDA {
                while !(j[i] == 0xFF && j[i + 1] != 0 && !(0xD0..=0xD7).contains(&j[i + 1])) {
                    i += 1;
                }
            }
        }
        out
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn jpeg_loses_exif_gps_iptc_xmp_comments_and_trailer() {
        let clean = strip_jpeg(&phone_jpeg()).expect("strip");
        for secret in [
            &b"GPSLatitude"[..],
            b"SecretPhone",
            b"Safehouse",
            b"shelter kitchen",
            b"second picture",
            b"Exif",
        ] {
            assert!(
                !contains(&clean, secret),
                "{}",
                String::from_utf8_lossy(secret)
            );
        }
        assert_eq!(
            markers(&clean),
            vec![0xE0, 0xE2, 0xEE, 0xDB, 0xC0, 0xC4, 0xDA, 0xD9]
        );
        assert!(contains(&clean, b"colour-profile-bytes"), "ICC kept");
        assert!(contains(
            &clean,
            &[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xD9]
        ));
        assert!(clean.ends_with(&[0xFF, 0xD9]));
        assert_eq!(strip_jpeg(&clean).expect("again"), clean, "idempotent");
        let (kind, prepared) = prepare(&phone_jpeg(), DEFAULT_MAX_BYTES).expect("prepare");
        assert_eq!((kind, prepared), (FileType::Jpeg, clean));
    }

    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut c = (data.len() as u32).to_be_bytes().to_vec();
        c.extend_from_slice(kind);
        c.extend_from_slice(data);
        c.extend_from_slice(&[0, 0, 0, 0]);
        c
    }

    fn phone_png() -> Vec<u8> {
        let mut p = PNG_SIGNATURE.to_vec();
        p.extend(chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]));
        p.extend(chunk(b"tEXt", b"Comment\0GPSLatitude 14.5995"));
        p.extend(chunk(b"zTXt", b"Author\0\0compressed-secret"));
        p.extend(chunk(
            b"iTXt",
            b"XML:com.adobe.xmp\0\0\0\0\0<GPSLongitude/>",
        ));
        p.extend(chunk(b"eXIf", b"MM\0*GPSAltitude"));
        p.extend(chunk(b"tIME", &[7, 234, 1, 2, 3, 4, 5]));
        p.extend(chunk(b"iCCP", b"icc\0\0profile"));
        p.extend(chunk(b"IDAT", b"pixels"));
        p.extend(chunk(b"IEND", b""));
        p.extend_from_slice(b"appended GPSLatitude");
        p
    }

    #[test]
    fn png_loses_text_exif_and_time() {
        let clean = strip_png(&phone_png()).expect("strip");
        for secret in [
            &b"GPS"[..],
            b"compressed-secret",
            b"tEXt",
            b"zTXt",
            b"iTXt",
            b"eXIf",
            b"tIME",
        ] {
            assert!(
                !contains(&clean, secret),
                "{}",
                String::from_utf8_lossy(secret)
            );
        }
        for kept in [&b"IHDR"[..], b"iCCP", b"IDAT", b"pixels", b"IEND"] {
            assert!(contains(&clean, kept));
        }
        assert_eq!(strip_png(&clean).expect("again"), clean);
    }

    #[test]
    fn types_come_from_the_bytes() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some(FileType::Pdf));
        assert_eq!(sniff(&phone_jpeg()), Some(FileType::Jpeg));
        assert_eq!(sniff(&phone_png()), Some(FileType::Png));
        assert_eq!(sniff("Payslip: 0 €\r\n".as_bytes()), Some(FileType::Text));
        assert_eq!(sniff(b"\xEF\xBB\xBFwith BOM"), Some(FileType::Text));
        assert_eq!(sniff(b"MZ\x90\0\x03"), None, "executable");
        assert_eq!(sniff(b"PK\x03\x04zip"), None, "zip/docx");
        assert_eq!(sniff(b"GIF89a"), Some(FileType::Text), "printable is text");
        assert_eq!(sniff(b"GIF89a\x01\0"), None);
        assert_eq!(sniff(b"\xff\xfe\x00h"), None, "not UTF-8");
        assert_eq!(prepare(b"", 10), Err(FileError::Empty));
        assert_eq!(
            prepare(b"hello world", 5),
            Err(FileError::TooLarge { max: 5 })
        );
        assert_eq!(
            prepare(b"\x00\x01", 10).map_err(FileError::code),
            Err(crate::ErrorCode::UnsupportedFileType)
        );
        assert_eq!(
            prepare(&phone_jpeg()[..40], 1000).map_err(FileError::code),
            Err(crate::ErrorCode::MalformedFile)
        );
    }

    #[test]
    fn file_names_are_made_safe() {
        assert_eq!(
            safe_filename("C:\\Users\\x\\passport scan.pdf", FileType::Pdf),
            "passport scan.pdf"
        );
        assert_eq!(
            safe_filename("../../etc/passwd", FileType::Text),
            "passwd.txt"
        );
        assert_eq!(safe_filename("a\"b;\r\nc.png", FileType::Png), "abc.png");
        assert_eq!(safe_filename("  ", FileType::Jpeg), "attachment.jpg");
        assert_eq!(safe_filename(".hidden", FileType::Text), "hidden.txt");
        assert_eq!(safe_filename(&"x".repeat(500), FileType::Text).len(), 120);
        assert!(safe_filename(&"x".repeat(500), FileType::Text).ends_with(".txt"));
    }

    /// The extension the uploader chose never survives when it is not the type of the bytes.
    #[test]
    fn the_extension_comes_from_the_bytes() {
        assert_eq!(
            safe_filename("invoice.pdf.exe", FileType::Text),
            "invoice.pdf.exe.txt"
        );
        assert_eq!(safe_filename("page.html", FileType::Text), "page.html.txt");
        assert_eq!(safe_filename("photo.JPEG", FileType::Jpeg), "photo.JPEG");
        assert_eq!(safe_filename("photo.png", FileType::Jpeg), "photo.png.jpg");
        assert_eq!(safe_filename("contract", FileType::Pdf), "contract.pdf");
    }

    proptest! {
        #[test]
        fn stripping_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = strip_jpeg(&bytes);
            let _ = strip_png(&bytes);
            let _ = prepare(&bytes, 300);
            let mut j = vec![0xFF, 0xD8, 0xFF];
            j.extend_from_slice(&bytes);
            let _ = strip_jpeg(&j);
            let mut p = PNG_SIGNATURE.to_vec();
            p.extend_from_slice(&bytes);
            let _ = strip_png(&p);
        }

        #[test]
        fn what_comes_out_is_clean_and_stable(
            junk in proptest::collection::vec(any::<u8>(), 0..60),
            at in 0usize..12,
        ) {
            // Metadata with arbitrary content, inserted among the real segments.
            let base = phone_jpeg();
            let mut segs = Vec::new();
            let mut i = 2;
            while base[i + 1] != 0xDA {
                let len = usize::from(base[i + 2]) << 8 | usize::from(base[i + 3]);
                segs.push(base[i..i + 2 + len].to_vec());
                i += 2 + len;
            }
            let mut exif = b"Exif\0\0".to_vec();
            exif.extend_from_slice(&junk);
            segs.insert(at.min(segs.len()), segment(0xE1, &exif));
            let mut j = vec![0xFF, 0xD8];
            for s in segs { j.extend(s); }
            j.extend_from_slice(&base[i..]);
            let clean = strip_jpeg(&j).expect("valid JPEG");
            prop_assert!(!markers(&clean).iter().any(|m| *m == 0xE1 || *m == 0xED || *m == 0xFE));
            prop_assert_eq!(strip_jpeg(&clean).expect("again"), clean);
        }
    }
}
