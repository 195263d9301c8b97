//! [`UniformForest`]: every tree of a depth-limited model in one padded, NaN-free layout, the
//! scorer's fast path.
//!
//! A split in XGBoost is `x < threshold`, except that a missing value (NaN) follows the node's
//! default direction. Testing for NaN at every node costs as much as the comparison itself, and
//! models trained on real data have missing values (`similar_history` is NaN for a workspace
//! without history). So each row is *doubled* once before the walk:
//!
//! 1. columns `0..nf` hold the row with NaN replaced by `+inf`, which no threshold exceeds, so a
//!    NaN goes right;
//! 2. columns `nf..2nf` hold it with NaN replaced by `-inf`, which is below every finite
//!    threshold, so a NaN goes left.
//!
//! A node whose default is left reads its feature from the second half, any other node from
//! the first: the walk is then one load and one strict `<` per level, and gives the same leaf as
//! the NaN-aware walk. (Values that are really infinite are kept in both halves.) A model with a
//! default-left split on a threshold of `-inf` or NaN, where the substitution would be wrong,
//! does not get this layout and is scored by the per-tree layouts of [`super::tree`].
//!
//! All trees are padded to the same depth and stored back to back, so tree `t`'s splits start
//! at `t * (2^depth - 1)`: no per-tree dispatch and no pointer chasing between trees.
//!
//! Values and thresholds are stored as their [`order_key`]s: integers that compare as the
//! floats do (with `-0.0` equal to `0.0`, and a NaN threshold, which no value is below, as 0).
//! An integer compare feeds the next index straight from the carry flag, where a float compare
//! needs its NaN case handled: a few instructions less at every level of every tree.

use super::tree::CompiledTree;

/// The order-preserving integer of a non-NaN `f32`: `order_key(a) < order_key(b)` exactly when
/// `a < b` (both zeros share a key, as they compare equal). Negative floats have their bits
/// inverted and the others their sign bit set, so the unsigned order follows the float order.
#[inline(always)]
pub(crate) fn order_key(x: f32) -> u32 {
    let x = if x == 0.0 { 0.0 } else { x };
    let bits = x.to_bits();
    bits ^ (((bits as i32) >> 31) as u32 | 0x8000_0000)
}

/// A threshold's key: [`order_key`], and 0 for NaN (`x < NaN` is false for every `x`, and no
/// key is below 0).
fn threshold_key(t: f32) -> u32 {
    if t.is_nan() {
        0
    } else {
        order_key(t)
    }
}

/// One split of a [`UniformForest`]: 8 bytes.
#[derive(Debug, Clone, Copy)]
struct Split {
    /// [`threshold_key`] of the split's threshold.
    threshold: u32,
    /// Column of the doubled row (`feature` or `nf + feature`) times [`BLOCK`]: the offset of
    /// the column in a transposed block, the hot path (the single-row walk shifts it back).
    column_offset: u32,
}

/// Trees walked in lockstep by one row, and rows walked in lockstep through one tree.
const LANES: usize = 4;
const ROW_LANES: usize = 8;

/// All trees of a model, padded to one depth, stored back to back (see the module docs).
#[derive(Debug, Clone)]
pub(crate) struct UniformForest {
    depth: usize,
    num_feature: usize,
    splits: Vec<Split>,
    leaves: Vec<f32>,
}

