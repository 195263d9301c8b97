//! Native training (feature `train`): the model exported to JSON and scored in pure Rust gives
//! the native library's predictions, has one tree per requested round, and treats only NaN as
//! missing (0.0 is a value).

#![cfg(feature = "train")]

use contentos_core::{Error, ErrorKind};
use contentos_predict::xgb::train::{train_binary, NativeBooster, TrainData, TrainParams};
use contentos_predict::xgb::XgbModel;

/// Deterministic synthetic data: 6 features, some NaN, many exact zeros, label from a noisy
/// rule on three of them.
fn synthetic(n: usize) -> (Vec<f32>, Vec<f32>) {
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x >> 11) as f64 / (1u64 << 53) as f64
    };
    let nf = 6;
    let mut rows = Vec::with_capacity(n * nf);
    let mut labels = Vec::with_capacity(n);
    for _ in 0..n {
        let mut r = [0f32; 6];
        for v in r.iter_mut() {
            let u = next();
            *v = if u < 0.1 {
                f32::NAN
            } else if u < 0.3 {
                0.0
            } else {
                (next() * 10.0 - 5.0) as f32
            };
        }
        let signal = r[0].max(-1.0) as f64 * 0.8 - r[2].abs().min(4.0) as f64 * 0.5
            + if r[4].is_nan() { 1.0 } else { 0.0 }
            + (next() - 0.5) * 2.0;
        labels.push(if signal > -0.5 { 1.0 } else { 0.0 });
        rows.extend_from_slice(&r);
    }
    (rows, labels)
}

#[test]
fn pure_rust_scoring_equals_native_predictions_and_trees_equal_rounds() {
    let (rows, labels) = synthetic(2000);
    let names = ["a", "b", "c", "d", "e", "f"];
    let attrs = [("contentos_feature_schema", "test/1")];
    let data = TrainData::new(&rows, &labels, 6)
        .unwrap()
        .with_feature_names(&names)
        .unwrap()
        .with_attributes(&attrs);
    for rounds in [1usize, 23, 57] {
        let params = TrainParams::builder()
            .rounds(rounds)
            .max_depth(5)
            .eta(0.2)
            .seed(7)
            .nthread(1)
            .build()
            .unwrap();
        let booster = NativeBooster::train(&data, &params).unwrap();
        let native = booster.predict(&rows).unwrap();
        let json = booster.to_json().unwrap();
        let model = XgbModel::from_json_str(&json).unwrap();
        assert_eq!(model.num_trees(), rounds, "one tree per round");
        assert_eq!(model.feature_names(), names.map(String::from).as_slice());
        assert_eq!(
            model
                .attributes()
                .get("contentos_feature_schema")
                .map(String::as_str),
            Some("test/1")
        );
        let ours = model.predict(&rows).unwrap();
        let worst = ours
            .iter()
            .zip(&native)
            .map(|(a, b)| (a - b).abs())
            .fold(0f32, f32::max);
        assert!(
            worst <= 1e-6,
            "rounds {rounds}: max |rust - native| = {worst}"
        );
        // train_binary is the same path with the tree-count check built in.
        let trained = train_binary(&data, &params).unwrap();
        assert_eq!(trained.model.num_trees(), rounds);
        assert_eq!(trained.json, json, "training is deterministic for a seed");
    }
}

#[test]
fn zero_is_a_value_not_missing() {
    // label = 1 exactly when x == 0.0; x is 0.0, 1.0 or NaN. If 0.0 were treated as missing
    // the model could not tell 0.0 from NaN.
    let mut rows = Vec::new();
    let mut labels = Vec::new();
    for i in 0..600 {
        let (x, y) = match i % 3 {
            0 => (0.0f32, 1.0f32),
            1 => (1.0, 0.0),
            _ => (f32::NAN, 0.0),
        };
        rows.push(x);
        labels.push(y);
    }
    let data = TrainData::new(&rows, &labels, 1).unwrap();
    let params = TrainParams::builder().rounds(30).eta(0.3).build().unwrap();
    let trained = train_binary(&data, &params).unwrap();
    let p = trained.model.predict(&[0.0, 1.0, f32::NAN]).unwrap();
    assert!(p[0] > 0.9, "x = 0.0 → {}", p[0]);
    assert!(p[1] < 0.1, "x = 1.0 → {}", p[1]);
    assert!(p[2] < 0.1, "x = NaN → {}", p[2]);
}

#[test]
fn bad_training_input_names_the_field() {
    let field = |e: Error| match e {
        Error::Validation { field, .. } => field,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        field(TrainData::new(&[1.0, 2.0, 3.0], &[0.0, 1.0], 2).unwrap_err()),
        "train.rows"
    );
    assert_eq!(
        field(TrainData::new(&[1.0, 2.0], &[1.0, 1.0], 1).unwrap_err()),
        "train.labels"
    );
    assert_eq!(
        field(TrainData::new(&[1.0, f32::INFINITY], &[0.0, 1.0], 1).unwrap_err()),
        "train.rows"
    );
    let data = TrainData::new(&[1.0, 2.0], &[0.0, 1.0], 1).unwrap();
    assert_eq!(
        field(data.with_feature_names(&["a", "b"]).unwrap_err()),
        "train.feature_names"
    );
    let bad = TrainParams {
        max_depth: 0,
        ..TrainParams::default()
    };
    let err = train_binary(&data, &bad).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert_eq!(field(err), "train.max_depth");
}
