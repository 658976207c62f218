#!/usr/bin/env python3
"""Run Passage and Splink on identical inputs and print one Markdown table (called by
scripts/bench-linkage, which builds Passage and prepares the virtual environment).

Each tool runs as its own process under /usr/bin/time -v: wall time is the whole process
(reading the CSV, training, scoring, clustering, writing), peak memory is its maximum resident
set size. Both write PAIRS.csv (id_l,id_r,probability) and CLUSTERS.csv (id,cluster) at the same
threshold, and score.py scores the clusters against `cluster_true`.
"""

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import score as scorer  # noqa: E402


def log(msg):
    print(f"[bench-linkage {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def timed(cmd, prefix, timeout):
    """Run cmd under /usr/bin/time -v; returns dict(ok, wall, rss_mib, error)."""
    tf = prefix + ".time"
    with open(prefix + ".log", "w") as logf:
        proc = subprocess.Popen(["/usr/bin/time", "-v", "-o", tf] + cmd, stdout=logf, stderr=logf,
                                start_new_session=True)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return {"ok": False, "error": f"stopped after {timeout} s"}
    text = open(tf).read() if os.path.exists(tf) else ""
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", text)
    wall = (int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))) if m else None
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    rss = int(m.group(1)) / 1024 if m else None
    m = re.search(r"Exit status: (\d+)", text)
    status = int(m.group(1)) if m else proc.returncode
    if status != 0 or "Command terminated by signal" in text:
        lines = [x.strip() for x in open(prefix + ".log").read().splitlines() if x.strip()]
        errs = [x for x in lines if "error" in x.lower()] or lines or [""]
        return {"ok": False, "error": f"exit {status}: {errs[-1][:160]}",
                "wall": wall, "rss_mib": rss}
    return {"ok": True, "wall": wall, "rss_mib": rss}