impl UniformForest {
    /// The forest of `trees` for rows of `num_feature` columns, or `None` when a tree is not in
    /// the padded layout or a default-left split has a threshold of `-inf` or NaN.
    ///
    /// Shallower trees are padded to the deepest one's depth the way [`super::tree`] pads a
    /// tree: extra levels of always-right splits (NaN threshold), each leaf copied into every
    /// leaf slot below it.
    pub fn build(trees: &[CompiledTree], num_feature: usize) -> Option<Self> {
        let mut parts = Vec::with_capacity(trees.len());
        for tree in trees {
            let CompiledTree::Perfect(t) = tree else {
                return None;
            };
            parts.push(t.parts());
        }
        let depth = parts.iter().map(|p| p.0).max().unwrap_or(0);
        let padding = Split {
            threshold: threshold_key(f32::NAN),
            column_offset: 0,
        };
        let mut splits = Vec::with_capacity(trees.len() * ((1 << depth) - 1));
        let mut leaves = Vec::with_capacity(trees.len() << depth);
        for (d, tree_splits, tree_leaves) in parts {
            for s in tree_splits {
                let threshold = s.threshold();
                let feature = s.feature() as usize;
                if feature >= num_feature {
                    return None;
                }
                let column = if s.default_left() {
                    if threshold.is_nan() || threshold == f32::NEG_INFINITY {
                        return None;
                    }
                    num_feature + feature
                } else {
                    feature
                };
                splits.push(Split {
                    threshold: threshold_key(threshold),
                    column_offset: u32::try_from(column * BLOCK).ok()?,
                });
            }
            // Levels d..depth: padding splits; each leaf spread over its 2^(depth-d) slots.
            splits.extend(std::iter::repeat(padding).take((1 << depth) - (1 << d)));
            for &leaf in tree_leaves {
                leaves.extend(std::iter::repeat(leaf).take(1 << (depth - d)));
            }
        }
        Some(UniformForest {
            depth,
            num_feature,
            splits,
            leaves,
        })
    }

    /// Columns of a doubled row.
    pub fn doubled_width(&self) -> usize {
        2 * self.num_feature
    }

    /// Writes the doubled form of `row` (`num_feature` values) into `out` (twice as many).
    #[inline]
    pub fn double_row(&self, row: &[f32], out: &mut [u32]) {
        let (right, left) = out.split_at_mut(self.num_feature);
        for ((&x, r), l) in row.iter().zip(right).zip(left) {
            (*r, *l) = doubled_keys(x);
        }
    }

    fn internal(&self) -> usize {
        (1usize << self.depth) - 1
    }

    /// Number of trees.
    pub fn len(&self) -> usize {
        self.leaves.len() >> self.depth
    }

    /// `margin` plus the leaves of trees `range` for one doubled row, added in tree order (the
    /// same f32 additions as the per-tree walk, so the result is bit-identical).
    pub fn accumulate_row(&self, range: (usize, usize), doubled: &[u32], margin: f32) -> f32 {
        let (t0, t1) = range;
        assert!(
            t0 <= t1 && t1 <= self.len() && doubled.len() >= self.doubled_width(),
            "tree range and row must fit the forest"
        );
        let ni = self.internal();
        let nl = ni + 1;
        let splits = self.splits.as_ptr();
        let x = doubled.as_ptr();
        // SAFETY: for tree t < len, `t * ni + slot` with slot < ni at every level below
        // `depth` stays below splits.len() = len * ni; every column (`column_offset >>
        // BLOCK_SHIFT`) is < 2 * num_feature <= doubled.len() (checked in `build` and above).
        let step = |base: usize, slot: usize| -> usize {
            unsafe {
                let s = *splits.add(base + slot);
                let v = *x.add(s.column_offset as usize >> BLOCK_SHIFT);
                2 * slot + 2 - usize::from(v < s.threshold)
            }
        };
        let mut margin = margin;
        let mut t = t0;
        while t + LANES <= t1 {
            let mut slots = [0usize; LANES];
            for _ in 0..self.depth {
                for (k, slot) in slots.iter_mut().enumerate() {
                    *slot = step((t + k) * ni, *slot);
                }
            }
            for (k, slot) in slots.iter().enumerate() {
                margin += self.leaves[(t + k) * nl + slot - ni];
            }
            t += LANES;
        }
        while t < t1 {
            let mut slot = 0;
            for _ in 0..self.depth {
                slot = step(t * ni, slot);
            }
            margin += self.leaves[t * nl + slot - ni];
            t += 1;
        }
        margin
    }

    /// Writes up to [`BLOCK`] rows (row-major, `num_feature` columns each) doubled and
    /// transposed into `cols`: doubled column `c` of row `r` at `c * BLOCK + r` (`cols` holds
    /// at least [`Self::doubled_width`] `* BLOCK` values). The layout of
    /// [`Self::accumulate_columns`].
    pub fn double_into_columns(&self, rows: &[f32], cols: &mut [u32]) {
        let nf = self.num_feature;
        assert!(
            rows.len() <= BLOCK * nf && cols.len() >= 2 * nf * BLOCK,
            "a block of rows and its column buffer"
        );
        for (r, row) in rows.chunks_exact(nf).enumerate() {
            for (f, &x) in row.iter().enumerate() {
                (cols[f * BLOCK + r], cols[(nf + f) * BLOCK + r]) = doubled_keys(x);
            }
        }
    }

