//! Parity with Python xgboost: models saved by xgboost 1.6, 1.7, 2.1 and 3.2, inputs with missing
//! values and values exactly on split thresholds, and the outputs xgboost itself produced
//! (`scripts/xgb/make_fixtures.py`).

use contentos_core::ErrorKind;
use contentos_predict::xgb::{Parallelism, PredictOptions, XgbModel};
use serde_json::Value;
use std::path::PathBuf;

const VERSIONS: &[&str] = &["v1_6", "v1_7", "v2_1", "v3_2"];
const CASES: &[&str] = &[
    "logistic",
    "regression",
    "deep_lossguide",
    "poisson",
    "dart_logistic",
];

fn fixture_dir(version: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/xgb")
        .join(version)
}

struct Case {
    model: XgbModel,
    rows: Vec<f32>,
    n_rows: usize,
    predict: Vec<f64>,
    margin: Vec<f64>,
    contribs: Vec<Vec<f64>>,
    approx: Vec<Vec<f64>>,
}

/// The one-row latency path (several trees walked in lockstep) adds the same leaves in the same
/// order as the batch kernel, so each row scored alone equals its batch result bit for bit, and
/// so within 1e-6 of xgboost.
#[test]
fn rows_scored_one_at_a_time_equal_the_batch_bit_for_bit() {
    let mut checked = 0;
    for v in VERSIONS {
        for c in CASES {
            let case = load(v, c);
            let nf = case.model.num_feature();
            let batch = case.model.predict_margin(&case.rows).unwrap();
            let probs = case.model.predict(&case.rows).unwrap();
            for (i, row) in case.rows.chunks(nf).enumerate() {
                let one = case.model.predict_margin(row).unwrap();
                assert_eq!(one[0].to_bits(), batch[i].to_bits(), "{v}/{c} row {i}");
                let p = case.model.predict(row).unwrap();
                assert_eq!(p[0].to_bits(), probs[i].to_bits(), "{v}/{c} row {i}");
                assert!(close(p[0] as f64, case.predict[i], 1e-6));
                checked += 1;
            }
        }
    }
    assert!(checked > 3000);
}

fn load(version: &str, case: &str) -> Case {
    let dir = fixture_dir(version);
    let model = XgbModel::from_json_file(dir.join(format!("{case}.model.json"))).unwrap();
    let exp: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join(format!("{case}.expected.json"))).unwrap(),
    )
    .unwrap();
    let inputs = exp["inputs"].as_array().unwrap();
    let mut rows = Vec::new();
    for r in inputs {
        for v in r.as_array().unwrap() {
            rows.push(v.as_f64().map_or(f32::NAN, |x| x as f32));
        }
    }
    let floats = |key: &str| -> Vec<f64> {
        exp[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect()
    };
    let matrix = |key: &str| -> Vec<Vec<f64>> {
        exp[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r.as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_f64().unwrap())
                    .collect()
            })
            .collect()
    };
    Case {
        model,
        n_rows: inputs.len(),
        rows,
        predict: floats("predict"),
        margin: floats("margin"),
        contribs: matrix("contribs"),
        approx: matrix("approx_contribs"),
    }
}

/// Absolute tolerance for probabilities; relative for unbounded outputs (Poisson means).
fn close(got: f64, want: f64, tol: f64) -> bool {
    (got - want).abs() <= tol * want.abs().max(1.0)
}

