//! XGBoost scoring throughput: pure-Rust `XgbModel` on a 200-tree depth-6 model.
//!
//! Run through `scripts/xgb/bench_xgb.py`, which trains the model with Python xgboost, times
//! xgboost's single-thread `inplace_predict` on the same rows, runs this bench, and writes
//! `docs/bench-xgb.md`. It passes the model and rows via `CONTENTOS_XGB_BENCH_MODEL` (JSON model)
//! and `CONTENTOS_XGB_BENCH_ROWS` (little-endian f32, row-major), and gets the predictions back in
//! `CONTENTOS_XGB_BENCH_OUT` to check them against xgboost's. Without them the bench uses the
//! built-in engagement model and synthetic rows, so `cargo bench --bench xgb` works standalone.

use contentos_predict::xgb::{Parallelism, PredictOptions, XgbModel, DEFAULT_MODEL_JSON};
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn load() -> (XgbModel, Vec<f32>) {
    match (
        std::env::var("CONTENTOS_XGB_BENCH_MODEL"),
        std::env::var("CONTENTOS_XGB_BENCH_ROWS"),
    ) {
        (Ok(model), Ok(rows)) => {
            let model = XgbModel::from_json_file(&model).expect("bench model");
            let bytes = std::fs::read(&rows).expect("bench rows");
            let rows = bytes
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect();
            (model, rows)
        }
        _ => {
            let model = XgbModel::from_json_str(DEFAULT_MODEL_JSON).expect("default model");
            let nf = model.num_feature();
            // Deterministic pseudo-random rows (xorshift), 10% missing.
            let mut s = 0x2545_f491_4f6c_dd1du64;
            let rows = (0..10_000 * nf)
                .map(|_| {
                    s ^= s << 13;
                    s ^= s >> 7;
                    s ^= s << 17;
                    if s % 10 == 0 {
                        f32::NAN
                    } else {
                        (s % 1000) as f32 / 10.0
                    }
                })
                .collect();
            (model, rows)
        }
    }
}

fn bench_xgb(c: &mut Criterion) {
    let (model, rows) = load();
    let nf = model.num_feature();
    let n = rows.len() / nf;
    if let Ok(out) = std::env::var("CONTENTOS_XGB_BENCH_OUT") {
        // Predictions for the driver script's equality check against xgboost.
        let pred = model.predict(&rows).expect("predict");
        let bytes: Vec<u8> = pred.iter().flat_map(|v| v.to_le_bytes()).collect();
        std::fs::write(out, bytes).expect("write predictions");
    }
    let mut g = c.benchmark_group("xgb");
    g.throughput(Throughput::Elements(n as u64));
    g.sample_size(20);
    let seq = PredictOptions {
        parallelism: Parallelism::Sequential,
        ..PredictOptions::default()
    };
    g.bench_function(BenchmarkId::new("predict_1thread", n), |b| {
        b.iter(|| model.predict_with(black_box(&rows), &seq).unwrap())
    });
    g.bench_function(BenchmarkId::new("predict_threads", n), |b| {
        b.iter(|| model.predict(black_box(&rows)).unwrap())
    });
    let m = 1000.min(n);
    g.throughput(Throughput::Elements(m as u64));
    g.bench_function(BenchmarkId::new("contributions", m), |b| {
        b.iter(|| {
            model
                .contributions_with(black_box(&rows[..m * nf]), Parallelism::Sequential)
                .unwrap()
        })
    });
    g.bench_function(BenchmarkId::new("approx_contributions", m), |b| {
        b.iter(|| {
            model
                .approx_contributions(black_box(&rows[..m * nf]))
                .unwrap()
        })
    });
    g.throughput(Throughput::Elements(1));
    g.bench_function("predict_one_row", |b| {
        b.iter(|| model.predict_with(black_box(&rows[..nf]), &seq).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench_xgb);
criterion_main!(benches);
