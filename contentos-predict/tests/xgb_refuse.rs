//! Models the scorer must refuse with a typed error instead of scoring them wrongly.

use contentos_core::{Error, ErrorKind};
use contentos_predict::xgb::XgbModel;
use std::path::PathBuf;

fn fixture(version: &str, name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/xgb")
        .join(version)
        .join(name)
}

fn not_supported_message(version: &str, name: &str) -> String {
    match XgbModel::from_json_file(fixture(version, name)) {
        Err(Error::NotSupported { feature }) => feature,
        other => panic!("{version}/{name}: expected NotSupported, got {other:?}"),
    }
}

#[test]
fn categorical_splits_are_refused() {
    for v in ["v2_1", "v3_2"] {
        let msg = not_supported_message(v, "refuse_categorical.model.json");
        assert!(msg.contains("categorical"), "{msg}");
    }
}

#[test]
fn multi_target_trees_are_refused() {
    for v in ["v2_1", "v3_2"] {
        let msg = not_supported_message(v, "refuse_multi_target.model.json");
        assert!(msg.contains("target"), "{msg}");
    }
}

#[test]
fn multi_class_models_are_refused() {
    for v in ["v1_6", "v1_7", "v2_1", "v3_2"] {
        let msg = not_supported_message(v, "refuse_multiclass.model.json");
        assert!(
            msg.contains("multi-class") || msg.contains("targets"),
            "{msg}"
        );
    }
}

fn logistic_json() -> serde_json::Value {
    let text = std::fs::read_to_string(fixture("v3_2", "logistic.model.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn malformed_models_give_validation_errors() {
    let mut m = logistic_json();
    m["learner"]["gradient_booster"]["model"]["trees"][0]["left_children"][0] = 999.into();
    let err = XgbModel::from_json_str(&m.to_string()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation, "{err}");

    let mut m = logistic_json();
    m["learner"]["gradient_booster"]["model"]["trees"][0]["split_indices"][0] = 6.into();
    let err = XgbModel::from_json_str(&m.to_string()).unwrap_err();
    assert!(err.to_string().contains("out of range"), "{err}");

    let mut m = logistic_json();
    m["learner"]["gradient_booster"]["model"]["trees"][1]["sum_hessian"] = serde_json::json!([1.0]);
    assert_eq!(
        XgbModel::from_json_str(&m.to_string()).unwrap_err().kind(),
        ErrorKind::Validation
    );

    assert_eq!(
        XgbModel::from_json_str("{not json").unwrap_err().kind(),
        ErrorKind::Validation
    );
}

#[test]
fn unknown_objectives_and_boosters_are_not_supported() {
    let mut m = logistic_json();
    m["learner"]["objective"]["name"] = "rank:pairwise".into();
    assert_eq!(
        XgbModel::from_json_str(&m.to_string()).unwrap_err().kind(),
        ErrorKind::NotSupported
    );
    let mut m = logistic_json();
    m["learner"]["gradient_booster"]["name"] = "gblinear".into();
    assert_eq!(
        XgbModel::from_json_str(&m.to_string()).unwrap_err().kind(),
        ErrorKind::NotSupported
    );
}

#[test]
fn rows_must_match_the_feature_count() {
    let model = XgbModel::from_json_file(fixture("v3_2", "logistic.model.json")).unwrap();
    assert_eq!(model.num_feature(), 6);
    let err = model.predict(&[1.0; 7]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert!(model.predict(&[]).unwrap().is_empty());
}

#[cfg(not(feature = "train"))]
#[test]
fn training_in_rust_is_not_supported_without_the_train_feature() {
    use contentos_predict::xgb::train::{train_classifier, TrainParams};
    let err = train_classifier(&[1.0, 2.0], &[0.0, 1.0], 1, &TrainParams::default()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotSupported);
}
