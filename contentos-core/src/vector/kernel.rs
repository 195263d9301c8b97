//! The exact-search kernel: dot products over contiguous rows and a top-k selection.
//!
//! Why this shape: a namespace is one `Vec<f32>` of `n × dim` unit vectors, so a query is a
//! single linear pass over memory, which is what CPUs (prefetchers, SIMD) do best. Dot products
//! keep 16 independent accumulators (two chunks of 8 lanes), which LLVM turns into packed
//! multiply-adds without `unsafe` intrinsics; on x86-64 CPUs with AVX2 the same code is compiled
//! a second time with AVX2 enabled and picked at run time. Both paths add in the same order, so
//! results are bit-identical whichever runs. Large namespaces are split across threads, each
//! keeping its own top-k, merged at the end.

use std::cmp::Ordering;

/// Rows scored per block before candidates are filtered, so the filter and the top-k bookkeeping
/// run only on the few rows that beat the current k-th score.
const BLOCK_ROWS: usize = 256;

/// Below this many floats (`n × dim`) a query stays on the calling thread: spawning costs more
/// than it saves.
const PARALLEL_MIN_FLOATS: usize = 1 << 21;

/// The dot product of `a` and `b` (equal lengths), in a fixed summation order.
#[inline(always)]
fn dot_portable(a: &[f32], b: &[f32]) -> f32 {
    const W: usize = 16;
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut acc = [0f32; W];
    let mut ca = a.chunks_exact(W);
    let mut cb = b.chunks_exact(W);
    for (x, y) in (&mut ca).zip(&mut cb) {
        for i in 0..W {
            acc[i] += x[i] * y[i];
        }
    }
    let mut tail = 0f32;
    for (x, y) in ca.remainder().iter().zip(cb.remainder()) {
        tail += x * y;
    }
    let mut width = W / 2;
    while width > 0 {
        for i in 0..width {
            acc[i] += acc[i + width];
        }
        width /= 2;
    }
    acc[0] + tail
}

#[inline(always)]
fn score_rows_portable(rows: &[f32], dim: usize, query: &[f32], out: &mut [f32]) {
    for (row, o) in rows.chunks_exact(dim).zip(out.iter_mut()) {
        *o = dot_portable(row, query);
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn score_rows_avx2(rows: &[f32], dim: usize, query: &[f32], out: &mut [f32]) {
    score_rows_portable(rows, dim, query, out)
}

/// Writes the dot product of each `dim`-long row of `rows` with `query` into `out`.
fn score_rows(rows: &[f32], dim: usize, query: &[f32], out: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2 (checked just above), the only requirement of
            // `score_rows_avx2`; the function itself is safe code compiled with AVX2 enabled.
            unsafe { score_rows_avx2(rows, dim, query, out) };
            return;
        }
    }
    score_rows_portable(rows, dim, query, out)
}

/// The dot product of two vectors of equal length (same summation order as the search).
#[cfg(test)]
fn dot(a: &[f32], b: &[f32]) -> f32 {
    dot_portable(a, b)
}

/// `v` scaled to unit length; `v` must be non-zero and finite (validated by the caller).
pub(crate) fn normalized(v: &[f32]) -> Vec<f32> {
    let norm = (v.iter().map(|x| f64::from(*x) * f64::from(*x)).sum::<f64>()).sqrt();
    if norm == 0.0 || !norm.is_finite() {
        return v.to_vec();
    }
    v.iter().map(|x| (f64::from(*x) / norm) as f32).collect()
}

/// The best `k` rows, best first; ties are broken by `ids` (ascending), so the order never
/// depends on storage position or thread split.
struct TopK<'a> {
    k: usize,
    ids: &'a [String],
    items: Vec<(f32, usize)>,
}

impl<'a> TopK<'a> {
    fn new(k: usize, ids: &'a [String]) -> Self {
        TopK {
            k,
            ids,
            items: Vec::with_capacity(k + 1),
        }
    }

    /// `Less` when `a` ranks before `b`.
    fn rank(&self, a: &(f32, usize), b: &(f32, usize)) -> Ordering {
        b.0.total_cmp(&a.0)
            .then_with(|| self.ids[a.1].cmp(&self.ids[b.1]))
    }

    /// The score a row must reach to possibly enter (ties may still enter by id).
    fn threshold(&self) -> f32 {
        if self.items.len() < self.k {
            f32::NEG_INFINITY
        } else {
            self.items.last().map_or(f32::NEG_INFINITY, |x| x.0)
        }
    }

    fn push(&mut self, item: (f32, usize)) {
        if self.items.len() == self.k {
            match self.items.last() {
                Some(last) if self.rank(&item, last) == Ordering::Less => {}
                _ => return,
            }
        }
        let pos = self
            .items
            .partition_point(|x| self.rank(x, &item) == Ordering::Less);
        self.items.insert(pos, item);
        self.items.truncate(self.k);
    }
}

