#!/usr/bin/env python3
"""Writes crates/web/src/names/tables.rs: the names of countries (ISO 3166-1) and languages
(ISO 639-1) in every language of the staff and public pages, each list sorted as a reader of
that language expects. English names are the product's own (crates/web/src/names/english.rs);
French, Spanish and Arabic come from the translations of the iso-codes project (LGPL-2.1-or-later,
installed under /usr/share/locale), completed by hand where they have none (MANUAL below).
Run it again when a language is added; the output is committed."""
import gettext, json, re, unicodedata, pathlib

root = pathlib.Path(__file__).resolve().parent.parent
src = (root / "crates/web/src/names/english.rs").read_text()
countries = re.findall(r'\(\s*"([A-Z]{2})",\s*"([^"]+)",?\s*\)', src)
languages = re.findall(r'\(\s*"([a-z]{2})",\s*"([^"]+)",?\s*\)', src)

MANUAL = {
    "fr": {
        "Iran": "Iran", "Laos": "Laos", "Syria": "Syrie", "Türkiye": "Turquie",
        "North Korea": "Corée du Nord", "South Korea": "Corée du Sud",
        "Bokmål, Norwegian": "norvégien bokmål", "Chichewa": "chichewa", "Divehi": "divehi",
        "Gaelic": "gaélique écossais", "Greek": "grec", "Tongan": "tongien", "Khmer": "khmer",
        "Gujarati": "goudjarati", "Interlingua": "interlingua", "Kannada": "kannada", "Ndebele, North": "ndébélé du Nord",
    },
    "es": {
        "Iran": "Irán", "Laos": "Laos", "Syria": "Siria", "Türkiye": "Turquía",
        "North Korea": "Corea del Norte", "South Korea": "Corea del Sur",
        "Bokmål, Norwegian": "noruego bokmål", "Chichewa": "chichewa",
        "Church Slavic": "eslavo eclesiástico", "Divehi": "divehi", "Gaelic": "gaélico escocés",
        "Haitian": "criollo haitiano", "Kalaallisut": "groenlandés", "Limburgan": "limburgués",
        "Luxembourgish": "luxemburgués", "Navajo": "navajo", "Occitan (post 1500)": "occitano",
        "Ossetian": "osético", "Panjabi": "panyabí", "Sichuan Yi": "yi de Sichuán",
        "Zhuang": "chuang", "Greek": "Griego", "Tongan": "Tongano", "Khmer": "Jemer",
        "Amharic": "Amárico", "Interlingua": "Interlingua", "Arabic": "Árabe", "Dutch": "Neerlandés", "Oromo": "Oromo",
    },
    "ar": {
        "Iran": "إيران", "Laos": "لاوس", "Syria": "سوريا", "Türkiye": "تركيا",
        "North Korea": "كوريا الشمالية", "South Korea": "كوريا الجنوبية",
        "Afar": "العفرية", "Akan": "الأكانية", "Albanian": "الألبانية", "Amharic": "الأمهرية",
        "Avaric": "الأوارية", "Bashkir": "الباشكيرية", "Bihari languages": "اللغات البيهارية",
        "Bokmål, Norwegian": "النرويجية (بوكمال)", 
        "Chichewa": "الشيشيوا", "Church Slavic": "السلافية الكنسية", "Cornish": "الكورنية",
        "Cree": "الكرية", "Divehi": "الديفيهية", "Ewe": "الإيوي", "Faroese": "الفاروية",
        "Fijian": "الفيجية", "Fulah": "الفولانية", "Gaelic": "الغيلية الاسكتلندية",
        "Galician": "الجاليكية", "Ganda": "اللوغندية", "Georgian": "الجورجية",
        "Haitian": "الكريولية الهايتية", "Herero": "الهيريرو", "Hiri Motu": "الهيري موتو",
        "Interlingue": "الإنترلينغ", "Inuktitut": "الإينكتيتوت", "Javanese": "الجاوية",
        "Kalaallisut": "الغرينلاندية", "Kannada": "الكانادية", "Kanuri": "الكانوري",
        "Kikuyu": "الكيكويو", "Kinyarwanda": "الكينيارواندية", "Kirghiz": "القيرغيزية",
        "Komi": "الكومي", "Kongo": "الكونغو", "Kuanyama": "الكوانياما", "Lao": "اللاوية",
        "Limburgan": "الليمبورغية", "Lingala": "اللينغالا", "Luba-Katanga": "اللوبا كاتانغا",
        "Luxembourgish": "اللوكسمبورغية", "Malagasy": "الملغاشية", "Marathi": "الماراثية",
        "Marshallese": "المارشالية", "Navajo": "النافاجو", "Ndebele, North": "النديبيلية الشمالية",
        "Ndebele, South": "النديبيلية الجنوبية", "Ndonga": "الندونغا",
        "Northern Sami": "السامية الشمالية", "Norwegian Nynorsk": "النرويجية (نينورسك)",
        "Occitan (post 1500)": "الأوكسيتانية", "Ojibwa": "الأوجيبوا", "Oriya": "الأوريا",
        "Oromo": "الأورومية", "Ossetian": "الأوسيتية", "Pali": "البالية", "Panjabi": "البنجابية",
        "Pushto": "البشتوية", "Greek": "اليونانية", "Tongan": "التونغية", "Khmer": "الخميرية",
        "Hungarian": "الهنغارية", "Interlingua": "الإنترلينغوا", "Romansh": "الرومانشية", "Samoan": "الساموائية", "Sango": "السانغو",
        "Sardinian": "السردينية", "Shona": "الشونا", "Sichuan Yi": "يي سيتشوان", "Sindhi": "السندية",
        "Sinhala": "السنهالية", "Sotho, Southern": "السوتو الجنوبية", "Swati": "السواتية",
        "Tahitian": "التاهيتية", "Tajik": "الطاجيكية", "Tatar": "التترية", "Telugu": "التيلوغوية",
        "Tigrinya": "التغرينية", "Tsonga": "التسونغا",
        "Tswana": "التسوانية", "Turkmen": "التركمانية", "Twi": "التوي", "Ukrainian": "الأوكرانية",
        "Uzbek": "الأوزبكية", "Venda": "الفندا", "Volapük": "الفولابوك",
        "Western Frisian": "الفريزية الغربية", "Wolof": "الولوفية", "Yoruba": "اليوروبا",
        "Zhuang": "الجوانغ",
    },
}