def has_command(passage, *words):
    try:
        r = subprocess.run([passage, *words, "--help"], capture_output=True, timeout=30)
        return r.returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def fresh(path, sources):
    return os.path.exists(path) and all(os.path.getmtime(path) >= os.path.getmtime(s) for s in sources)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10k,100k")
    ap.add_argument("--skip-splink", action="store_true")
    ap.add_argument("--skip-febrl", action="store_true")
    ap.add_argument("--threshold", default="0.5")
    ap.add_argument("--seed", default="42")
    ap.add_argument("--passage", required=True)
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--work", required=True, help="directory for data and runs")
    ap.add_argument("--splink-timeout", type=int, default=1800)
    ap.add_argument("--passage-timeout", type=int, default=1800)
    args = ap.parse_args()

    data = os.path.join(args.work, "data")
    runs = os.path.join(args.work, "runs")
    os.makedirs(data, exist_ok=True)
    os.makedirs(runs, exist_ok=True)
    if os.path.exists(os.path.join(args.work, "results.jsonl")):
        os.remove(os.path.join(args.work, "results.jsonl"))
    gen = os.path.join(HERE, "generate.py")
    gen_sources = [gen, os.path.join(HERE, "names.py")]
    py = args.python

    have_passage = os.path.exists(args.passage) and has_command(args.passage, "linkage", "dedupe")
    have_encode = have_passage and has_command(args.passage, "linkage", "encode")
    if not have_passage:
        log(f"{args.passage} has no `linkage` command: Passage rows are skipped")
    elif not have_encode:
        log("`passage linkage encode` is not there: the privacy-preserving rows are skipped")

    # ------------------------------------------------------------------ datasets
    tasks = []  # (name, kind, inputs, truth paths)
    if not args.skip_febrl:
        febrl_dir = os.path.join(data, "febrl")
        if not os.path.exists(os.path.join(febrl_dir, "febrl4b.csv")) or not fresh(
                os.path.join(febrl_dir, "febrl4b.csv"), [gen]):
            log("writing the Febrl datasets")
            subprocess.run([py, gen, "febrl", "--out-dir", febrl_dir], check=True)
        for n in (1, 2, 3):
            f = os.path.join(febrl_dir, f"febrl{n}.csv")
            tasks.append((f"febrl{n}", "dedupe", [f], [f]))
        a, b = os.path.join(febrl_dir, "febrl4a.csv"), os.path.join(febrl_dir, "febrl4b.csv")
        tasks.append(("febrl4 (link)", "link", [a, b], [a, b]))
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    for i, size in enumerate(sizes):
        f = os.path.join(data, f"population-{size}-seed{args.seed}.csv")
        if not fresh(f, gen_sources):
            log(f"generating {size} records")
            t0 = time.time()
            subprocess.run([py, gen, "population", "--records", size, "--seed", args.seed, "--out", f], check=True)
            log(f"generated {size} records in {time.time() - t0:.0f} s")
        tasks.append((f"generated {size}", "dedupe", [f], [f]))
        if i == 0:
            a = os.path.join(data, f"population-{size}-seed{args.seed}-left.csv")
            b = os.path.join(data, f"population-{size}-seed{args.seed}-right.csv")
            if not fresh(b, [f]):
                subprocess.run([py, gen, "split", "--input", f, "--left", a, "--right", b], check=True)
            tasks.append((f"generated {size} split (link)", "link", [a, b], [a, b]))

    key = os.path.join(args.work, "bench.key")
    if have_encode and not os.path.exists(key):
        with open(key, "w") as fh:
            fh.write(os.urandom(32).hex() + "\n")

    results = []
    for name, kind, inputs, truths in tasks:
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        tools = []
        if have_passage:
            tools.append("Passage")
        if not args.skip_splink:
            tools.append("Splink")
        if have_encode and kind == "link":
            tools.append("Passage, Bloom-encoded")
        for tool in tools:
            tslug = re.sub(r"[^a-z0-9]+", "-", tool.lower())
            prefix = os.path.join(runs, f"{slug}.{tslug}")
            pairs, clusters = prefix + ".pairs.csv", prefix + ".clusters.csv"
            for p in (pairs, clusters):
                if os.path.exists(p):
                    os.remove(p)
            io = (["--input", inputs[0]] if kind == "dedupe" else ["--left", inputs[0], "--right", inputs[1]])
            out = ["--pairs", pairs, "--clusters", clusters, "--threshold", args.threshold]
            log(f"{name}: {tool}")
            if tool == "Passage":
                res = timed([args.passage, "linkage", kind, *io, *out], prefix, args.passage_timeout)
            elif tool == "Splink":
                res = timed([py, os.path.join(HERE, "splink_run.py"), kind, *io, *out], prefix, args.splink_timeout)
            else:
                # encode each side under the shared key, then link the encodings; the cost is the
                # sum of the three processes and the peak the largest of them
                encs, walls, peaks, res = [], [], [], {"ok": True}
                for side, f in zip("lr", inputs):
                    enc = f"{prefix}.{side}.enc.csv"
                    encs.append(enc)
                    r = timed([args.passage, "linkage", "encode", "--input", f, "--key-file", key,
                               "--output", enc], f"{prefix}.encode-{side}", args.passage_timeout)
                    if not r["ok"]:
                        res = r
                        break
                    walls.append(r["wall"])
                    peaks.append(r["rss_mib"])
                if res["ok"]:
                    # an encoded link scores match probabilities too, with the same default (0.9)
                    r = timed([args.passage, "linkage", "link", "--left", encs[0], "--right", encs[1],
                               "--encoded", *out[:4]], prefix, args.passage_timeout)
                    res = r if not r["ok"] else {"ok": True, "wall": sum(walls) + r["wall"],
                                                 "rss_mib": max(peaks + [r["rss_mib"]])}
            row = {"dataset": name, "kind": kind, "tool": tool, **res}
            if res["ok"]:
                row.update(scorer.score(truths, clusters, pairs))
                if tool == "Passage":
                    # blocking and threshold figures from a second, untimed run against the truth
                    row.update(blocking_figures(args, kind, io, prefix))
            else:
                log(f"{name}: {tool} failed: {res['error']}")
            results.append(row)
            with open(os.path.join(args.work, "results.jsonl"), "a") as fh:
                fh.write(json.dumps(row) + "\n")

    md = table(results, args)
    # error kinds on the first generated population: what each tool links and misses
    first = next((t for t in tasks if t[0].startswith("generated ") and t[1] == "dedupe"), None)
    if first:
        slug = re.sub(r"[^a-z0-9]+", "-", first[0].lower()).strip("-")
        specs = []
        for r in results:
            if r["dataset"] == first[0] and r["ok"]:
                tslug = re.sub(r"[^a-z0-9]+", "-", r["tool"].lower())
                specs += ["--clusters", f"{r['tool']}={os.path.join(runs, slug + '.' + tslug + '.clusters.csv')}"]
        if specs:
            out = subprocess.run([py, os.path.join(HERE, "errors.py"), "--input", first[2][0], *specs],
                                 capture_output=True, text=True)
            if out.returncode == 0:
                md += f"\nBy kind of error, {first[0]} records (scripts/linkage/errors.py):\n\n" + out.stdout
    with open(os.path.join(args.work, "results.md"), "w") as fh:
        fh.write(md)
    print(md)


