//! The default model and `EngagementModel`: schema checks, scores equal to Python xgboost on the
//! training script's held-out sample, factors from TreeSHAP, the `EngagementScorer` contract.

use contentos_core::model::Platform;
use contentos_core::score::{EngagementScorer, ScoreInput};
use contentos_core::{Error, ErrorKind, Result};
use contentos_predict::xgb::{
    EngagementModel, FeatureExtractor, FeatureSchema, XgbModel, DEFAULT_MODEL_JSON, FEATURES_V1,
};
use serde_json::Value;
use std::collections::HashMap;

struct Sample {
    texts: Vec<String>,
    rows: Vec<Vec<f32>>,
    predict: Vec<f64>,
    contribs: Vec<Vec<f64>>,
}

fn sample() -> Sample {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/default_model_sample.json"
    );
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let names: Vec<&str> = v["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(names.iter().copied().eq(FEATURES_V1.names()));
    Sample {
        texts: v["texts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect(),
        rows: v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r.as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_f64().map_or(f32::NAN, |f| f as f32))
                    .collect()
            })
            .collect(),
        predict: v["predict"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect(),
        contribs: v["contribs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r.as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_f64().unwrap())
                    .collect()
            })
            .collect(),
    }
}

/// Test extractor: looks the text up in the features Python computed for it.
struct LookupExtractor {
    schema: FeatureSchema,
    by_text: HashMap<String, Vec<f32>>,
}

impl FeatureExtractor for LookupExtractor {
    fn schema(&self) -> &FeatureSchema {
        &self.schema
    }
    fn extract(&self, input: &ScoreInput, out: &mut [f32]) -> Result<()> {
        let row = self
            .by_text
            .get(&input.text)
            .ok_or_else(|| Error::validation("text", "unknown to the test extractor"))?;
        out.copy_from_slice(row);
        Ok(())
    }
}

fn extractor(s: &Sample) -> LookupExtractor {
    LookupExtractor {
        schema: FEATURES_V1,
        by_text: s
            .texts
            .iter()
            .cloned()
            .zip(s.rows.iter().cloned())
            .collect(),
    }
}

#[test]
fn default_model_scores_equal_python_xgboost() {
    let s = sample();
    assert!(s.texts.len() >= 100);
    let scorer = EngagementModel::with_default_model(extractor(&s)).unwrap();
    assert_eq!(scorer.model_version(), "default-trump-tweets-1");
    let inputs: Vec<ScoreInput> = s
        .texts
        .iter()
        .map(|t| ScoreInput::new(t.clone(), Platform::X))
        .collect();
    let scores = scorer.score(&inputs).unwrap();
    assert_eq!(scores.len(), inputs.len());
    let nf = FEATURES_V1.len();
    for (i, sc) in scores.iter().enumerate() {
        assert!(
            (sc.score - s.predict[i] * 100.0).abs() < 1e-4,
            "row {i}: {} vs {}",
            sc.score,
            s.predict[i] * 100.0
        );
        assert!((0.0..=1.0).contains(&sc.confidence));
        assert!(!sc.factors.is_empty() && sc.factors.len() <= 5);
        // Factors: the largest |pred_contribs| among known features, in order, with their values.
        let mut want: Vec<(usize, f64)> = (0..nf)
            .filter(|&j| !s.rows[i][j].is_nan() && s.contribs[i][j] != 0.0)
            .map(|j| (j, s.contribs[i][j]))
            .collect();
        want.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
        for (k, f) in sc.factors.iter().enumerate() {
            let (j, c) = want[k];
            assert!((f.contribution - c).abs() < 1e-5, "row {i} factor {k}");
            if f.feature != FEATURES_V1.features[j].name {
                // Only acceptable when two contributions tie within rounding.
                assert!((want[k].1.abs() - f.contribution.abs()).abs() < 1e-5);
            }
            assert_eq!(
                f.value,
                s.rows[i][FEATURES_V1.index_of(&f.feature).unwrap()] as f64
            );
        }
        for w in sc.factors.windows(2) {
            assert!(w[0].contribution.abs() >= w[1].contribution.abs());
        }
    }
    // The model separates the sample: scores are not all the same.
    let spread = scores.iter().map(|s| s.score).fold(0.0f64, f64::max)
        - scores.iter().map(|s| s.score).fold(100.0f64, f64::min);
    assert!(spread > 30.0, "spread {spread}");
}

