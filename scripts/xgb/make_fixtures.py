#!/usr/bin/env python3
"""Generate XGBoost parity fixtures for contentos-predict's pure-Rust scorer.

Run once per installed xgboost version (each in its own venv), e.g.:

    /work/venvs/x16/bin/python scripts/xgb/make_fixtures.py   # xgboost 1.6.2 (numpy<2)
    /work/venvs/x17/bin/python scripts/xgb/make_fixtures.py   # xgboost 1.7.6 (numpy<2)
    /work/venvs/x21/bin/python scripts/xgb/make_fixtures.py   # xgboost 2.1.4
    /work/venvs/x3/bin/python  scripts/xgb/make_fixtures.py   # xgboost 3.2.0

Writes contentos-predict/tests/fixtures/xgb/v<major>_<minor>/<case>.model.json (the model as saved
by that xgboost) and <case>.expected.json (inputs, `predict`, `predict(output_margin=True)` and
`predict(pred_contribs=True)`, exact and with approx_contribs=True), plus refuse_*.model.json
models the Rust loader must reject.
Inputs are float32 with NaN for missing values (encoded as JSON null).
"""
import json
import os
import sys

import numpy as np
import xgboost as xgb

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MAJOR, MINOR = (int(p) for p in xgb.__version__.split(".")[:2])
OUT = os.path.join(ROOT, "contentos-predict", "tests", "fixtures", "xgb", f"v{MAJOR}_{MINOR}")


def make_data(rng, n, n_feat, missing_rate):
    """Mixed integer-valued (so inputs hit split thresholds exactly) and continuous features."""
    X = np.empty((n, n_feat), dtype=np.float32)
    for j in range(n_feat):
        if j % 2 == 0:
            X[:, j] = rng.integers(0, 12, size=n)
        else:
            X[:, j] = rng.normal(0, 3, size=n)
    mask = rng.random((n, n_feat)) < missing_rate
    X[mask] = np.nan
    return X


def tojson_rows(X):
    return [[None if np.isnan(v) else float(v) for v in row] for row in X]


def with_thresholds(bst, X):
    """Replace some test cells by split thresholds of the model, to check strict `<`."""
    dump = bst.get_dump(dump_format="json")
    thr = {}
    for tree in dump:
        stack = [json.loads(tree)]
        while stack:
            node = stack.pop()
            if "split" in node:
                f = node["split"]
                idx = int(f[1:]) if isinstance(f, str) and f.startswith("f") else int(f)
                thr.setdefault(idx, []).append(np.float32(node["split_condition"]))
                stack.extend(node["children"])
    X = X.copy()
    rng = np.random.default_rng(7)
    for i in range(0, X.shape[0], 3):
        j = int(rng.integers(0, X.shape[1]))
        if thr.get(j):
            X[i, j] = thr[j][int(rng.integers(0, len(thr[j])))]
    return X


def save_case(name, bst, X_test):
    os.makedirs(OUT, exist_ok=True)
    bst.save_model(os.path.join(OUT, f"{name}.model.json"))
    d = xgb.DMatrix(X_test, missing=np.nan)
    pred = bst.predict(d)
    margin = bst.predict(d, output_margin=True)
    contribs = bst.predict(d, pred_contribs=True)
    approx = bst.predict(d, pred_contribs=True, approx_contribs=True)
    expected = {
        "xgboost_version": xgb.__version__,
        "num_feature": int(X_test.shape[1]),
        "inputs": tojson_rows(X_test),
        "predict": [float(v) for v in pred],
        "margin": [float(v) for v in margin],
        "contribs": [[float(v) for v in row] for row in contribs],
        "approx_contribs": [[float(v) for v in row] for row in approx],
    }
    with open(os.path.join(OUT, f"{name}.expected.json"), "w") as f:
        json.dump(expected, f)
    print(f"{OUT}/{name}: {len(pred)} rows")


def train(params, X, y, rounds):
    return xgb.train(params, xgb.DMatrix(X, label=y, missing=np.nan), num_boost_round=rounds)


