#!/usr/bin/env python3
"""Splink (DuckDB backend) on the same inputs as `passage linkage`, writing the same outputs.

    splink_run.py dedupe --input F.csv --pairs P.csv --clusters C.csv [--threshold 0.9]
    splink_run.py link --left A.csv --right B.csv --pairs P.csv --clusters C.csv [--threshold 0.9]

The configuration follows Splink's documentation for person data, and uses the same columns
Passage recognises (extra columns such as `cluster_true` are dropped before Splink sees them):

- cleaning as Splink asks its users to do: lower case, accents and punctuation removed, phone
  numbers reduced to their last nine digits; a name given only as `full_name` is split into
  given name (first word) and family name (the rest, or the part before a comma). Splink has no
  transliteration, so names in Arabic, Cyrillic, Devanagari or Ge'ez script stay as written.
- comparisons: ForenameSurnameComparison with term frequencies on the full name (catches
  swapped given and family names), date of birth by exact full date / one edit / same year and
  month / same year (so partial dates still count), citizenship, sex, location (term
  frequencies), postcode, place of birth (Jaro-Winkler), phone and document number (one edit).
- blocking for prediction: given+family, family+year, given+year, given and family swapped,
  full date+location, phone, document number, two-letter prefixes of both names+year, full
  date+initial, full date+citizenship (about 60 million comparisons at 1M generated records;
  looser rules such as three-letter prefixes alone would add ten times that).
- training without labels as the documentation recommends: the prior from deterministic rules,
  u by random sampling, m by expectation maximisation in two sessions (blocked on names, then on
  date of birth) so that every comparison is estimated.
- pairs at or above the threshold, clusters by connected components at the same threshold.
"""

import argparse
import logging
import re
import sys
import unicodedata

import pandas as pd

import splink
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

COLUMNS = ["id", "given_name", "family_name", "full_name", "date_of_birth", "sex", "citizenship",
           "place_of_birth", "location", "postcode", "phone", "document_number"]

_PUNCT = re.compile(r"[\s\-'’.,_/()]+")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def clean(s):
    if not s:
        return None
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = _PUNCT.sub(" ", s.lower()).strip()
    return s or None


def prepare(path):
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    for c in COLUMNS:
        if c not in df.columns:
            df[c] = ""
    df = df[COLUMNS]
    given, family = [], []
    for g, f, full in zip(df["given_name"], df["family_name"], df["full_name"]):
        g, f = clean(g), clean(f)
        if not g and not f and full:
            if "," in full:
                fam, _, giv = full.partition(",")
                g, f = clean(giv), clean(fam)
            else:
                toks = (clean(full) or "").split(" ")
                g = toks[0] or None
                f = " ".join(toks[1:]) or None
        given.append(g)
        family.append(f)
    out = pd.DataFrame({"unique_id": df["id"]})
    out["given"] = given
    out["family"] = family
    out["name_concat"] = [(g or "") + " " + (f or "") if (g or f) else None for g, f in zip(given, family)]
    dob = [d if _DATE.match(d or "") else None for d in df["date_of_birth"]]
    out["dob_full"] = [d if d and len(d) == 10 else None for d in dob]
    out["dob_ym"] = [d[:7] if d and len(d) >= 7 else None for d in dob]
    out["dob_year"] = [d[:4] if d else None for d in dob]
    for c in ("sex", "citizenship", "place_of_birth", "location", "postcode"):
        out[c] = [clean(v) for v in df[c]]
    phones = []
    for v in df["phone"]:
        digits = re.sub(r"\D", "", v or "")
        phones.append(digits[-9:] if len(digits) >= 6 else None)
    out["phone"] = phones
    out["document_number"] = [re.sub(r"[^0-9A-Z]", "", (v or "").upper()) or None for v in df["document_number"]]
    return out


