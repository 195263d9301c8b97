import json
import math
import os
import threading
import time

import numpy as np
import pandas as pd
import pytest

import contentos

TEXTS = [
    "Big launch today! Join us at https://acme.io/live #launch 🚀",
    "meh.",
    "Why does nobody talk about this?? @rustlang",
    "We wrote a long, careful guide to structured concurrency in Rust. Read it and tell us what you think.",
    "THIS IS HUGE NEWS FOR EVERYONE",
]
AT = "2024-05-01T12:00:00Z"


def test_scores_are_an_array_in_range():
    s = contentos.score_posts(TEXTS, posted_at=AT)
    assert isinstance(s, np.ndarray) and s.dtype == np.float64 and s.shape == (len(TEXTS),)
    assert np.all((s >= 0) & (s <= 100))
    assert len(set(np.round(s, 6))) > 1, "different posts should score differently"


def test_list_numpy_and_pandas_inputs_agree():
    a = contentos.score_posts(TEXTS, posted_at=AT)
    b = contentos.score_posts(np.array(TEXTS), posted_at=AT)
    c = contentos.score_posts(np.array(TEXTS, dtype=object), posted_at=AT)
    d = contentos.score_posts(pd.Series(TEXTS), posted_at=AT)
    for other in (b, c, d):
        np.testing.assert_array_equal(a, other)


def test_posted_at_changes_time_features_and_accepts_many_forms():
    ts = pd.Series(pd.to_datetime([AT] * len(TEXTS)))
    one = contentos.features(TEXTS, posted_at=AT)
    many = contentos.features(TEXTS, posted_at=ts.dt.tz_localize(None).values)
    np.testing.assert_array_equal(one["hour_local"], many["hour_local"])
    assert set(one["hour_local"]) == {12.0}
    berlin = contentos.features(TEXTS, posted_at=AT, timezone="Europe/Berlin")
    assert set(berlin["hour_local"]) == {14.0}
    assert set(one["weekday_local"]) == {2.0}  # Wednesday


def test_platform_is_a_feature_and_unknown_platform_is_a_validation_error():
    f = contentos.features(TEXTS[:1], platform="mastodon", posted_at=AT)
    assert f["platform"][0] == 3.0
    with pytest.raises(contentos.ValidationError) as e:
        contentos.score_posts(TEXTS, platform="myspace")
    assert e.value.field == "platform" and e.value.kind == "validation"


def test_features_are_dataframe_ready_with_schema_names():
    f = contentos.features(TEXTS, posted_at=AT)
    assert list(f) == contentos.feature_names()
    df = pd.DataFrame(f)
    assert df.shape == (len(TEXTS), 22)
    assert df.loc[0, "hashtag_count"] == 1 and df.loc[0, "url_count"] == 1
    assert df.loc[2, "mention_count"] == 1 and df.loc[2, "question_count"] == 1
    assert df.loc[4, "all_caps_ratio"] == 1.0
    assert math.isnan(df.loc[0, "similar_history"])


def test_features_match_the_python_reference_tools(repo):
    """Rows computed in Python (textstat, vaderSentiment) for the default model's sample."""
    sample = json.loads((repo / "contentos-predict/tests/fixtures/default_model_sample.json").read_text())
    f = contentos.features(sample["texts"])
    text_cols = ["char_count", "word_count", "sentence_count", "flesch_reading_ease",
                 "flesch_kincaid_grade", "vader_compound", "hashtag_count", "mention_count", "url_count"]
    for col in text_cols:
        j = sample["features"].index(col)
        want = np.array([np.nan if r[j] is None else r[j] for r in sample["rows"]], dtype=np.float64)
        ok = ~np.isnan(want)
        assert ok.sum() > 100
        np.testing.assert_allclose(f[col][ok], want[ok], rtol=1e-4, atol=1e-3, err_msg=col)


def test_explain_lists_top_factors_consistent_with_scores():
    s, factors = contentos.score_posts(TEXTS, posted_at=AT, explain=True)
    np.testing.assert_allclose(s, contentos.score_posts(TEXTS, posted_at=AT), rtol=0, atol=1e-9)
    assert len(factors) == len(TEXTS)
    names = set(contentos.feature_names())
    for row in factors:
        assert 0 < len(row) <= 5
        assert all(f["feature"] in names for f in row)
        mags = [abs(f["contribution"]) for f in row]
        assert mags == sorted(mags, reverse=True)


def test_model_from_xgboost_json_path_and_schema_check(repo, tmp_path):
    default_json = repo / "contentos-predict/models/engagement-default.json"
    m = contentos.load_model(default_json)
    assert m.num_trees > 0
    np.testing.assert_array_equal(
        contentos.score_posts(TEXTS, posted_at=AT, model=str(default_json)),
        contentos.score_posts(TEXTS, posted_at=AT),
    )
    doc = json.loads(default_json.read_text())
    doc["learner"]["attributes"].pop("contentos_feature_schema", None)
    bad = tmp_path / "noschema.json"
    bad.write_text(json.dumps(doc))
    with pytest.raises(contentos.ValidationError) as e:
        contentos.score_posts(TEXTS, model=bad)
    assert e.value.field == "model.feature_schema"


def test_progress_callback_and_tqdm_like_bar():
    texts = TEXTS * 400
    calls = []
    contentos.score_posts(texts, posted_at=AT, progress=lambda d, t: calls.append((d, t)), chunk_size=500)
    assert calls[-1] == (2000, 2000) and len(calls) == 4
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)

    class Bar:
        total = None
        n = 0

        def update(self, k):
            self.n += k

    bar = Bar()
    contentos.score_posts(texts, posted_at=AT, progress=bar, chunk_size=300)
    assert bar.n == 2000 and bar.total == 2000


def test_gil_is_released_during_a_big_batch():
    texts = TEXTS * 20000  # 100k posts
    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    t = threading.Thread(target=ticker)
    t.start()
    time.sleep(0.02)
    start = time.perf_counter()
    contentos.score_posts(texts, posted_at=AT)
    end = time.perf_counter()
    stop.set()
    t.join()
    during = [x for x in ticks if start < x < end]
    # The batch takes far longer than a few ms; a held GIL would starve the ticker.
    assert end - start > 0.05
    assert len(during) >= 10, f"ticker ran {len(during)} times in {end - start:.2f}s"


@pytest.mark.skipif("CONTENTOS_RUST_SCORES" not in os.environ, reason="set by scripts/test-python.sh")
def test_scores_equal_the_rust_path():
    ref = json.loads(open(os.environ["CONTENTOS_RUST_SCORES"]).read())
    got = contentos.score_posts(ref["texts"], platform=ref["platform"], posted_at=ref["posted_at"])
    np.testing.assert_allclose(got, ref["scores"], rtol=0, atol=1e-9)
