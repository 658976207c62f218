//! A deliberately small Markdown: headings (`#`, `##`, `###`), paragraphs, lists (`- `, `* `,
//! `1. `), `**strong**` and links `[text](target)`. Everything else is text, escaped: raw HTML
//! in a file is shown as written, never passed through. A link goes only to this site (`/…`,
//! which keeps the reader's language) or to a telephone number (`tel:`); any other target is
//! left as its text, so a page never sends the reader to another host unannounced.

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A link target that may be followed, with the reader's language carried to this site's pages.
fn target(url: &str, lang: &str) -> Option<String> {
    let url = url.trim();
    if let Some(number) = url.strip_prefix("tel:") {
        let ok = !number.is_empty()
            && number
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-'));
        return ok.then(|| format!("tel:{}", number.replace(' ', "")));
    }
    if url.starts_with('/') && !url.starts_with("//") && !url.contains('\\') {
        if url.contains("lang=") || url.contains('#') {
            return Some(url.to_string());
        }
        let sep = if url.contains('?') { '&' } else { '?' };
        return Some(format!("{url}{sep}lang={lang}"));
    }
    None
}

/// Renders the inline part of a line: `**strong**` and links, the rest escaped.
fn inline(text: &str, lang: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    let mut strong = false;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("**") {
            if strong || after.contains("**") {
                out.push_str(if strong { "</strong>" } else { "<strong>" });
                strong = !strong;
            } else {
                out.push_str("**");
            }
            rest = after;
            continue;
        }
        if rest.starts_with('[')
            && let Some(close) = rest.find("](")
            && let Some(end) = rest[close + 2..].find(')')
        {
            let label = &rest[1..close];
            let url = &rest[close + 2..close + 2 + end];
            if !label.contains('[') {
                match target(url, lang) {
                    Some(href) => {
                        out.push_str(&format!(
                            "<a href=\"{}\">{}</a>",
                            escape(&href),
                            escape(label)
                        ));
                    }
                    None => out.push_str(&escape(label)),
                }
                rest = &rest[close + 3 + end..];
                continue;
            }
        }
        let next = rest
            .char_indices()
            .skip(1)
            .find(|(_, c)| *c == '*' || *c == '[')
            .map_or(rest.len(), |(i, _)| i);
        out.push_str(&escape(&rest[..next]));
        rest = &rest[next..];
    }
    if strong {
        out.push_str("</strong>");
    }
    out
}

enum Block {
    None,
    Para(Vec<String>),
    List(&'static str, Vec<String>),
}

fn close(block: &mut Block, out: &mut String, lang: &str) {
    match std::mem::replace(block, Block::None) {
        Block::None => {}
        Block::Para(lines) => {
            out.push_str(&format!("<p>{}</p>\n", inline(&lines.join(" "), lang)));
        }
        Block::List(tag, items) => {
            out.push_str(&format!("<{tag}>\n"));
            for item in items {
                out.push_str(&format!("<li>{}</li>\n", inline(&item, lang)));
            }
            out.push_str(&format!("</{tag}>\n"));
        }
    }
}

/// A numbered item's text (`1. text`), if the line is one.
fn numbered(line: &str) -> Option<&str> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0 && digits < 4)
        .then(|| line[digits..].strip_prefix(". "))
        .flatten()
}

/// Renders a page body to HTML; `lang` is carried on links to this site.
pub fn render(source: &str, lang: &str) -> String {
    let mut out = String::new();
    let mut block = Block::None;
    for raw in source.lines() {
        let line = raw.trim();
        if line.is_empty() {
            close(&mut block, &mut out, lang);
            continue;
        }
        let heading = [("### ", "h3"), ("## ", "h2"), ("# ", "h2")]
            .iter()
            .find_map(|(mark, tag)| line.strip_prefix(mark).map(|t| (*tag, t)));
        if let Some((tag, text)) = heading {
            close(&mut block, &mut out, lang);
            out.push_str(&format!("<{tag}>{}</{tag}>\n", inline(text.trim(), lang)));
            continue;
        }
        let item = line
            .strip_prefix("- ")
            .or_else(|| line.strip_prefix("* "))
            .map(|t| ("ul", t))
            .or_else(|| numbered(line).map(|t| ("ol", t)));
        match (item, &mut block) {
            (Some((tag, text)), Block::List(open, items)) if *open == tag => {
                items.push(text.trim().to_string());
            }
            (Some((tag, text)), _) => {
                close(&mut block, &mut out, lang);
                block = Block::List(tag, vec![text.trim().to_string()]);
            }
            (None, Block::Para(lines)) => lines.push(line.to_string()),
            (None, Block::List(_, items)) if raw.starts_with("  ") => {
                // A continuation line of the last item.
                if let Some(last) = items.last_mut() {
                    last.push(' ');
                    last.push_str(line);
                }
            }
            (None, _) => {
                close(&mut block, &mut out, lang);
                block = Block::Para(vec![line.to_string()]);
            }
        }
    }
    close(&mut block, &mut out, lang);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_inline_marks() {
        let html = render(
            "# Title\n\nOne\ntwo **three**.\n\n- a\n- [finder](/services?country=GB)\n\n1. first\n2. second\n",
            "fr",
        );
        assert_eq!(
            html,
            "<h2>Title</h2>\n<p>One two <strong>three</strong>.</p>\n<ul>\n<li>a</li>\n\
             <li><a href=\"/services?country=GB&amp;lang=fr\">finder</a></li>\n</ul>\n\
             <ol>\n<li>first</li>\n<li>second</li>\n</ol>\n"
        );
    }

    #[test]
    fn raw_html_is_escaped() {
        let html = render("<b onclick=\"x()\">hi</b> & <script>x</script>", "en");
        assert_eq!(
            html,
            "<p>&lt;b onclick=&quot;x()&quot;&gt;hi&lt;/b&gt; &amp; &lt;script&gt;x&lt;/script&gt;</p>\n"
        );
    }

    #[test]
    fn links_go_only_to_this_site_or_a_phone() {
        assert_eq!(
            render("[call](tel:+44 114 496 0000)", "en"),
            "<p><a href=\"tel:+441144960000\">call</a></p>\n"
        );
        for bad in [
            "[x](https://evil.example/)",
            "[x](//evil.example/)",
            "[x](javascript:alert(1))",
            "[x](tel:alert)",
            "[x](data:text/html,hi)",
        ] {
            let html = render(bad, "en");
            assert!(!html.contains("<a"), "{bad} gave {html}");
        }
        assert!(render("[x](/report\" onclick=\"y)", "en").contains("&quot; onclick=&quot;"));
    }

    #[test]
    fn an_unclosed_strong_is_text() {
        assert_eq!(render("a ** b", "en"), "<p>a ** b</p>\n");
    }
}
