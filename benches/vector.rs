//! Exact top-10 over 100,000 × 384 vectors: the embedded store next to NumPy brute force on the
//! same data, in the same run (`scripts/bench/numpy_topk.py`, needs `pip install numpy`; when
//! NumPy is missing the peer is skipped with a notice). Figures: `docs/bench-vector.md`.

use contentos_core::model::WorkspaceId;
use contentos_core::vector::{
    EmbeddedVectorStore, VectorMetadata, VectorRecord, VectorStore, CONTENT_EMBEDDINGS,
};
use criterion::{criterion_group, criterion_main, Criterion};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::Duration;

const N: usize = 100_000;
const DIM: usize = 384;
const K: usize = 10;
const QUERIES: usize = 16;

/// Deterministic unit vectors (xorshift64), so every run and both engines see the same data.
fn unit_vectors(count: usize, seed: u64) -> Vec<Vec<f32>> {
    let mut x = seed | 1;
    (0..count)
        .map(|_| {
            let v: Vec<f32> = (0..DIM)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    ((x >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
                })
                .collect();
            let n = v.iter().map(|a| a * a).sum::<f32>().sqrt();
            v.into_iter().map(|a| a / n).collect()
        })
        .collect()
}

fn write_f32(path: &std::path::Path, rows: &[Vec<f32>]) {
    let mut bytes = Vec::with_capacity(rows.len() * DIM * 4);
    for r in rows {
        for v in r {
            bytes.extend_from_slice(&v.to_le_bytes());
        }
    }
    std::fs::write(path, bytes).expect("write bench data");
}

struct NumPy {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl NumPy {
    fn start(data: &std::path::Path, queries: &std::path::Path) -> Option<NumPy> {
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../scripts/bench/numpy_topk.py"
        );
        let mut child = Command::new("python3")
            .arg(script)
            .args(["--data", data.to_str()?, "--queries", queries.to_str()?])
            .args([
                "--n",
                &N.to_string(),
                "--dim",
                &DIM.to_string(),
                "--k",
                &K.to_string(),
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .ok()?;
        let stdin = child.stdin.take()?;
        let mut stdout = BufReader::new(child.stdout.take()?);
        let mut line = String::new();
        stdout.read_line(&mut line).ok()?;
        if !line.starts_with("ready") {
            let _ = child.kill();
            return None;
        }
        eprintln!("numpy peer: {}", line.trim());
        Some(NumPy {
            child,
            stdin,
            stdout,
        })
    }

    fn ask(&mut self, cmd: &str) -> String {
        writeln!(self.stdin, "{cmd}").expect("numpy stdin");
        let mut line = String::new();
        self.stdout.read_line(&mut line).expect("numpy stdout");
        line.trim().to_string()
    }
}

impl Drop for NumPy {
    fn drop(&mut self) {
        let _ = writeln!(self.stdin, "quit");
        let _ = self.child.wait();
    }
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let rows = unit_vectors(N, 0x5eed_0001);
    let queries = unit_vectors(QUERIES, 0x5eed_0002);
    let ws = WorkspaceId::new();
    let store = EmbeddedVectorStore::in_memory();
    rt.block_on(async {
        for (chunk_no, chunk) in rows.chunks(10_000).enumerate() {
            let items = chunk
                .iter()
                .enumerate()
                .map(|(i, v)| VectorRecord {
                    id: format!("{:06}", chunk_no * 10_000 + i),
                    vector: v.clone(),
                    metadata: VectorMetadata::new(ws, "published"),
                    model_id: "bench-384".into(),
                })
                .collect();
            store
                .upsert(CONTENT_EMBEDDINGS, items)
                .await
                .expect("upsert");
        }
    });

    let dir = std::env::temp_dir().join(format!("contentos-bench-vector-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let (data_path, query_path) = (dir.join("data.f32"), dir.join("queries.f32"));
    write_f32(&data_path, &rows);
    write_f32(&query_path, &queries);
    let mut numpy = NumPy::start(&data_path, &query_path);
    if numpy.is_none() {
        eprintln!("numpy peer skipped: python3 with numpy not available (pip install numpy)");
    }

    // Same answers: the store's top-10 ids are NumPy's row indices (ids are zero-padded rows).
    if let Some(np) = numpy.as_mut() {
        for (qi, query) in queries.iter().enumerate() {
            let ours: Vec<usize> = rt
                .block_on(store.query(CONTENT_EMBEDDINGS, query, K, None))
                .expect("query")
                .iter()
                .map(|m| m.id.parse().expect("numeric id"))
                .collect();
            let theirs: Vec<usize> = np
                .ask(&format!("check {qi}"))
                .split_whitespace()
                .map(|s| s.parse().expect("index"))
                .collect();
            assert_eq!(
                ours, theirs,
                "query {qi}: embedded store and NumPy disagree"
            );
        }
        eprintln!("embedded store and NumPy return the same top-{K} for all {QUERIES} queries");
    }

    let mut group = c.benchmark_group("vector_top10_100k_x384");
    group.sample_size(30);
    group.measurement_time(Duration::from_secs(8));
    let mut qi = 0usize;
    group.bench_function("embedded_store", |b| {
        b.iter(|| {
            qi = (qi + 1) % QUERIES;
            rt.block_on(store.query(CONTENT_EMBEDDINGS, &queries[qi], K, None))
                .expect("query")
        })
    });
    if let Some(np) = numpy.as_mut() {
        group.bench_function("numpy_brute_force", |b| {
            b.iter_custom(|iters| {
                let ns: u64 = np.ask(&format!("run {iters}")).parse().expect("ns");
                Duration::from_nanos(ns)
            })
        });
    }
    group.finish();
    drop(numpy);
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);