#[test]
fn predictions_match_python_xgboost_within_1e6() {
    let mut checked = 0;
    for v in VERSIONS {
        for c in CASES {
            let case = load(v, c);
            assert_eq!(case.model.num_feature() * case.n_rows, case.rows.len());
            let pred = case.model.predict(&case.rows).unwrap();
            let margin = case.model.predict_margin(&case.rows).unwrap();
            assert_eq!(pred.len(), case.predict.len());
            for i in 0..pred.len() {
                assert!(
                    close(pred[i] as f64, case.predict[i], 1e-6),
                    "{v}/{c} row {i}: predict {} vs xgboost {}",
                    pred[i],
                    case.predict[i]
                );
                assert!(
                    close(margin[i] as f64, case.margin[i], 1e-6),
                    "{v}/{c} row {i}: margin {} vs xgboost {}",
                    margin[i],
                    case.margin[i]
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 3000);
}

#[test]
fn contributions_match_pred_contribs_within_1e5() {
    for v in VERSIONS {
        for c in CASES {
            let case = load(v, c);
            let nf = case.model.num_feature();
            let got = case.model.contributions(&case.rows).unwrap();
            assert_eq!(got.len(), case.n_rows * (nf + 1));
            for (i, want) in case.contribs.iter().enumerate() {
                assert_eq!(want.len(), nf + 1);
                for (j, w) in want.iter().enumerate() {
                    let g = got[i * (nf + 1) + j] as f64;
                    assert!(
                        close(g, *w, 1e-5),
                        "{v}/{c} row {i} feature {j}: {g} vs xgboost {w}"
                    );
                }
                // Contributions add up to the margin.
                let sum: f64 = want.iter().sum();
                assert!((sum - case.margin[i]).abs() < 1e-4);
            }
        }
    }
}

#[test]
fn approx_contributions_match_xgboost_approx_contribs() {
    for v in VERSIONS {
        for c in CASES {
            let case = load(v, c);
            let nf = case.model.num_feature();
            let got = case.model.approx_contributions(&case.rows).unwrap();
            for (i, want) in case.approx.iter().enumerate() {
                for (j, w) in want.iter().enumerate() {
                    let g = got[i * (nf + 1) + j] as f64;
                    assert!(
                        close(g, *w, 1e-5),
                        "{v}/{c} row {i} feature {j}: {g} vs xgboost {w}"
                    );
                }
            }
            // Approximate and exact credit differ somewhere (they are different methods).
            assert!(case
                .approx
                .iter()
                .zip(&case.contribs)
                .any(|(a, e)| a.iter().zip(e).any(|(x, y)| (x - y).abs() > 1e-3)));
        }
    }
}

#[test]
fn large_batches_use_threads_and_agree_with_sequential() {
    let case = load("v3_2", "regression");
    // Repeat the fixture rows past the parallel threshold.
    let reps = 20;
    let rows: Vec<f32> = (0..reps).flat_map(|_| case.rows.iter().copied()).collect();
    let par = case.model.predict(&rows).unwrap();
    let seq = case
        .model
        .predict_with(
            &rows,
            &PredictOptions {
                parallelism: Parallelism::Sequential,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(par.len(), case.n_rows * reps);
    assert_eq!(par, seq);
    for (i, p) in par.iter().enumerate() {
        assert!(close(*p as f64, case.predict[i % case.n_rows], 1e-6));
    }
}

#[test]
fn iteration_range_selects_rounds() {
    let case = load("v3_2", "logistic");
    let m = &case.model;
    assert_eq!(m.num_iterations(), 20);
    let all = m.predict_margin(&case.rows).unwrap();
    let first = m
        .predict_with(
            &case.rows,
            &PredictOptions {
                output_margin: true,
                iteration_range: Some((0, 10)),
                ..Default::default()
            },
        )
        .unwrap();
    let rest = m
        .predict_with(
            &case.rows,
            &PredictOptions {
                output_margin: true,
                iteration_range: Some((10, 20)),
                ..Default::default()
            },
        )
        .unwrap();
    let base = m.base_margin();
    for i in 0..all.len() {
        // Both partial sums include the base margin once.
        let combined = first[i] + rest[i] - base;
        assert!((combined - all[i]).abs() < 1e-5, "row {i}");
    }
    assert_eq!(
        m.predict_with(
            &case.rows,
            &PredictOptions {
                iteration_range: Some((5, 30)),
                ..Default::default()
            }
        )
        .unwrap_err()
        .kind(),
        ErrorKind::Validation
    );
}

#[test]
fn base_score_is_read_from_every_format() {
    // 1.7 writes "5E-1" (no intercept estimation); 3.x writes "[x]" with an estimated intercept.
    let old = load("v1_7", "logistic").model;
    assert_eq!(old.base_margin(), 0.0);
    let new = load("v3_2", "logistic").model;
    assert!(new.base_margin() != 0.0);
    assert_eq!(new.xgboost_version()[0], 3);
    assert_eq!(new.objective(), "binary:logistic");
}