def main():
    rng = np.random.default_rng(42)
    base_hist = {"tree_method": "hist", "seed": 1}

    # binary:logistic, depth 4, 20% missing.
    X = make_data(rng, 2000, 6, 0.2)
    logit = 0.8 * np.nan_to_num(X[:, 0] - 5) + 0.5 * np.nan_to_num(X[:, 1]) - 0.3 * np.nan_to_num(X[:, 3])
    y = (rng.random(2000) < 1 / (1 + np.exp(-logit))).astype(np.float32)
    bst = train({**base_hist, "objective": "binary:logistic", "max_depth": 4, "eta": 0.3}, X, y, 20)
    save_case("logistic", bst, with_thresholds(bst, make_data(rng, 300, 6, 0.2)))

    # reg:squarederror, depth 6, 30% missing, exact method (thresholds between values).
    X = make_data(rng, 3000, 8, 0.3)
    y = np.nan_to_num(X[:, 0]) * 2 + np.sin(np.nan_to_num(X[:, 1])) * 3 + rng.normal(0, 0.5, 3000)
    bst = train({"tree_method": "exact", "seed": 1, "objective": "reg:squarederror", "max_depth": 6, "eta": 0.1},
                X, y.astype(np.float32), 40)
    save_case("regression", bst, with_thresholds(bst, make_data(rng, 300, 8, 0.3)))

    # Deep, unbalanced trees (lossguide) to exercise the pointer-based layout.
    X = make_data(rng, 4000, 5, 0.1)
    y = (np.nan_to_num(X[:, 0]) * np.nan_to_num(X[:, 1]) + rng.normal(0, 1, 4000)).astype(np.float32)
    bst = train({**base_hist, "objective": "reg:squarederror", "max_depth": 0, "grow_policy": "lossguide",
                 "max_leaves": 128, "eta": 0.2}, X, y, 15)
    save_case("deep_lossguide", bst, with_thresholds(bst, make_data(rng, 300, 5, 0.1)))

    # count:poisson (log link) and dart (per-tree weights).
    X = make_data(rng, 2000, 4, 0.15)
    lam = np.exp(0.2 * np.nan_to_num(X[:, 0]) - 0.5)
    y = rng.poisson(lam).astype(np.float32)
    bst = train({**base_hist, "objective": "count:poisson", "max_depth": 3, "eta": 0.3}, X, y, 25)
    save_case("poisson", bst, with_thresholds(bst, make_data(rng, 200, 4, 0.15)))

    X = make_data(rng, 2000, 5, 0.2)
    y = (np.nan_to_num(X[:, 0]) + np.nan_to_num(X[:, 1]) > 5).astype(np.float32)
    bst = train({**base_hist, "booster": "dart", "objective": "binary:logistic", "max_depth": 3, "eta": 0.3,
                 "rate_drop": 0.2, "skip_drop": 0.0}, X, y, 15)
    save_case("dart_logistic", bst, with_thresholds(bst, make_data(rng, 200, 5, 0.2)))

    # Models the Rust loader must refuse.
    X = make_data(rng, 500, 3, 0.0)
    y3 = rng.integers(0, 3, 500).astype(np.float32)
    bst = train({**base_hist, "objective": "multi:softprob", "num_class": 3, "max_depth": 2}, X, y3, 3)
    bst.save_model(os.path.join(OUT, "refuse_multiclass.model.json"))

    if MAJOR >= 2:
        Xc = X.copy()
        Xc[:, 0] = rng.integers(0, 5, 500)
        yc = (Xc[:, 0] == 2).astype(np.float32)
        d = xgb.DMatrix(Xc, label=yc, feature_types=["c", "q", "q"], enable_categorical=True)
        bst = xgb.train({**base_hist, "objective": "binary:logistic", "max_depth": 2, "max_cat_to_onehot": 1}, d, 3)
        bst.save_model(os.path.join(OUT, "refuse_categorical.model.json"))

        Y2 = np.stack([X[:, 0], X[:, 1]], axis=1)
        d = xgb.DMatrix(X, label=Y2)
        bst = xgb.train({**base_hist, "objective": "reg:squarederror", "multi_strategy": "multi_output_tree",
                         "max_depth": 2}, d, 3)
        bst.save_model(os.path.join(OUT, "refuse_multi_target.model.json"))


if __name__ == "__main__":
    sys.exit(main())
