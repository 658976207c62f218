//! A PDF's metadata removed in place, in pure code.
//!
//! A PDF names who wrote it, with what, when, and often more (a document information dictionary
//! with `/Author`, `/Creator`, `/Producer`, dates and any key a program adds; an XMP packet with
//! the same and sometimes a GPS position copied from a photo). Both are cut out here:
//!
//! - every document information dictionary that any trailer names with `/Info` (the first
//!   file's and each incremental update's, and a cross-reference stream's dictionary, which
//!   is a trailer too) is emptied, with every object its values point to;
//! - every metadata stream (`/Type /Metadata` or `/Subtype /XML`, and whatever `/Metadata`
//!   points to) has its content overwritten and its filter removed, so it reads as blank.
//!
//! Nothing moves: bytes are overwritten with spaces (an emptied value becomes `null`, `()` or
//! an empty dictionary), so every offset of the cross-reference tables stays valid and the
//! file keeps its length, its `%PDF` header and its `%%EOF`.
//!
//! What cannot be cleaned soundly is refused rather than stored half-cleaned: an encrypted
//! file, document information kept where it cannot be read without decompressing (a
//! compressed object stream, `/ObjStm`) or not found at all, a file without a trailer or
//! cross-reference stream to read, and XMP left anywhere after cleaning.

use super::files::FileError;
use std::collections::HashMap;
use std::ops::Range;

/// Deepest nesting of arrays and dictionaries read.
const MAX_DEPTH: usize = 64;

fn is_ws(c: u8) -> bool {
    matches!(c, 0 | 9 | 10 | 12 | 13 | 32)
}