    /// Adds the leaves of trees `range` to `out` for each row of a block doubled by
    /// [`Self::double_into_columns`] (`out.len() <= BLOCK` rows), tree by tree over the block.
    ///
    /// The transposed layout puts a column's values for all rows of the block side by side, so
    /// a lane's value is at `block + column * BLOCK + row`: one base address for every row
    /// lane, with the row a constant offset, which keeps the lockstep walk of [`ROW_LANES`] rows
    /// within the registers.
    pub fn accumulate_columns(&self, range: (usize, usize), cols: &[u32], out: &mut [f32]) {
        let (t0, t1) = range;
        let n = out.len();
        assert!(
            t0 <= t1
                && t1 <= self.len()
                && n <= BLOCK
                && cols.len() >= self.doubled_width() * BLOCK,
            "tree range and block must fit the forest"
        );
        let ni = self.internal();
        let nl = ni + 1;
        let splits = self.splits.as_ptr();
        // SAFETY (both closures): for tree t < len, `t * ni + slot` with slot < ni stays below
        // splits.len(); every column is < doubled_width, so `column_offset + row` with
        // row < n <= BLOCK stays below cols.len() (checked above and in `build`).
        let step = |tree: usize, slot: usize, x: *const u32| -> usize {
            unsafe {
                let s = *splits.add(tree + slot);
                let v = *x.add(s.column_offset as usize);
                2 * slot + 2 - usize::from(v < s.threshold)
            }
        };
        let base = cols.as_ptr();
        for t in t0..t1 {
            let tree = t * ni;
            let leaves = &self.leaves[t * nl..(t + 1) * nl];
            let mut r = 0;
            while r + ROW_LANES <= n {
                // SAFETY: r + ROW_LANES <= n <= BLOCK: an offset within the first column.
                let x = unsafe { base.add(r) };
                let mut slots = [0usize; ROW_LANES];
                for _ in 0..self.depth {
                    for (k, slot) in slots.iter_mut().enumerate() {
                        // SAFETY: k < ROW_LANES, so row r + k < n.
                        *slot = step(tree, *slot, unsafe { x.add(k) });
                    }
                }
                for (k, slot) in slots.iter().enumerate() {
                    out[r + k] += leaves[slot - ni];
                }
                r += ROW_LANES;
            }
            while r < n {
                // SAFETY: r < n <= BLOCK.
                let x = unsafe { base.add(r) };
                let mut slot = 0;
                for _ in 0..self.depth {
                    slot = step(tree, slot, x);
                }
                out[r] += leaves[slot - ni];
                r += 1;
            }
        }
    }
}

/// The keys of a value's two copies in a doubled row: NaN as `+inf` (goes right at every
/// split) and as `-inf` (goes left).
#[inline(always)]
fn doubled_keys(x: f32) -> (u32, u32) {
    if x.is_nan() {
        (order_key(f32::INFINITY), order_key(f32::NEG_INFINITY))
    } else {
        let k = order_key(x);
        (k, k)
    }
}

