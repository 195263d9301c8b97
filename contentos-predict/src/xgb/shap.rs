//! Exact per-feature contributions (TreeSHAP, Lundberg et al. 2018), equal to xgboost's
//! `predict(pred_contribs=True)`.
//!
//! This is a line-by-line port of xgboost's `RegTree::TreeShap` (the polynomial-time path
//! algorithm, with node `sum_hessian` as cover), in f32 like the original, so results agree to
//! rounding. Each row's contributions sum to its margin: the last column is the bias (base margin
//! plus each tree's cover-weighted mean leaf).

use super::model::{Parallelism, XgbModel};
use super::tree::RawTree;
use contentos_core::Result;
use rayon::prelude::*;

/// Batches at least this large are explained on rayon's pool under [`Parallelism::Auto`];
/// TreeSHAP costs far more per row than prediction, so the threshold is lower.
pub const SHAP_PARALLEL_MIN_ROWS: usize = 256;

#[derive(Debug, Clone, Copy, Default)]
struct PathElement {
    feature: i64,
    zero: f32,
    one: f32,
    pweight: f32,
}

fn extend_path(p: &mut [PathElement], d: usize, zero: f32, one: f32, feature: i64) {
    p[d] = PathElement {
        feature,
        zero,
        one,
        pweight: if d == 0 { 1.0 } else { 0.0 },
    };
    let denom = (d + 1) as f32;
    for i in (0..d).rev() {
        p[i + 1].pweight += one * p[i].pweight * (i + 1) as f32 / denom;
        p[i].pweight = zero * p[i].pweight * (d - i) as f32 / denom;
    }
}

fn unwind_path(p: &mut [PathElement], d: usize, index: usize) {
    let one = p[index].one;
    let zero = p[index].zero;
    let mut next = p[d].pweight;
    let scale = (d + 1) as f32;
    for i in (0..d).rev() {
        if one != 0.0 {
            let tmp = p[i].pweight;
            p[i].pweight = next * scale / ((i + 1) as f32 * one);
            next = tmp - p[i].pweight * zero * (d - i) as f32 / scale;
        } else {
            p[i].pweight = (p[i].pweight * scale) / (zero * (d - i) as f32);
        }
    }
    for i in index..d {
        p[i].feature = p[i + 1].feature;
        p[i].zero = p[i + 1].zero;
        p[i].one = p[i + 1].one;
    }
}

fn unwound_path_sum(p: &[PathElement], d: usize, index: usize) -> f32 {
    let one = p[index].one;
    let zero = p[index].zero;
    let mut next = p[d].pweight;
    let mut total = 0.0f32;
    let scale = (d + 1) as f32;
    for i in (0..d).rev() {
        if one != 0.0 {
            let tmp = next * scale / ((i + 1) as f32 * one);
            total += tmp;
            next = p[i].pweight - tmp * zero * ((d - i) as f32 / scale);
        } else if zero != 0.0 {
            total += (p[i].pweight / zero) / ((d - i) as f32 / scale);
        }
    }
    total
}

/// Cover-weighted mean leaf value under every node (the tree's expected output at the root).
fn node_means(tree: &RawTree) -> Vec<f32> {
    fn fill(t: &RawTree, n: usize, out: &mut [f32]) -> f32 {
        let v = if t.is_leaf(n) {
            t.condition[n]
        } else {
            let (l, r) = (t.left[n] as usize, t.right[n] as usize);
            let mut v = fill(t, l, out) * t.cover[l];
            v += fill(t, r, out) * t.cover[r];
            v / t.cover[n]
        };
        out[n] = v;
        v
    }
    let mut out = vec![0.0; tree.len()];
    fill(tree, 0, &mut out);
    out
}

struct ShapWalk<'a> {
    tree: &'a RawTree,
    row: &'a [f32],
    phi: &'a mut [f32],
    /// Scratch for the unique paths of every depth (reused across trees; the walk writes
    /// each slot before reading it).
    path: &'a mut [PathElement],
}

impl ShapWalk<'_> {
    #[allow(clippy::too_many_arguments)]
    fn walk(
        &mut self,
        node: usize,
        mut depth: usize,
        parent_off: usize,
        parent_zero: f32,
        parent_one: f32,
        parent_feature: i64,
    ) {
        let off = parent_off + depth + 1;
        self.path
            .copy_within(parent_off..parent_off + depth + 1, off);
        extend_path(
            &mut self.path[off..],
            depth,
            parent_zero,
            parent_one,
            parent_feature,
        );
        let t = self.tree;
        if t.is_leaf(node) {
            let leaf = t.condition[node];
            for i in 1..=depth {
                let w = unwound_path_sum(&self.path[off..], depth, i);
                let el = self.path[off + i];
                self.phi[el.feature as usize] += w * (el.one - el.zero) * leaf;
            }
            return;
        }
        let split = t.feature[node];
        let hot = t.next(node, self.row[split as usize]);
        let cold = if hot == t.left[node] as usize {
            t.right[node] as usize
        } else {
            t.left[node] as usize
        };
        let w = t.cover[node];
        let hot_zero = t.cover[hot] / w;
        let cold_zero = t.cover[cold] / w;
        let mut incoming_zero = 1.0f32;
        let mut incoming_one = 1.0f32;
        if let Some(k) = (0..=depth).find(|&k| self.path[off + k].feature == split) {
            incoming_zero = self.path[off + k].zero;
            incoming_one = self.path[off + k].one;
            unwind_path(&mut self.path[off..], depth, k);
            depth -= 1;
        }
        self.walk(
            hot,
            depth + 1,
            off,
            hot_zero * incoming_zero,
            incoming_one,
            split,
        );
        self.walk(cold, depth + 1, off, cold_zero * incoming_zero, 0.0, split);
    }
}

