#!/usr/bin/env python3
"""Time textstat + vaderSentiment per post on the parity corpus, then the Rust port, same run.

    python3 scripts/golden/bench_python_features.py            # Python, then `cargo bench`
    python3 scripts/golden/bench_python_features.py --python-only

Python side, per post: textstat.flesch_reading_ease, textstat.flesch_kincaid_grade and
SentimentIntensityAnalyzer.polarity_scores (what a notebook computes for these features).
Each text is distinct, so textstat's 128-entry lru_cache only helps between the two formulas of
the same text, exactly as in a notebook loop. Rust side: the `features` criterion bench
(benches/features.rs), group `features_corpus`, single thread, same texts.
"""
import json
import os
import re
import subprocess
import sys
import time
from importlib.metadata import version

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
import cmu_setup  # noqa: E402

cmu_setup.install_nltk_cmudict()

import textstat  # noqa: E402
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # noqa: E402

GOLDEN = os.path.join(ROOT, "contentos-predict", "tests", "golden", "texts.jsonl")


def load():
    with open(GOLDEN, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    # Real tweets and generated posts (as benches/features.rs); edge cases and fuzz are for parity.
    return [r["text"] for r in rows if r["source"] in ("trump_tweets", "synthetic")]


def main():
    texts = load()
    analyzer = SentimentIntensityAnalyzer()
    textstat.flesch_reading_ease("warm up the CMU dictionary")

    def vader(ts):
        for t in ts:
            analyzer.polarity_scores(t)

    def readability(ts):
        for t in ts:
            textstat.flesch_reading_ease(t)
            textstat.flesch_kincaid_grade(t)

    def both(ts):
        for t in ts:
            textstat.flesch_reading_ease(t)
            textstat.flesch_kincaid_grade(t)
            analyzer.polarity_scores(t)

    py = {}
    for name, fn in [("vader_polarity_scores", vader), ("readability_fre_fkg", readability),
                     ("all_text_features", both)]:
        runs = []
        for _ in range(3):
            # 3,600 distinct texts > textstat's 128-entry cache: every pass starts cold
            # (pyphen's unbounded per-word cache stays warm, as in a notebook session).
            t0 = time.perf_counter()
            fn(texts)
            runs.append(time.perf_counter() - t0)
        py[name] = min(runs) / len(texts)
    print(f"Python {sys.version.split()[0]}, textstat {version('textstat')}, vaderSentiment {version('vaderSentiment')}, "
          f"{len(texts)} posts")
    for name, per in py.items():
        print(f"  python {name:24s} {per * 1e6:10.1f} us/post  {1 / per:12.0f} posts/s")
    if "--python-only" in sys.argv:
        return

    env = dict(os.environ)
    cmd = ["cargo", "bench", "-p", "contentos-benches", "--bench", "features", "--",
           "features_corpus", "--warm-up-time", "1", "--measurement-time", "5"]
    print("running:", " ".join(cmd), flush=True)
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        print(out.stdout[-3000:], out.stderr[-3000:])
        sys.exit("cargo bench failed")
    text = out.stdout
    units = {"ns": 1e-9, "µs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}
    rust = {}
    for m in re.finditer(
        r"features_corpus/(\w+)\s+time:\s+\[\S+ \S+ (\S+) (\S+) \S+ \S+\]", text
    ):
        rust[m.group(1)] = float(m.group(2)) * units[m.group(3)] / len(texts)
    print(f"\n{'feature set':26s} {'python us/post':>15s} {'rust us/post':>13s} {'speedup':>9s}")
    for name, per in py.items():
        if name in rust:
            print(f"{name:26s} {per * 1e6:15.1f} {rust[name] * 1e6:13.3f} {per / rust[name]:8.0f}x")
    if "text_stats" in rust:
        print(f"{'text_stats (rust only)':26s} {'':15s} {rust['text_stats'] * 1e6:13.3f}")


if __name__ == "__main__":
    main()
