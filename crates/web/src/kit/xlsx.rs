//! A minimal spreadsheet (Office Open XML, `.xlsx`) of one sheet, written here rather than by a
//! library: a zip archive of stored (uncompressed) entries, each with its CRC-32, holding the
//! content types, the package and workbook relationships, the workbook and one worksheet whose
//! text cells are inline strings and whose counts are numbers. A text cell is never a formula,
//! whatever it starts with.

/// One cell of a sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Text(String),
    Number(u64),
    Empty,
}

const CONTENT_TYPES: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
    r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
    r#"<Default Extension="xml" ContentType="application/xml"/>"#,
    r#"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
    r#"<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#,
    r#"</Types>"#
);

const PACKAGE_RELS: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#,
    r#"</Relationships>"#
);

const WORKBOOK_RELS: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>"#,
    r#"</Relationships>"#
);

/// The workbook of one sheet named `sheet` (cut to what a sheet name may hold) with `rows`.
pub fn workbook(sheet: &str, rows: &[Vec<Value>]) -> Vec<u8> {
    let workbook = format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" "#,
            r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#,
            r#"<sheets><sheet name="{}" sheetId="1" r:id="rId1"/></sheets></workbook>"#
        ),
        escape(&sheet_name(sheet))
    );
    let entries: [(&str, Vec<u8>); 5] = [
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes().to_vec()),
        ("_rels/.rels", PACKAGE_RELS.as_bytes().to_vec()),
        ("xl/workbook.xml", workbook.into_bytes()),
        (
            "xl/_rels/workbook.xml.rels",
            WORKBOOK_RELS.as_bytes().to_vec(),
        ),
        ("xl/worksheets/sheet1.xml", worksheet(rows).into_bytes()),
    ];
    zip_stored(&entries)
}

