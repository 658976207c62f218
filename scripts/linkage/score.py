#!/usr/bin/env python3
"""Score a linkage against the ground truth column `cluster_true`.

    score.py --truth F.csv --clusters C.csv [--pairs P.csv]
    score.py --truth A.csv --truth-right B.csv --clusters C.csv [--pairs P.csv]   (a link task)

Metrics (printed as JSON):
- pairwise precision / recall / F1 of the clusters: the pairs of records put in one cluster
  against the pairs of records of one person. In a link task only pairs with one record on each
  side count (pairs within one file are not the task).
- B-cubed precision / recall / F1 of the clusters (Bagga and Baldwin): for every record, the share
  of its predicted cluster that is truly the same person (precision) and the share of its person
  found in its cluster (recall), averaged over records. Records missing from CLUSTERS.csv are
  singletons.
- edge precision / recall of PAIRS.csv itself (the scored pairs before clustering), when given.
"""

import argparse
import json

import pandas as pd


def _read_truth(path, side):
    df = pd.read_csv(path, dtype=str, keep_default_na=False, usecols=["id", "cluster_true"])
    df["side"] = side
    return df


def score(truth_paths, clusters_path, pairs_path=None):
    link = len(truth_paths) == 2
    truth = pd.concat([_read_truth(p, i) for i, p in enumerate(truth_paths)], ignore_index=True)
    if truth["id"].duplicated().any():
        raise SystemExit("ids are not unique across the inputs")
    pred = pd.read_csv(clusters_path, dtype=str, keep_default_na=False)
    pred = pred.rename(columns={pred.columns[0]: "id", pred.columns[1]: "cluster"})[["id", "cluster"]]
    pred = pred.drop_duplicates("id")
    df = truth.merge(pred, on="id", how="left")
    missing = df["cluster"].isna() | (df["cluster"] == "")
    df.loc[missing, "cluster"] = "__single__" + df.loc[missing, "id"]
    n = len(df)

    # B-cubed
    cell = df.groupby(["cluster", "cluster_true"]).size().rename("nij").reset_index()
    psize = df.groupby("cluster").size().rename("np")
    tsize = df.groupby("cluster_true").size().rename("nt")
    cell = cell.join(psize, on="cluster").join(tsize, on="cluster_true")
    b_p = float((cell["nij"] ** 2 / cell["np"]).sum() / n)
    b_r = float((cell["nij"] ** 2 / cell["nt"]).sum() / n)

    # pairwise from clusters
    if link:
        side = df.groupby(["cluster", "cluster_true", "side"]).size().unstack(fill_value=0)
        for s in (0, 1):
            if s not in side.columns:
                side[s] = 0
        tp = int((side[0] * side[1]).sum())
        ps = df.groupby(["cluster", "side"]).size().unstack(fill_value=0).reindex(columns=[0, 1], fill_value=0)
        pred_pairs = int((ps[0] * ps[1]).sum())
        ts = df.groupby(["cluster_true", "side"]).size().unstack(fill_value=0).reindex(columns=[0, 1], fill_value=0)
        true_pairs = int((ts[0] * ts[1]).sum())
    else:
        tp = int((cell["nij"] * (cell["nij"] - 1) // 2).sum())
        pred_pairs = int((psize * (psize - 1) // 2).sum())
        true_pairs = int((tsize * (tsize - 1) // 2).sum())

    def prf(tp, npred, ntrue):
        p = tp / npred if npred else 1.0
        r = tp / ntrue if ntrue else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f

    p, r, f = prf(tp, pred_pairs, true_pairs)
    out = {"records": n, "true_pairs": true_pairs, "predicted_pairs": pred_pairs, "tp": tp,
           "precision": p, "recall": r, "f1": f,
           "bcubed_precision": b_p, "bcubed_recall": b_r,
           "bcubed_f1": 2 * b_p * b_r / (b_p + b_r) if b_p + b_r else 0.0}

    if pairs_path:
        pairs = pd.read_csv(pairs_path, dtype=str, keep_default_na=False)
        pairs = pairs.rename(columns={pairs.columns[0]: "id_l", pairs.columns[1]: "id_r"})
        t = truth.set_index("id")["cluster_true"]
        s = truth.set_index("id")["side"]
        cl, cr = pairs["id_l"].map(t), pairs["id_r"].map(t)
        keep = pd.Series(True, index=pairs.index)
        if link:
            keep = pairs["id_l"].map(s) != pairs["id_r"].map(s)
        # one row per unordered pair
        a = pairs["id_l"].where(pairs["id_l"] < pairs["id_r"], pairs["id_r"])
        b = pairs["id_r"].where(pairs["id_l"] < pairs["id_r"], pairs["id_l"])
        uniq = ~pd.DataFrame({"a": a, "b": b}).duplicated()
        sel = keep & uniq
        etp = int(((cl == cr) & cl.notna() & sel).sum())
        ep, er, ef = prf(etp, int(sel.sum()), true_pairs)
        out.update({"edges": int(sel.sum()), "edge_precision": ep, "edge_recall": er, "edge_f1": ef})
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--truth", required=True)
    ap.add_argument("--truth-right")
    ap.add_argument("--clusters", required=True)
    ap.add_argument("--pairs")
    args = ap.parse_args()
    truths = [args.truth] + ([args.truth_right] if args.truth_right else [])
    print(json.dumps(score(truths, args.clusters, args.pairs), indent=1))


if __name__ == "__main__":
    main()