fn is_delim(c: u8) -> bool {
    matches!(
        c,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn ends_token(b: &[u8], i: usize) -> bool {
    b.get(i).is_none_or(|c| is_ws(*c) || is_delim(*c))
}

fn refuse(why: &'static str) -> FileError {
    FileError::Uncleanable(why)
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    loop {
        match b.get(i) {
            Some(c) if is_ws(*c) => i += 1,
            Some(b'%') => {
                while let Some(c) = b.get(i) {
                    if *c == b'\n' || *c == b'\r' {
                        break;
                    }
                    i += 1;
                }
            }
            _ => return i,
        }
    }
}

fn token_end(b: &[u8], mut i: usize) -> usize {
    while !ends_token(b, i) {
        i += 1;
    }
    i
}

/// A name's bytes with `#xx` escapes decoded (`/Ty#70e` is `/Type`).
fn decode_name(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (raw[i], raw.get(i + 1), raw.get(i + 2)) {
            (b'#', Some(h), Some(l)) if hex(*h).is_some() && hex(*l).is_some() => {
                out.push((hex(*h).unwrap_or(0) * 16 + hex(*l).unwrap_or(0)) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// One key of a dictionary: where the key starts and where its value lies.
struct Entry {
    key: Vec<u8>,
    key_at: usize,
    value: Range<usize>,
}

/// A dictionary as read: from `<<` to after `>>`.
struct Dict {
    start: usize,
    end: usize,
    entries: Vec<Entry>,
}

impl Dict {
    fn get(&self, key: &[u8]) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    fn name(&self, b: &[u8], key: &[u8]) -> Option<Vec<u8>> {
        let v = &self.get(key)?.value;
        let raw = b.get(v.clone())?.strip_prefix(b"/")?;
        Some(decode_name(raw))
    }
}

type Parsed<T> = Result<T, ()>;

fn parse_value(b: &[u8], i: usize, depth: usize) -> Parsed<usize> {
    if depth > MAX_DEPTH {
        return Err(());
    }
    match *b.get(i).ok_or(())? {
        b'(' => {
            let (mut j, mut open) = (i + 1, 1usize);
            while open > 0 {
                match *b.get(j).ok_or(())? {
                    b'\\' => j += 1,
                    b'(' => open += 1,
                    b')' => open -= 1,
                    _ => {}
                }
                j += 1;
            }
            Ok(j)
        }
        b'<' if b.get(i + 1) == Some(&b'<') => parse_dict(b, i, depth + 1).map(|d| d.end),
        b'<' => find(b, i, b">").map(|j| j + 1).ok_or(()),
        b'[' => {
            let mut j = i + 1;
            loop {
                j = skip_ws(b, j);
                if *b.get(j).ok_or(())? == b']' {
                    return Ok(j + 1);
                }
                j = parse_value(b, j, depth + 1)?;
            }
        }
        b'/' => Ok(token_end(b, i + 1)),
        c if is_delim(c) => Err(()),
        _ => {
            let j = token_end(b, i);
            if j == i {
                return Err(());
            }
            // An indirect reference is three tokens: `12 0 R`.
            let digits = |r: Range<usize>| !r.is_empty() && b[r].iter().all(u8::is_ascii_digit);
            if digits(i..j) {
                let k = skip_ws(b, j);
                let l = token_end(b, k);
                let m = skip_ws(b, l);
                if k > j && digits(k..l) && b.get(m) == Some(&b'R') && ends_token(b, m + 1) {
                    return Ok(m + 1);
                }
            }
            Ok(j)
        }
    }
}

fn parse_dict(b: &[u8], start: usize, depth: usize) -> Parsed<Dict> {
    if depth > MAX_DEPTH || !b.get(start..).is_some_and(|r| r.starts_with(b"<<")) {
        return Err(());
    }
    let mut i = start + 2;
    let mut entries = Vec::new();
    loop {
        i = skip_ws(b, i);
        if b.get(i..).is_some_and(|r| r.starts_with(b">>")) {
            return Ok(Dict {
                start,
                end: i + 2,
                entries,
            });
        }
        if b.get(i) != Some(&b'/') {
            return Err(());
        }
        let key_end = token_end(b, i + 1);
        let key = decode_name(&b[i + 1..key_end]);
        let v = skip_ws(b, key_end);
        let end = parse_value(b, v, depth + 1)?;
        entries.push(Entry {
            key,
            key_at: i,
            value: v..end,
        });
        i = end;
    }
}

/// `N G R` as a pair.
fn reference(b: &[u8], r: &Range<usize>) -> Option<(u64, u64)> {
    let text = std::str::from_utf8(b.get(r.clone())?).ok()?;
    let parts: Vec<&str> = text
        .split(|c: char| c.is_ascii() && is_ws(c as u8))
        .filter(|p| !p.is_empty())
        .collect();
    match parts.as_slice() {
        [n, g, "R"] => Some((n.parse().ok()?, g.parse().ok()?)),
        _ => None,
    }
}

/// Every `N G obj` in the file, by object: where its content starts (after `obj`). An object
/// defined again by an incremental update has several.
fn index_objects(b: &[u8]) -> HashMap<(u64, u64), Vec<usize>> {
    let mut out: HashMap<(u64, u64), Vec<usize>> = HashMap::new();
    let mut from = 0;
    while let Some(at) = find(b, from, b"obj") {
        from = at + 3;
        if at == 0 || !is_ws(b[at - 1]) || !ends_token(b, at + 3) {
            continue;
        }
        let mut i = at;
        while i > 0 && is_ws(b[i - 1]) {
            i -= 1;
        }
        let gen_end = i;
        while i > 0 && b[i - 1].is_ascii_digit() {
            i -= 1;
        }
        let gen_start = i;
        while i > 0 && is_ws(b[i - 1]) {
            i -= 1;
        }
        let num_end = i;
        while i > 0 && b[i - 1].is_ascii_digit() {
            i -= 1;
        }
        let num_start = i;
        let clean_before = num_start == 0 || is_ws(b[num_start - 1]) || is_delim(b[num_start - 1]);
        if gen_start == gen_end || num_start == num_end || num_end == gen_start || !clean_before {
            continue;
        }
        let parse = |r: Range<usize>| std::str::from_utf8(&b[r]).ok()?.parse::<u64>().ok();
        if let (Some(n), Some(g)) = (parse(num_start..num_end), parse(gen_start..gen_end)) {
            out.entry((n, g)).or_default().push(at + 3);
        }
    }
    out
}

fn blank(out: &mut [u8], r: Range<usize>) {
    if let Some(s) = out.get_mut(r) {
        s.fill(b' ');
    }
}

/// Overwrites an object's value (from after `obj` to `endobj`) with `null`.
fn blank_object(b: &[u8], out: &mut [u8], start: usize) -> Result<(), FileError> {
    let end = find(b, start, b"endobj").ok_or(FileError::Malformed("an object has no end"))?;
    blank(out, start..end);
    let len = end - start;
    let filler: &[u8] = if len >= 6 {
        b" null "
    } else if len >= 2 {
        b"()"
    } else {
        b""
    };
    out[start..start + filler.len()].copy_from_slice(filler);
    Ok(())
}

/// Empties a stream's content and removes its filter, so it reads as blank bytes of the same
/// length. A dictionary not followed by a stream is left alone.
fn blank_stream(b: &[u8], out: &mut [u8], d: &Dict) -> Result<(), FileError> {
    let mut i = d.end;
    while b.get(i).is_some_and(|c| is_ws(*c)) {
        i += 1;
    }
    if !b.get(i..).is_some_and(|r| r.starts_with(b"stream")) {
        return Ok(());
    }
    i += 6;
    if b.get(i) == Some(&b'\r') {
        i += 1;
    }
    if b.get(i) == Some(&b'\n') {
        i += 1;
    }
    let end = find(b, i, b"endstream").ok_or(FileError::Malformed("a stream has no end"))?;
    blank(out, i..end);
    for e in &d.entries {
        if matches!(e.key.as_slice(), b"Filter" | b"DecodeParms" | b"DL") {
            blank(out, e.key_at..e.value.end);
        }
    }
    Ok(())
}

/// The PDF with its document information and XMP metadata blanked, same length, same offsets.
pub fn strip_pdf(b: &[u8]) -> Result<Vec<u8>, FileError> {
    if !b.starts_with(b"%PDF-") {
        return Err(FileError::Malformed("not a PDF"));
    }
    let trimmed = b.len() - b.iter().rev().take_while(|c| is_ws(**c)).count();
    if !b[..trimmed].ends_with(b"%%EOF") {
        return Err(FileError::Malformed("the PDF is truncated"));
    }
    let objects = index_objects(b);
    let mut trailers = Vec::new();
    let mut metadata = Vec::new();
    let mut metadata_refs = Vec::new();
    let mut object_streams = false;
    for starts in objects.values() {
        for &start in starts {
            let Ok(d) = parse_dict(b, skip_ws(b, start), 0) else {
                continue;
            };
            if let Some(r) = d.get(b"Metadata").and_then(|e| reference(b, &e.value)) {
                metadata_refs.push(r);
            }
            let kind = d.name(b, b"Type");
            match kind.as_deref() {
                Some(b"XRef") => trailers.push(d),
                Some(b"ObjStm") => object_streams = true,
                Some(b"Metadata") => metadata.push(d),
                _ if d.name(b, b"Subtype").as_deref() == Some(b"XML") => metadata.push(d),
                _ => {}
            }
        }
    }
    // An object stream whose own dictionary could not be read still counts.
    object_streams |= find(b, 0, b"/ObjStm").is_some();
    let mut from = 0;
    while let Some(at) = find(b, from, b"trailer") {
        from = at + 7;
        if (at > 0 && !is_ws(b[at - 1])) || !ends_token(b, at + 7) {
            continue;
        }
        let d = parse_dict(b, skip_ws(b, at + 7), 0)
            .map_err(|()| FileError::Malformed("a trailer cannot be read"))?;
        trailers.push(d);
    }
    if trailers.is_empty() {
        return Err(refuse(
            "it has no trailer or cross-reference stream to read",
        ));
    }
    let mut info = Vec::new();
    for t in &trailers {
        if t.get(b"Encrypt").is_some() {
            return Err(refuse("it is encrypted"));
        }
        if let Some(e) = t.get(b"Info") {
            info.push(
                reference(b, &e.value)
                    .ok_or(refuse("its document information cannot be located"))?,
            );
        }
    }
    if !info.is_empty() && object_streams {
        return Err(refuse(
            "its document information may be kept in a compressed object stream",
        ));
    }
    let mut out = b.to_vec();
    for id in info {
        let starts = objects
            .get(&id)
            .ok_or(refuse("its document information cannot be located"))?;
        for &start in starts {
            let at = skip_ws(b, start);
            match parse_dict(b, at, 0) {
                Ok(d) => {
                    for e in &d.entries {
                        if let Some(target) = reference(b, &e.value) {
                            for &s in objects.get(&target).into_iter().flatten() {
                                blank_object(b, &mut out, s)?;
                            }
                        }
                    }
                    blank(&mut out, d.start + 2..d.end - 2);
                }
                Err(()) => blank_object(b, &mut out, start)?,
            }
        }
    }
    for d in &metadata {
        blank_stream(b, &mut out, d)?;
    }
    for id in metadata_refs {
        for &start in objects.get(&id).into_iter().flatten() {
            if let Ok(d) = parse_dict(b, skip_ws(b, start), 0) {
                blank_stream(b, &mut out, &d)?;
            }
        }
    }
    for packet in [&b"<x:xmpmeta"[..], b"<?xpacket", b"<rdf:RDF"] {
        if find(&out, 0, packet).is_some() {
            return Err(refuse("it keeps XMP metadata outside a metadata stream"));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A PDF written object by object, with a correct cross-reference table.
    struct Writer {
        bytes: Vec<u8>,
        offsets: Vec<(u32, usize)>,
    }

    impl Writer {
        fn new() -> Writer {
            Writer {
                bytes: b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec(),
                offsets: Vec::new(),
            }
        }

        fn obj(&mut self, n: u32, body: &[u8]) -> &mut Self {
            self.offsets.push((n, self.bytes.len()));
            self.bytes.extend(format!("{n} 0 obj\n").as_bytes());
            self.bytes.extend_from_slice(body);
            self.bytes.extend_from_slice(b"\nendobj\n");
            self
        }

        fn stream(&mut self, n: u32, dict: &str, data: &[u8]) -> &mut Self {
            let mut body = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
            body.extend_from_slice(data);
            body.extend_from_slice(b"\nendstream");
            self.obj(n, &body)
        }

        /// A cross-reference section for the objects written since the last one, and its
        /// trailer.
        fn trailer(&mut self, trailer: &str) -> &mut Self {
            let xref = self.bytes.len();
            self.bytes.extend(b"xref\n");
            for (n, off) in std::mem::take(&mut self.offsets) {
                self.bytes
                    .extend(format!("{n} 1\n{off:010} 00000 n \n").as_bytes());
            }
            self.bytes
                .extend(format!("trailer\n<< {trailer} >>\nstartxref\n{xref}\n%%EOF\n").as_bytes());
            self
        }

        fn done(&self) -> Vec<u8> {
            self.bytes.clone()
        }
    }

    const XMP: &[u8] = b"<?xpacket begin=\"\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?><x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF><dc:creator>Amina Haddad</dc:creator><exif:GPSLatitude>14,35.97N</exif:GPSLatitude></rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>";

    fn letter() -> Writer {
        let mut w = Writer::new();
        w.obj(1, b"<< /Type /Catalog /Pages 2 0 R /Metadata 4 0 R >>")
            .obj(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
            .obj(3, b"<< /Type /Page /Parent 2 0 R /Contents 6 0 R >>")
            .stream(4, "/Type /Metadata /Subtype /XML", XMP)
            .obj(
                5,
                b"<< /Title (Complaint about the farm) /Author (Amina Haddad) /Subject (wages) \
                  /Keywords (Manila shelter) /Creator (Scanner App) /Producer (SecretPhone 12) \
                  /CreationDate (D:20260101120000+08'00') /ModDate (D:20260102) \
                  /GPSPosition (14.5995 N 120.9842 E) /Owner 7 0 R >>",
            )
            .stream(6, "", b"BT (They kept our passports) Tj ET")
            .obj(7, b"(Hidden Name)");
        w.trailer("/Size 8 /Root 1 0 R /Info 5 0 R");
        w
    }

    fn has(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    fn assert_clean(clean: &[u8], original: &[u8]) {
        for secret in [
            &b"Amina"[..],
            b"Haddad",
            b"Complaint about the farm",
            b"Manila shelter",
            b"Scanner App",
            b"SecretPhone",
            b"D:2026",
            b"GPS",
            b"14.5995",
            b"Hidden Name",
            b"xmpmeta",
            b"xpacket",
        ] {
            assert!(!has(clean, secret), "{}", String::from_utf8_lossy(secret));
        }
        assert!(clean.starts_with(b"%PDF"));
        assert!(clean.trim_ascii_end().ends_with(b"%%EOF"));
        assert_eq!(clean.len(), original.len(), "offsets stay valid");
        assert!(has(clean, b"They kept our passports"), "the page is kept");
        assert!(has(clean, b"/Type /Catalog"));
        assert_eq!(strip_pdf(clean).as_deref(), Ok(clean), "idempotent");
    }

    #[test]
    fn document_information_and_xmp_are_blanked_in_place() {
        let pdf = letter().done();
        let clean = strip_pdf(&pdf).expect("clean");
        assert_clean(&clean, &pdf);
        // Every cross-reference offset still points at its object.
        let xref = find(&clean, 0, b"xref\n").expect("xref");
        let table = std::str::from_utf8(&clean[xref..]).expect("ascii");
        for pair in table.lines().skip(1).collect::<Vec<_>>().chunks(2) {
            let [head, entry] = pair else { break };
            let Some((n, _)) = head.split_once(' ') else {
                break;
            };
            let Ok(off) = entry[..10].parse::<usize>() else {
                break;
            };
            assert!(clean[off..].starts_with(format!("{n} 0 obj").as_bytes()));
        }
        assert!(has(&clean, b"5 0 obj\n<<"), "an empty dictionary stays");
        assert!(has(&clean, b"7 0 obj null "));
    }

    #[test]
    fn every_revision_of_an_incremental_update_is_cleaned() {
        let mut w = letter();
        let first_end = w.bytes.len();
        w.obj(
            8,
            b"<< /Author (Second Author) /ModDate (D:20260301) /Producer (Editor 2) >>",
        )
        .stream(
            9,
            "/Type /Metadata /Subtype /XML /Filter /FlateDecode",
            b"x\x9c compressed xmpmeta GPS",
        )
        .trailer(&format!(
            "/Size 10 /Root 1 0 R /Info 8 0 R /Prev {first_end}"
        ));
        let pdf = w.done();
        let clean = strip_pdf(&pdf).expect("clean");
        assert_clean(&clean, &pdf);
        for secret in [
            &b"Second Author"[..],
            b"Editor 2",
            b"compressed",
            b"FlateDecode",
        ] {
            assert!(!has(&clean, secret), "{}", String::from_utf8_lossy(secret));
        }
        assert!(has(&clean, b"/Subtype /XML"));
    }

    #[test]
    fn what_cannot_be_cleaned_soundly_is_refused() {
        let code = |pdf: &[u8]| strip_pdf(pdf).map_err(FileError::code);
        let uncleanable = Err(crate::ErrorCode::MetadataNotRemovable);
        // Encrypted.
        let mut w = letter();
        w.obj(9, b"<< /Filter /Standard /V 2 >>")
            .trailer("/Size 10 /Root 1 0 R /Info 5 0 R /Encrypt 9 0 R");
        let locked = w.done();
        assert_eq!(code(&locked), uncleanable);
        // A witness's file is refused; a caseworker's is kept as it came rather than lost.
        use super::super::files::{UncleanablePdf, prepare, prepare_with};
        assert!(prepare(&locked, 1 << 20).is_err());
        assert_eq!(
            prepare_with(&locked, 1 << 20, UncleanablePdf::KeepAsIs),
            Ok((super::super::files::FileType::Pdf, locked.clone()))
        );
        // Document information inside a compressed object stream, named by an XRef stream.
        let mut w = Writer::new();
        w.obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
            .obj(2, b"<< /Type /Pages /Kids [] /Count 0 >>")
            .stream(
                3,
                "/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode",
                b"x\x9c\x01\x02 Author deflated",
            )
            .stream(
                4,
                "/Type /XRef /Size 6 /W [1 2 1] /Root 1 0 R /Info 5 0 R /Filter /FlateDecode",
                b"x\x9c\x03\x04",
            );
        let mut pdf = w.done();
        pdf.extend(b"startxref\n300\n%%EOF\n");
        assert_eq!(code(&pdf), uncleanable);
        // The same file without /Info is fine: XMP never lives in an object stream.
        let no_info = String::from_utf8_lossy(&pdf).replace("/Info 5 0 R", "           ");
        let clean = strip_pdf(no_info.as_bytes()).expect("nothing to remove");
        assert_eq!(clean, no_info.as_bytes());
        // Information named but not found; no trailer at all; truncated.
        let lost = String::from_utf8_lossy(&letter().done()).replace("/Info 5 0 R", "/Info 50 0 R");
        assert_eq!(code(lost.as_bytes()), uncleanable);
        assert_eq!(
            code(b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\n%%EOF\n"),
            uncleanable
        );
        assert_eq!(
            code(&letter().done()[..200]),
            Err(crate::ErrorCode::MalformedFile)
        );
        // XMP outside any metadata stream.
        let mut w = letter();
        w.obj(9, b"(<x:xmpmeta>)").trailer("/Size 10 /Root 1 0 R");
        assert_eq!(code(&w.done()), uncleanable);
    }

    #[test]
    fn prepare_cleans_pdfs_and_escaped_names_do_not_hide_metadata() {
        let mut w = Writer::new();
        w.obj(1, b"<< /Type /Catalog >>")
            .stream(2, "/Ty#70e /Metad#61ta", XMP)
            .trailer("/Root 1 0 R");
        let pdf = w.done();
        let (kind, clean) = super::super::files::prepare(&pdf, 1 << 20).expect("prepare");
        assert_eq!(kind, super::super::files::FileType::Pdf);
        assert!(!has(&clean, b"Amina"));
    }

    proptest! {
        #[test]
        fn cleaning_never_panics(junk in proptest::collection::vec(any::<u8>(), 0..300), cut in 0usize..2000) {
            let pdf = letter().done();
            let _ = strip_pdf(&pdf[..cut.min(pdf.len())]);
            let mut p = b"%PDF-1.7\n".to_vec();
            p.extend_from_slice(&junk);
            p.extend_from_slice(b"\ntrailer << /Info 1 0 R >>\n%%EOF");
            let _ = strip_pdf(&p);
            let mut q = pdf.clone();
            let at = cut.min(q.len());
            q.splice(at..at, junk.iter().copied());
            if let Ok(clean) = strip_pdf(&q) {
                prop_assert_eq!(clean.len(), q.len());
            }
        }
    }
}
