#!/usr/bin/env python3
"""Which kinds of error each tool links and which it misses.

    errors.py --input F.csv --clusters NAME=C.csv [--clusters NAME2=C2.csv ...]

Every true pair (two records of one person) is put in the kinds of difference it shows, read
from the records themselves: names in different scripts, one side with the full name only, given
and family name swapped, names spelled differently in the same script, a family name more on one
side, a partial or missing date of birth, day and month swapped, another date. For each kind the
table gives the number of true pairs and, for each tool, the share it put in one cluster (recall
by kind). Then the false pairs each tool made, by what the two records share (same family name,
same phone, same place...), to see where precision goes.
"""

import argparse
import collections
import random
import re
import unicodedata

import pandas as pd


def is_latin(s):
    return all(not c.isalpha() or ord(c) < 0x250 or 0x1E00 <= ord(c) < 0x1F00 for c in s)


def fold(s):
    s = unicodedata.normalize("NFKD", s.lower())
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[\s\-'’.,]+", " ", s).strip()


def names(r):
    g, f = fold(r["given_name"]), fold(r["family_name"])
    if not g and not f and r["full_name"]:
        full = r["full_name"]
        if "," in full:
            fam, _, giv = full.partition(",")
            return fold(giv), fold(fam), True
        return fold(full), "", True
    return g, f, False


def dob_kind(a, b):
    if not a or not b:
        return "date of birth missing on one side"
    if a == b:
        return "date of birth equal" if len(a) == 10 else "date of birth equal but partial"
    if len(a) != len(b):
        return "date of birth partial on one side"
    if len(a) == 10 and a[:4] == b[:4] and a[5:7] == b[8:10] and a[8:10] == b[5:7]:
        return "day and month swapped"
    if len(a) == 10 and (a.endswith("-01-01") or b.endswith("-01-01")):
        return "1 January for an unknown day"
    return "date of birth differs"


def pair_kinds(a, b):
    kinds = []
    ga, fa, fulla = names(a)
    gb, fb, fullb = names(b)
    ta, tb = (ga + " " + fa).strip(), (gb + " " + fb).strip()
    la, lb = is_latin(ta), is_latin(tb)
    if la != lb:
        kinds.append("names in different scripts")
    elif not la:
        kinds.append("names both in a non-Latin script")
    if fulla or fullb:
        kinds.append("full name only on one side" if fulla != fullb else "full name only on both sides")
    sa, sb = set(ta.split()), set(tb.split())
    if la == lb:
        if not fulla and not fullb and ga and fb and ga == fb and fa == gb and ga != fa:
            kinds.append("given and family name swapped")
        elif sa == sb:
            kinds.append("names the same (after case and accents)")
        elif sa < sb or sb < sa:
            kinds.append("a name more on one side (second family name, father's name)")
        elif sa & sb:
            kinds.append("names partly different (spelling, typing, transliteration)")
        else:
            kinds.append("no name word in common (spelling, typing, transliteration)")
    kinds.append(dob_kind(a["date_of_birth"], b["date_of_birth"]))
    return kinds


def shared(a, b):
    """What a false pair has in common."""
    out = []
    ga, fa, _ = names(a)
    gb, fb, _ = names(b)
    if fa and fa == fb:
        out.append("same family name")
    if ga and ga == gb:
        out.append("same given name")
    for col, label in (("phone", "same phone"), ("location", "same location"),
                       ("date_of_birth", "same date of birth"), ("document_number", "same document")):
        if a[col] and a[col] == b[col]:
            out.append(label)
    return out or ["nothing exact in common"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--clusters", action="append", required=True, help="NAME=CLUSTERS.csv")
    ap.add_argument("--max-pairs", type=int, default=200000, help="sample this many true pairs")
    args = ap.parse_args()
    df = pd.read_csv(args.input, dtype=str, keep_default_na=False)
    recs = df.set_index("id").to_dict("index")
    tools = []
    for spec in args.clusters:
        name, _, path = spec.partition("=")
        c = pd.read_csv(path, dtype=str, keep_default_na=False)
        tools.append((name, dict(zip(c.iloc[:, 0], c.iloc[:, 1]))))

    pairs = []
    for _, ids in df.groupby("cluster_true")["id"]:
        ids = list(ids)
        pairs += [(ids[i], ids[j]) for i in range(len(ids)) for j in range(i + 1, len(ids))]
    random.Random(1).shuffle(pairs)
    pairs = pairs[: args.max_pairs]
    total = collections.Counter()
    found = {n: collections.Counter() for n, _ in tools}
    for a, b in pairs:
        ks = pair_kinds(recs[a], recs[b])
        for k in ks:
            total[k] += 1
        for n, cl in tools:
            ca, cb = cl.get(a), cl.get(b)
            if ca is not None and ca == cb:
                for k in ks:
                    found[n][k] += 1
    names_ = [n for n, _ in tools]
    print(f"| kind of difference (true pairs, {len(pairs):,} sampled) | pairs | "
          + " | ".join(f"{n} recall" for n in names_) + " |")
    print("|---|---:|" + "---:|" * len(names_))
    for k, t in total.most_common():
        print(f"| {k} | {t:,} | " + " | ".join(f"{found[n][k] / t:.2f}" for n in names_) + " |")

    # false pairs by what they share
    truth = dict(zip(df["id"], df["cluster_true"]))
    print()
    print("| false pairs in one cluster, by what the two records share | "
          + " | ".join(names_) + " |")
    print("|---|" + "---:|" * len(names_))
    fp = {}
    for n, cl in tools:
        groups = collections.defaultdict(list)
        for i, c in cl.items():
            groups[c].append(i)
        cnt = collections.Counter()
        for members in groups.values():
            if len(members) < 2 or len(members) > 200:
                continue
            for i in range(len(members)):
                for j in range(i + 1, len(members)):
                    a, b = members[i], members[j]
                    if truth.get(a) != truth.get(b):
                        for s in shared(recs[a], recs[b]):
                            cnt[s] += 1
                        cnt["all false pairs"] += 1
        fp[n] = cnt
    kinds = collections.Counter()
    for c in fp.values():
        kinds.update(c)
    for k, _ in kinds.most_common():
        print(f"| {k} | " + " | ".join(f"{fp[n][k]:,}" for n in names_) + " |")


if __name__ == "__main__":
    main()