/// The worksheet's XML.
fn worksheet(rows: &[Vec<Value>]) -> String {
    let mut x = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
    ));
    for (r, row) in rows.iter().enumerate() {
        let n = r + 1;
        x.push_str(&format!(r#"<row r="{n}">"#));
        for (c, v) in row.iter().enumerate() {
            let at = format!("{}{n}", column(c));
            match v {
                Value::Text(t) => x.push_str(&format!(
                    r#"<c r="{at}" t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>"#,
                    escape(t)
                )),
                Value::Number(v) => x.push_str(&format!(r#"<c r="{at}"><v>{v}</v></c>"#)),
                Value::Empty => {}
            }
        }
        x.push_str("</row>");
    }
    x.push_str("</sheetData></worksheet>");
    x
}

/// The spreadsheet name of column `i` (0 → A, 25 → Z, 26 → AA).
fn column(i: usize) -> String {
    let mut n = i + 1;
    let mut name = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        name.push(b'A' + u8::try_from(rem).unwrap_or(0));
        n = (n - 1) / 26;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// A sheet name: at most 31 characters, none of `[]:*?/\`, never empty.
fn sheet_name(name: &str) -> String {
    let cut: String = name
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') && !c.is_control())
        .take(31)
        .collect();
    if cut.trim().is_empty() {
        "Sheet1".into()
    } else {
        cut
    }
}

/// Text as XML character data: the five special characters escaped, and the control
/// characters XML 1.0 cannot hold left out.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The CRC-32 (IEEE 802.3, as zip uses) of `data`.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

/// 1980-01-01 00:00 in MS-DOS form: the archive says nothing of when it was made.
const DOS_TIME: u16 = 0;
const DOS_DATE: u16 = (1 << 5) | 1;

fn u16le(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}
fn u32le(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}
fn len32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A zip archive of `entries`, stored without compression.
fn zip_stored(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in entries {
        let offset = len32(out.len());
        let crc = crc32(data);
        let size = len32(data.len());
        let name_len = u16::try_from(name.len()).unwrap_or(u16::MAX);
        // Local file header.
        u32le(&mut out, 0x0403_4b50);
        u16le(&mut out, 20);
        u16le(&mut out, 0);
        u16le(&mut out, 0);
        u16le(&mut out, DOS_TIME);
        u16le(&mut out, DOS_DATE);
        u32le(&mut out, crc);
        u32le(&mut out, size);
        u32le(&mut out, size);
        u16le(&mut out, name_len);
        u16le(&mut out, 0);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        // Its central directory entry.
        u32le(&mut central, 0x0201_4b50);
        u16le(&mut central, 20);
        u16le(&mut central, 20);
        u16le(&mut central, 0);
        u16le(&mut central, 0);
        u16le(&mut central, DOS_TIME);
        u16le(&mut central, DOS_DATE);
        u32le(&mut central, crc);
        u32le(&mut central, size);
        u32le(&mut central, size);
        u16le(&mut central, name_len);
        u16le(&mut central, 0);
        u16le(&mut central, 0);
        u16le(&mut central, 0);
        u16le(&mut central, 0);
        u32le(&mut central, 0);
        u32le(&mut central, offset);
        central.extend_from_slice(name.as_bytes());
    }
    let central_at = len32(out.len());
    let count = u16::try_from(entries.len()).unwrap_or(u16::MAX);
    out.extend_from_slice(&central);
    // End of central directory.
    u32le(&mut out, 0x0605_4b50);
    u16le(&mut out, 0);
    u16le(&mut out, 0);
    u16le(&mut out, count);
    u16le(&mut out, count);
    u32le(&mut out, len32(central.len()));
    u32le(&mut out, central_at);
    u16le(&mut out, 0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u16at(b: &[u8], i: usize) -> usize {
        usize::from(u16::from_le_bytes([b[i], b[i + 1]]))
    }
    fn u32at(b: &[u8], i: usize) -> u32 {
        u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
    }

    /// Reads the archive back as a reader would: the end record, every central entry, the
    /// local header it points at, the stored data and its CRC. Returns (name, data).
    fn read(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
        let end = zip.len() - 22;
        assert_eq!(u32at(zip, end), 0x0605_4b50, "end of central directory");
        let count = u16at(zip, end + 10);
        let size = u32at(zip, end + 12) as usize;
        let at = u32at(zip, end + 16) as usize;
        assert_eq!(
            at + size,
            end,
            "the directory ends where the end record starts"
        );
        let mut files = Vec::new();
        let mut p = at;
        for _ in 0..count {
            assert_eq!(u32at(zip, p), 0x0201_4b50, "central entry");
            assert_eq!(u16at(zip, p + 10), 0, "stored");
            let crc = u32at(zip, p + 16);
            let len = u32at(zip, p + 20) as usize;
            assert_eq!(len, u32at(zip, p + 24) as usize);
            let name_len = u16at(zip, p + 28);
            let name = String::from_utf8(zip[p + 46..p + 46 + name_len].to_vec()).expect("name");
            let local = u32at(zip, p + 42) as usize;
            assert_eq!(u32at(zip, local), 0x0403_4b50, "local header of {name}");
            assert_eq!(u32at(zip, local + 14), crc);
            let lname = u16at(zip, local + 26);
            let extra = u16at(zip, local + 28);
            assert_eq!(&zip[local + 30..local + 30 + lname], name.as_bytes());
            let data = zip[local + 30 + lname + extra..][..len].to_vec();
            assert_eq!(crc32(&data), crc, "CRC of {name}");
            files.push((name, data));
            p += 46 + name_len;
        }
        files
    }

    #[test]
    fn crc32_is_the_zip_one() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn the_workbook_is_a_valid_archive_with_its_sheet() {
        let rows = vec![
            vec![Value::Text("type".into()), Value::Text("count".into())],
            vec![Value::Text("=1+1 <b>&".into()), Value::Number(14)],
            vec![Value::Text("detention".into()), Value::Empty],
        ];
        let files = read(&workbook("By type: cases [2026]", &rows));
        let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(
            names,
            [
                "[Content_Types].xml",
                "_rels/.rels",
                "xl/workbook.xml",
                "xl/_rels/workbook.xml.rels",
                "xl/worksheets/sheet1.xml"
            ]
        );
        let text = |n: usize| String::from_utf8(files[n].1.clone()).expect("utf-8");
        assert!(text(2).contains(r#"<sheet name="By type cases 2026" sheetId="1" r:id="rId1"/>"#));
        let sheet = text(4);
        assert!(sheet.contains(
            r#"<c r="A2" t="inlineStr"><is><t xml:space="preserve">=1+1 &lt;b&gt;&amp;</t></is></c>"#
        ));
        assert!(sheet.contains(r#"<c r="B2"><v>14</v></c>"#));
        assert!(sheet.contains(r#"<row r="3"><c r="A3" t="inlineStr">"#));
        assert!(!sheet.contains(r#"r="B3""#), "an empty cell is left out");
        assert!(!sheet.contains("<f>"), "never a formula");
    }

    #[test]
    fn columns_and_names() {
        assert_eq!(column(0), "A");
        assert_eq!(column(25), "Z");
        assert_eq!(column(26), "AA");
        assert_eq!(column(27), "AB");
        assert_eq!(sheet_name("?"), "Sheet1");
        assert_eq!(sheet_name(&"x".repeat(40)).len(), 31);
        assert_eq!(escape("a\u{1}b\"'"), "ab&quot;&apos;");
    }
}