impl XgbModel {
    /// Per-feature contributions to the margin, like xgboost's `predict(pred_contribs=True)`:
    /// `num_feature + 1` values per row (row-major), the last being the bias. Each row sums to
    /// its margin. For logistic models the values are in log-odds.
    pub fn contributions(&self, rows: &[f32]) -> Result<Vec<f32>> {
        self.contributions_with(rows, Parallelism::Auto)
    }

    /// [`XgbModel::contributions`] with an explicit threading policy ([`Parallelism::Auto`]
    /// splits batches of at least [`SHAP_PARALLEL_MIN_ROWS`] rows across rayon's pool).
    pub fn contributions_with(&self, rows: &[f32], parallelism: Parallelism) -> Result<Vec<f32>> {
        let n = self.check_rows(rows)?;
        let nf = self.num_feature();
        let width = nf + 1;
        let trees = self.raw_trees();
        let means: Vec<Vec<f32>> = trees.iter().map(node_means).collect();
        let depths: Vec<usize> = trees.iter().map(RawTree::depth).collect();
        let mut out = vec![0.0f32; n * width];
        let max_depth = depths.iter().copied().max().unwrap_or(0) + 2;
        let path_len = (max_depth + 1) * (max_depth + 2) / 2;
        let one_row = |(row, phi): (&[f32], &mut [f32])| {
            let mut this_tree = vec![0.0f32; width];
            let mut path = vec![PathElement::default(); path_len];
            for (j, tree) in trees.iter().enumerate() {
                this_tree.iter_mut().for_each(|v| *v = 0.0);
                this_tree[nf] += means[j][0];
                let mut walk = ShapWalk {
                    tree,
                    row,
                    phi: &mut this_tree,
                    path: &mut path,
                };
                walk.walk(0, 0, 0, 1.0, 1.0, -1);
                let weight = self.tree_weight(j);
                for (p, t) in phi.iter_mut().zip(&this_tree) {
                    *p += t * weight;
                }
            }
            phi[nf] += self.base_margin();
        };
        if parallelism == Parallelism::Auto && n >= SHAP_PARALLEL_MIN_ROWS {
            rows.par_chunks(nf)
                .zip(out.par_chunks_mut(width))
                .for_each(one_row);
        } else {
            rows.chunks(nf).zip(out.chunks_mut(width)).for_each(one_row);
        }
        Ok(out)
    }
}

impl XgbModel {
    /// Fast approximate contributions, like xgboost's
    /// `predict(pred_contribs=True, approx_contribs=True)` (the Saabas method): along each
    /// tree's decision path, the change in the cover-weighted mean value at a split is credited
    /// to the split's feature. O(depth) per tree instead of TreeSHAP's O(leaves · depth²), so it
    /// suits per-post latency budgets; rows still sum to the margin, but credit depends on split
    /// order, unlike TreeSHAP.
    pub fn approx_contributions(&self, rows: &[f32]) -> Result<Vec<f32>> {
        let n = self.check_rows(rows)?;
        let nf = self.num_feature();
        let width = nf + 1;
        let trees = self.raw_trees();
        let means: Vec<Vec<f32>> = trees.iter().map(node_means).collect();
        let mut out = vec![0.0f32; n * width];
        for (row, phi) in rows.chunks(nf).zip(out.chunks_mut(width)) {
            for (j, tree) in trees.iter().enumerate() {
                // Credit each step straight into the row (xgboost sums per tree first; the
                // difference is rounding, far inside the 1e-5 parity bound).
                let weight = self.tree_weight(j);
                let mean = &means[j];
                let mut node_value = mean[0];
                phi[nf] += node_value * weight;
                let mut node = 0usize;
                while !tree.is_leaf(node) {
                    let split = tree.feature[node] as usize;
                    node = tree.next(node, row[split]);
                    let new_value = mean[node];
                    phi[split] += (new_value - node_value) * weight;
                    node_value = new_value;
                }
            }
            phi[nf] += self.base_margin();
        }
        Ok(out)
    }
}