/// Rows per block of [`UniformForest::accumulate_columns`].
pub(crate) const BLOCK: usize = 1 << BLOCK_SHIFT;
const BLOCK_SHIFT: u32 = 6;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::Rng;
    use crate::xgb::tree::RawTree;

    /// Root f0 < 1 (NaN left) → [leaf 10 | f1 < 2 (NaN right) → [leaf 20 | f0 < 5 (NaN left)
    /// → [30 | 40]]], and a second tree splitting f1 < -3 (NaN left) → [1 | 2].
    fn trees() -> Vec<RawTree> {
        vec![
            RawTree {
                left: vec![1, -1, 3, -1, 5, -1, -1],
                right: vec![2, -1, 4, -1, 6, -1, -1],
                feature: vec![0, 0, 1, 0, 0, 0, 0],
                condition: vec![1.0, 10.0, 2.0, 20.0, 5.0, 30.0, 40.0],
                default_left: vec![true, false, false, false, true, false, false],
                cover: vec![1.0; 7],
            },
            RawTree {
                left: vec![1, -1, -1],
                right: vec![2, -1, -1],
                feature: vec![1, 0, 0],
                condition: vec![-3.0, 1.0, 2.0],
                default_left: vec![true, false, false],
                cover: vec![1.0; 3],
            },
        ]
    }

    fn walk(raw: &RawTree, row: &[f32]) -> f32 {
        let mut i = 0;
        while !raw.is_leaf(i) {
            i = raw.next(i, row[raw.feature[i] as usize]);
        }
        raw.condition[i]
    }

    #[test]
    fn doubled_rows_walk_to_the_same_leaves_as_the_nan_aware_walk() {
        let raw = trees();
        // Depths 3 and 1: the second tree is padded to depth 3.
        let compiled: Vec<_> = raw.iter().map(|t| CompiledTree::compile(t, 1.0)).collect();
        let forest = UniformForest::build(&compiled, 2).expect("uniform");
        assert_eq!(forest.len(), 2);
        let vals = [
            f32::NAN,
            f32::NEG_INFINITY,
            -3.0,
            -0.0,
            0.0,
            1.0,
            2.0,
            4.999,
            5.0,
            f32::INFINITY,
        ];
        let mut block = Vec::new();
        let mut want = Vec::new();
        for a in vals {
            for b in vals {
                let row = [a, b];
                block.extend_from_slice(&row);
                let mut d = [0u32; 4];
                forest.double_row(&row, &mut d);
                for (range, expect) in [
                    ((0, 2), 0.5 + walk(&raw[0], &row) + walk(&raw[1], &row)),
                    ((1, 2), 0.5 + walk(&raw[1], &row)),
                    ((0, 1), 0.5 + walk(&raw[0], &row)),
                ] {
                    assert_eq!(forest.accumulate_row(range, &d, 0.5), expect, "{row:?}");
                }
                want.push(0.25 + walk(&raw[0], &row) + walk(&raw[1], &row));
            }
        }
        // 81 rows: a full block and a partial one, eight-row lanes and the remainder.
        let mut out = vec![0.25; want.len()];
        accumulate_in_blocks(&forest, (0, 2), &block, &mut out);
        assert_eq!(out, want);
    }

    #[test]
    fn unsafe_thresholds_and_foreign_features_keep_the_per_tree_layouts() {
        let raw = trees();
        let mut t = raw[1].clone();
        t.condition[0] = f32::NEG_INFINITY; // default-left split on -inf: NaN would go right
        assert!(UniformForest::build(&[CompiledTree::compile(&t, 1.0)], 2).is_none());
        t.default_left[0] = false; // default-right on -inf is fine
        assert!(UniformForest::build(&[CompiledTree::compile(&t, 1.0)], 2).is_some());
        assert!(
            UniformForest::build(&[CompiledTree::compile(&raw[0], 1.0)], 1).is_none(),
            "feature 1 outside a one-column row"
        );
    }
    #[test]
    fn order_keys_compare_as_the_floats_do() {
        let mut vals = vec![
            f32::NEG_INFINITY,
            f32::MIN,
            -1.5,
            -f32::MIN_POSITIVE,
            -1e-45, // subnormal
            -0.0,
            0.0,
            1e-45,
            f32::MIN_POSITIVE,
            0.1,
            1.0,
            f32::MAX,
            f32::INFINITY,
        ];
        let mut rng = Rng(0xDEAD_BEEF_0BAD_F00D);
        vals.extend(
            (0..500)
                .map(|_| f32::from_bits(rng.next() as u32))
                .filter(|x| !x.is_nan()),
        );
        for &a in &vals {
            for &b in &vals {
                assert_eq!(order_key(a) < order_key(b), a < b, "{a:e} {b:e}");
                assert!(
                    order_key(a) >= threshold_key(f32::NAN),
                    "nothing is below NaN"
                );
            }
        }
    }

    /// [`UniformForest::accumulate_columns`] over `rows` (row-major, any count) a block at a
    /// time, as the scorer runs it.
    fn accumulate_in_blocks(
        forest: &UniformForest,
        range: (usize, usize),
        rows: &[f32],
        out: &mut [f32],
    ) {
        let nf = forest.num_feature;
        let mut cols = vec![0u32; forest.doubled_width() * BLOCK];
        for (o, r) in out.chunks_mut(BLOCK).zip(rows.chunks(BLOCK * nf)) {
            forest.double_into_columns(r, &mut cols);
            forest.accumulate_columns(range, &cols, o);
        }
    }

    /// Values for rows: NaN, infinities and few distinct finite values (so ties happen).
    fn value(rng: &mut Rng) -> f32 {
        match rng.below(11) {
            0 => f32::NAN,
            1 => f32::INFINITY,
            2 => f32::NEG_INFINITY,
            3 => -0.0,
            _ => (rng.below(21) as f32 - 10.0) * 0.5,
        }
    }

    /// A random tree of depth at most `max_depth` over `nf` features.
    fn random_tree(rng: &mut Rng, nf: usize, max_depth: usize) -> RawTree {
        let mut t = RawTree {
            left: vec![],
            right: vec![],
            feature: vec![],
            condition: vec![],
            default_left: vec![],
            cover: vec![],
        };
        fn grow(t: &mut RawTree, rng: &mut Rng, nf: usize, depth_left: usize) -> usize {
            let i = t.left.len();
            t.left.push(-1);
            t.right.push(-1);
            t.feature.push(0);
            t.cover.push(1.0);
            t.default_left.push(rng.below(2) == 0);
            if depth_left == 0 || rng.below(5) == 0 {
                t.condition.push((rng.below(1000) as f32 - 500.0) / 7.0); // leaf value
                return i;
            }
            t.condition.push(match rng.below(12) {
                0 => -0.0,
                _ => (rng.below(21) as f32 - 10.0) * 0.5,
            });
            t.feature[i] = rng.below(nf as u64) as i64;
            let l = grow(t, rng, nf, depth_left - 1);
            let r = grow(t, rng, nf, depth_left - 1);
            t.left[i] = l as i64;
            t.right[i] = r as i64;
            i
        }
        grow(&mut t, rng, nf, max_depth);
        t
    }

    #[test]
    fn random_forests_score_exactly_like_the_nan_aware_walk() {
        // Tree and row counts that are not multiples of the lanes, padded shallow trees, NaN
        // and infinite values, ties with thresholds, and tree ranges that start mid-forest.
        let mut rng = Rng(0x1234_5678_9ABC_DEF1);
        for case in 0..40 {
            let nf = 1 + rng.below(12) as usize;
            let n_trees = 1 + rng.below(40) as usize;
            let max_depth = rng.below(7) as usize;
            let raw: Vec<RawTree> = (0..n_trees)
                .map(|_| random_tree(&mut rng, nf, max_depth))
                .collect();
            let compiled: Vec<_> = raw.iter().map(|t| CompiledTree::compile(t, 1.0)).collect();
            let forest = UniformForest::build(&compiled, nf).expect("finite thresholds");
            let n_rows = 1 + rng.below(40) as usize;
            let rows: Vec<f32> = (0..n_rows * nf).map(|_| value(&mut rng)).collect();
            let w = forest.doubled_width();
            let mut doubled = vec![0u32; n_rows * w];
            for (d, row) in doubled.chunks_exact_mut(w).zip(rows.chunks_exact(nf)) {
                forest.double_row(row, d);
            }
            let t0 = rng.below(n_trees as u64 + 1) as usize;
            let range = (t0, n_trees);
            let mut want = vec![0.125f32; n_rows];
            for (r, row) in rows.chunks_exact(nf).enumerate() {
                for t in &raw[t0..] {
                    want[r] += walk(t, row);
                }
            }
            let mut block = vec![0.125f32; n_rows];
            accumulate_in_blocks(&forest, range, &rows, &mut block);
            for r in 0..n_rows {
                let one = forest.accumulate_row(range, &doubled[r * w..(r + 1) * w], 0.125);
                assert_eq!(one.to_bits(), want[r].to_bits(), "case {case} row {r}");
                assert_eq!(block[r].to_bits(), want[r].to_bits(), "case {case} row {r}");
            }
        }
    }
}