def blocking_figures(args, kind, io, prefix):
    """Pairs completeness, reduction ratio and the threshold where pairwise F1 of the scored
    pairs peaks, from `passage linkage --truth cluster_true` (a run apart, so the timed run
    does not pay for the evaluation)."""
    out = [f"{prefix}.truth.pairs.csv", f"{prefix}.truth.clusters.csv"]
    cmd = [args.passage, "linkage", kind, *io, "--pairs", out[0], "--clusters", out[1],
           "--threshold", args.threshold, "--truth", "cluster_true", "--quiet"]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=args.passage_timeout)
    except subprocess.TimeoutExpired:
        return {}
    for p in out:
        if os.path.exists(p):
            os.remove(p)
    fig = {}
    for line in r.stdout.splitlines():
        m = re.match(r"pairs completeness\s+([\d.]+)", line)
        if m:
            fig["pairs_completeness"] = float(m.group(1))
        m = re.match(r"reduction ratio\s+([\d.]+)", line)
        if m:
            fig["reduction_ratio"] = float(m.group(1))
        m = re.match(r"F1 peaks at threshold ([\d.]+) \(F1 ([\d.]+)\)", line)
        if m:
            fig["f1_peak_threshold"], fig["f1_peak"] = float(m.group(1)), float(m.group(2))
        m = re.match(r"pairs\s+precision ([\d.]+) recall ([\d.]+) F1 ([\d.]+)", line)
        if m:
            fig["edge_f1_default"] = float(m.group(3))
    return fig


def f3(x):
    return "" if x is None else f"{x:.3f}"


def table(results, args):
    lines = [f"{time.strftime('%Y-%m-%d', time.gmtime())} · {os.cpu_count()} cores · threshold {args.threshold} · "
             f"seed {args.seed}", "",
             "| dataset | records | tool | pairwise P | pairwise R | pairwise F1 | B³ F1 | wall s | peak MiB |",
             "|---|---:|---|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        if r["ok"]:
            lines.append(f"| {r['dataset']} | {r['records']:,} | {r['tool']} | {f3(r['precision'])} | "
                         f"{f3(r['recall'])} | {f3(r['f1'])} | {f3(r['bcubed_f1'])} | {r['wall']:.1f} | "
                         f"{r['rss_mib']:.0f} |")
        else:
            lines.append(f"| {r['dataset']} | | {r['tool']} | {r['error']} | | | | | |")
    blk = [r for r in results if r["ok"] and r["tool"] == "Passage" and "pairs_completeness" in r]
    if blk:
        lines += ["", "Passage's blocking and threshold, from a second run with `--truth cluster_true` (pairwise "
                  "F1 here is of the scored pairs before clustering):", "",
                  f"| dataset | pairs completeness | reduction ratio | pairs F1 at {args.threshold} | F1 peaks at threshold | "
                  "peak F1 |", "|---|---:|---:|---:|---:|---:|"]
        for r in blk:
            lines.append(f"| {r['dataset']} | {r['pairs_completeness']:.4f} | {r['reduction_ratio']:.6f} | "
                         f"{f3(r.get('edge_f1_default'))} | {r.get('f1_peak_threshold', '')} | "
                         f"{f3(r.get('f1_peak'))} |")
    by = {}
    for r in results:
        by.setdefault(r["dataset"], {})[r["tool"]] = r
    ratio = []
    for ds, tools in by.items():
        p, s = tools.get("Passage"), tools.get("Splink")
        if p and s and p["ok"] and s["ok"]:
            ratio.append(f"| {ds} | {p['f1'] - s['f1']:+.3f} | {p['bcubed_f1'] - s['bcubed_f1']:+.3f} | "
                         f"{s['wall'] / p['wall']:.1f}× | {p['rss_mib'] / s['rss_mib']:.2f} |")
    if ratio:
        lines += ["", "| dataset | F1 Passage − Splink | B³ F1 Passage − Splink | Passage speed-up (Splink wall ÷ Passage wall) | "
                  "Passage peak ÷ Splink peak |", "|---|---:|---:|---:|---:|"] + ratio
    enc = []
    for ds, tools in by.items():
        p, e = tools.get("Passage"), tools.get("Passage, Bloom-encoded")
        if p and e and p["ok"] and e["ok"]:
            enc.append(f"| {ds} | {p['f1']:.3f} | {e['f1']:.3f} | {e['f1'] - p['f1']:+.3f} | "
                       f"{e['wall'] / p['wall']:.1f}× |")
    if enc:
        lines += ["", "| link task | plaintext F1 | Bloom-encoded F1 | difference | encoded wall ÷ plaintext wall |",
                  "|---|---:|---:|---:|---:|"] + enc
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