def catalogs(lang, domains):
    out = []
    for d in domains:
        p = pathlib.Path(f"/usr/share/locale/{lang}/LC_MESSAGES/{d}.mo")
        out.append(gettext.GNUTranslations(p.open("rb"))._catalog)
    return out

def translate(lang, english, cats):
    if english in MANUAL[lang]:
        return MANUAL[lang][english]
    for c in cats:
        if english in c and c[english]:
            return c[english]
    raise SystemExit(f"no {lang} name for {english}")

def sort_key(lang, name):
    if lang == "ar":
        n = re.sub(r"^ال", "", name)
        for h in "أإآ":
            n = n.replace(h, "ا")
        return n
    folded = "".join(ch for ch in unicodedata.normalize("NFD", name) if not unicodedata.combining(ch))
    return folded.casefold()

def table(name, rows):
    body = "".join(f"    ({json.dumps(c)}, {json.dumps(n, ensure_ascii=False)}),\n" for c, n in rows)
    return f"pub const {name}: &[(&str, &str)] = &[\n{body}];\n"

out = ["//! Generated by `scripts/names-tables.py`; do not edit by hand. Names in French, Spanish and\n"
       "//! Arabic from the iso-codes project's translations (LGPL-2.1-or-later), completed by hand.\n\n"]
for lang in ["fr", "es", "ar"]:
    cc = catalogs(lang, ["iso_3166-1"])
    lc = catalogs(lang, ["iso_639-2", "iso_639-3", "iso_639"])
    cs = sorted(((c, translate(lang, n, cc)) for c, n in countries), key=lambda r: sort_key(lang, r[1]))
    ls = sorted(((c, translate(lang, n, lc)) for c, n in languages), key=lambda r: sort_key(lang, r[1]))
    for rows in (cs, ls):
        for _, n in rows:
            assert '"' not in n and "\\" not in n, n
    out.append(table(f"COUNTRIES_{lang.upper()}", cs))
    out.append(table(f"LANGUAGES_{lang.upper()}", ls))
(root / "crates/web/src/names/tables.rs").write_text("\n".join(out))