#[test]
fn confidence_grows_with_decisiveness() {
    let s = sample();
    let scorer = EngagementModel::with_default_model(extractor(&s)).unwrap();
    let rows: Vec<f32> = s.rows.iter().flatten().copied().collect();
    let scores = scorer.score_features(&rows).unwrap();
    let (mut near, mut far) = (vec![], vec![]);
    for sc in &scores {
        if (sc.score - 50.0).abs() < 10.0 {
            near.push(sc.confidence);
        } else if (sc.score - 50.0).abs() > 35.0 {
            far.push(sc.confidence);
        }
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    assert!(!near.is_empty() && !far.is_empty());
    assert!(mean(&far) > mean(&near));
}

#[test]
fn extractor_errors_propagate() {
    let s = sample();
    let scorer = EngagementModel::with_default_model(extractor(&s)).unwrap();
    let err = scorer
        .score(&[ScoreInput::new("never seen", Platform::X)])
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
}

fn default_json() -> Value {
    serde_json::from_str(DEFAULT_MODEL_JSON).unwrap()
}

fn schema_error(model_json: &Value) -> String {
    let model = XgbModel::from_json_str(&model_json.to_string()).unwrap();
    let s = sample();
    match EngagementModel::new(model, extractor(&s)) {
        Err(Error::Validation { field, rule }) => {
            assert_eq!(field, "model.feature_schema");
            rule
        }
        other => panic!("expected a schema mismatch, got {other:?}"),
    }
}

#[test]
fn models_trained_on_another_schema_are_refused() {
    let mut m = default_json();
    m["learner"]["attributes"]["contentos_feature_schema"] = "contentos-features/0".into();
    assert!(schema_error(&m).contains("contentos-features/0"));

    let mut m = default_json();
    m["learner"]["attributes"]
        .as_object_mut()
        .unwrap()
        .remove("contentos_feature_schema");
    assert!(schema_error(&m).contains("no contentos_feature_schema"));

    let mut m = default_json();
    m["learner"]["feature_names"][0] = "chars".into();
    assert!(schema_error(&m).contains("feature_names"));
}

#[test]
fn parity_models_without_schema_are_refused() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/xgb/v3_2/logistic.model.json"
    );
    let model = XgbModel::from_json_file(path).unwrap();
    let s = sample();
    let err = EngagementModel::new(model, extractor(&s)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
}

#[test]
fn factor_methods_give_approximate_or_no_factors_with_the_same_score() {
    use contentos_predict::xgb::FactorMethod;
    let s = sample();
    let rows: Vec<f32> = s.rows.iter().flatten().copied().collect();
    let exact = EngagementModel::with_default_model(extractor(&s))
        .unwrap()
        .score_features(&rows)
        .unwrap();
    let approx = EngagementModel::with_default_model(extractor(&s))
        .unwrap()
        .with_factor_method(FactorMethod::Approximate)
        .score_features(&rows)
        .unwrap();
    let none = EngagementModel::with_default_model(extractor(&s))
        .unwrap()
        .with_factor_method(FactorMethod::None)
        .score_features(&rows)
        .unwrap();
    let mut differs = false;
    for i in 0..rows.len() / FEATURES_V1.len() {
        assert_eq!(exact[i].score, approx[i].score);
        assert_eq!(exact[i].score, none[i].score);
        assert_eq!(exact[i].confidence, none[i].confidence);
        assert!(none[i].factors.is_empty());
        assert!(!approx[i].factors.is_empty());
        differs |= exact[i].factors != approx[i].factors;
    }
    assert!(differs);
}