def settings(link_type, frames):
    """Comparisons for the columns the input has (Febrl has no phone, sex or citizenship)."""

    def present(*cols):
        return all(any(f[c].notna().any() for f in frames) for c in cols)

    dob = cl.CustomComparison(
        output_column_name="date_of_birth",
        comparison_levels=[
            cll.NullLevel("dob_year"),
            cll.ExactMatchLevel("dob_full"),
            cll.DamerauLevenshteinLevel("dob_full", 1),
            cll.ExactMatchLevel("dob_ym"),
            cll.ExactMatchLevel("dob_year"),
            cll.ElseLevel(),
        ],
    )
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        comparisons=[c for c, col in [
            (cl.ForenameSurnameComparison("given", "family", forename_surname_concat_col_name="name_concat"),
             "name_concat"),
            (dob, "dob_year"),
            (cl.ExactMatch("citizenship").configure(term_frequency_adjustments=True), "citizenship"),
            (cl.ExactMatch("sex"), "sex"),
            (cl.ExactMatch("location").configure(term_frequency_adjustments=True), "location"),
            (cl.ExactMatch("postcode"), "postcode"),
            (cl.JaroWinklerAtThresholds("place_of_birth", [0.9]), "place_of_birth"),
            (cl.DamerauLevenshteinAtThresholds("phone", [1]), "phone"),
            (cl.DamerauLevenshteinAtThresholds("document_number", [1]), "document_number"),
        ] if present(col)],
        blocking_rules_to_generate_predictions=[
            block_on("given", "family"),
            block_on("family", "dob_year"),
            block_on("given", "dob_year"),
            "l.given = r.family and l.family = r.given",
            block_on("dob_full", "location"),
            block_on("phone"),
            block_on("document_number"),
            block_on("substr(given, 1, 2)", "substr(family, 1, 2)", "dob_year"),
            block_on("dob_full", "substr(given, 1, 1)"),
            block_on("dob_full", "citizenship"),
        ],
        retain_intermediate_calculation_columns=False,
    )


def train(linker):
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given", "family", "dob_full"), block_on("document_number", "dob_year")], recall=0.6)
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("given", "family"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob_full"), max_pairs=5e6)


def write_outputs(linker, threshold, pairs_path, clusters_path):
    pred = linker.inference.predict(threshold_match_probability=threshold)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, threshold)
    p = pred.as_pandas_dataframe()[["unique_id_l", "unique_id_r", "match_probability"]]
    p.columns = ["id_l", "id_r", "probability"]
    p.to_csv(pairs_path, index=False, float_format="%.6f")
    c = clusters.as_pandas_dataframe()[["unique_id", "cluster_id"]]
    c.columns = ["id", "cluster"]
    c.to_csv(clusters_path, index=False)
    print(f"splink {splink.__version__}: {len(p)} pairs >= {threshold}, {c['cluster'].nunique()} clusters",
          file=sys.stderr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["dedupe", "link"])
    ap.add_argument("--input")
    ap.add_argument("--left")
    ap.add_argument("--right")
    ap.add_argument("--pairs", required=True)
    ap.add_argument("--clusters", required=True)
    ap.add_argument("--threshold", type=float, default=0.9)
    ap.add_argument("--model", help="write the trained model here (JSON)")
    args = ap.parse_args()
    db = DuckDBAPI()
    if args.mode == "dedupe":
        df = prepare(args.input)
        tables = db.register(df, dataset_display_name="input")
        linker = Linker(tables, settings("dedupe_only", [df]), log_level=logging.WARNING)
    else:
        dfl, dfr = prepare(args.left), prepare(args.right)
        left = db.register(dfl, dataset_display_name="dataset_a")
        right = db.register(dfr, dataset_display_name="dataset_b")
        linker = Linker([left, right], settings("link_only", [dfl, dfr]), log_level=logging.WARNING)
    train(linker)
    if args.model:
        linker.misc.save_model_to_json(args.model, overwrite=True)
    write_outputs(linker, args.threshold, args.pairs, args.clusters)


if __name__ == "__main__":
    main()