/// Scans rows `range` of `data` and keeps the best `k` accepted by `accept`.
fn scan<'a>(
    data: &[f32],
    dim: usize,
    query: &[f32],
    range: std::ops::Range<usize>,
    k: usize,
    ids: &'a [String],
    accept: &(dyn Fn(usize) -> bool + Sync),
) -> TopK<'a> {
    let mut top = TopK::new(k, ids);
    let mut scores = vec![0f32; BLOCK_ROWS];
    let mut start = range.start;
    while start < range.end {
        let end = (start + BLOCK_ROWS).min(range.end);
        let rows = &data[start * dim..end * dim];
        let out = &mut scores[..end - start];
        score_rows(rows, dim, query, out);
        for (j, &s) in out.iter().enumerate() {
            if s >= top.threshold() && accept(start + j) {
                top.push((s, start + j));
            }
        }
        start = end;
    }
    top
}

/// Threads a large scan is split across: the available cores, at most 8. Read once, because
/// `available_parallelism` reads cgroup files on Linux.
fn worker_threads() -> usize {
    static THREADS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *THREADS.get_or_init(|| {
        std::thread::available_parallelism()
            .map_or(1, |p| p.get())
            .min(8)
    })
}

/// Exact top-`k` by dot product over `n = ids.len()` rows of `data` (row-major `n × dim`),
/// restricted to rows where `accept(row)` holds. Returns `(row, score)` best first.
pub(crate) fn top_k(
    data: &[f32],
    dim: usize,
    query: &[f32],
    k: usize,
    ids: &[String],
    accept: &(dyn Fn(usize) -> bool + Sync),
) -> Vec<(usize, f32)> {
    let n = ids.len().min(data.len() / dim.max(1));
    if k == 0 || n == 0 || dim == 0 {
        return Vec::new();
    }
    let threads = if n * dim >= PARALLEL_MIN_FLOATS {
        worker_threads()
    } else {
        1
    };
    let merged = if threads <= 1 {
        scan(data, dim, query, 0..n, k, ids, accept)
    } else {
        let per = n.div_ceil(threads);
        let parts: Vec<Option<TopK<'_>>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let range = (t * per).min(n)..((t + 1) * per).min(n);
                    s.spawn(move || scan(data, dim, query, range, k, ids, accept))
                })
                .collect();
            handles.into_iter().map(|h| h.join().ok()).collect()
        });
        let mut top = TopK::new(k, ids);
        for part in parts {
            match part {
                Some(p) => p.items.into_iter().for_each(|i| top.push(i)),
                // A worker can only fail by panicking inside safe arithmetic, which would be a
                // bug; fall back to a single-threaded scan instead of losing results.
                None => return sequential(data, dim, query, n, k, ids, accept),
            }
        }
        top
    };
    merged.items.into_iter().map(|(s, i)| (i, s)).collect()
}

fn sequential(
    data: &[f32],
    dim: usize,
    query: &[f32],
    n: usize,
    k: usize,
    ids: &[String],
    accept: &(dyn Fn(usize) -> bool + Sync),
) -> Vec<(usize, f32)> {
    scan(data, dim, query, 0..n, k, ids, accept)
        .items
        .into_iter()
        .map(|(s, i)| (i, s))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_matches_naive_sum_for_odd_lengths() {
        for len in [1usize, 7, 16, 17, 33, 384] {
            let a: Vec<f32> = (0..len).map(|i| (i as f32 * 0.37).sin()).collect();
            let b: Vec<f32> = (0..len).map(|i| (i as f32 * 0.11).cos()).collect();
            let naive: f64 = a
                .iter()
                .zip(&b)
                .map(|(x, y)| f64::from(*x) * f64::from(*y))
                .sum();
            assert!((f64::from(dot(&a, &b)) - naive).abs() < 1e-4, "len {len}");
        }
    }

    #[test]
    fn dispatched_and_portable_paths_agree_bit_for_bit() {
        let dim = 50;
        let rows: Vec<f32> = (0..dim * 300)
            .map(|i| ((i * 7919) % 1000) as f32 / 997.0 - 0.5)
            .collect();
        let q: Vec<f32> = (0..dim).map(|i| (i as f32).sqrt() - 3.0).collect();
        let mut a = vec![0f32; 300];
        let mut b = vec![0f32; 300];
        score_rows(&rows, dim, &q, &mut a);
        score_rows_portable(&rows, dim, &q, &mut b);
        assert_eq!(a, b);
    }

    #[test]
    fn ties_are_broken_by_id_and_threshold_admits_ties() {
        let ids: Vec<String> = ["c", "a", "b"].iter().map(|s| s.to_string()).collect();
        let data = vec![1.0f32, 1.0, 1.0];
        let top = top_k(&data, 1, &[1.0], 2, &ids, &|_| true);
        assert_eq!(top, vec![(1, 1.0), (2, 1.0)]);
    }
}
