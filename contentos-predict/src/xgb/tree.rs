//! Regression trees: the raw node arrays from the model file (kept for explanations) and the
//! compiled, flattened layouts the scorer walks.
//!
//! Two layouts, chosen per tree at load time:
//! * [`PerfectTree`] for trees of depth ≤ [`MAX_PERFECT_DEPTH`] (the usual `max_depth = 6`): the
//!   tree is padded to a complete binary tree stored level by level, so a child's index is
//!   `2i + 1` or `2i + 2` and every row takes exactly `depth` steps. No child pointers to load, no
//!   data-dependent loop exit, and several rows can walk the same tree in lockstep, which keeps
//!   the CPU's pipelines full. Padding nodes always go right and copy the leaf they replace into
//!   every leaf slot below them, so the result is unchanged.
//! * [`PointerTree`] for deeper (usually loss-guided) trees, where padding would explode: 16-byte
//!   nodes with explicit children.

use contentos_core::{Error, Result};

/// Trees up to this depth use the padded level-order layout (at most 256 leaves per tree).
pub(crate) const MAX_PERFECT_DEPTH: usize = 8;

/// Top bit of a packed feature index: missing values (NaN) go left at this node.
const DEFAULT_LEFT: u32 = 1 << 31;
const FEATURE_MASK: u32 = !DEFAULT_LEFT;

/// The node arrays of one tree exactly as the model file stores them.
#[derive(Debug, Clone)]
pub(crate) struct RawTree {
    /// Left child per node, `-1` for leaves.
    pub left: Vec<i64>,
    /// Right child per node, `-1` for leaves.
    pub right: Vec<i64>,
    /// Split feature per node.
    pub feature: Vec<i64>,
    /// Split threshold for internal nodes, leaf value for leaves.
    pub condition: Vec<f32>,
    /// Where missing values go.
    pub default_left: Vec<bool>,
    /// Sum of hessians of the training rows that reached the node (TreeSHAP's "cover").
    pub cover: Vec<f32>,
}

impl RawTree {
    /// Number of nodes (including deleted ones, which are unreachable).
    pub fn len(&self) -> usize {
        self.left.len()
    }

    /// Whether `node` is a leaf.
    pub fn is_leaf(&self, node: usize) -> bool {
        self.left[node] < 0
    }

    /// The child a value takes at internal `node`: strict `<` in f32, NaN follows `default_left`.
    #[inline]
    pub fn next(&self, node: usize, x: f32) -> usize {
        let go_left = if x.is_nan() {
            self.default_left[node]
        } else {
            x < self.condition[node]
        };
        if go_left {
            self.left[node] as usize
        } else {
            self.right[node] as usize
        }
    }

    /// Checks that the arrays agree in length and form a tree rooted at node 0 (every reachable
    /// node reached once, children in range), so walking it can never index out of bounds or
    /// loop.
    pub fn validate(&self, path: &str) -> Result<()> {
        let n = self.left.len();
        let bad = |rule: String| Error::validation(format!("xgboost model {path}"), rule);
        if n == 0 {
            return Err(bad("has no nodes".into()));
        }
        for (name, len) in [
            ("right_children", self.right.len()),
            ("split_indices", self.feature.len()),
            ("split_conditions", self.condition.len()),
            ("default_left", self.default_left.len()),
            ("sum_hessian", self.cover.len()),
        ] {
            if len != n {
                return Err(bad(format!(
                    "{name} has {len} entries but left_children has {n}"
                )));
            }
        }
        let mut seen = vec![false; n];
        let mut stack = vec![0usize];
        while let Some(i) = stack.pop() {
            if seen[i] {
                return Err(bad(format!("node {i} is reached twice")));
            }
            seen[i] = true;
            if self.left[i] < 0 {
                continue;
            }
            for c in [self.left[i], self.right[i]] {
                if c <= 0 || c as usize >= n {
                    return Err(bad(format!("node {i} has child {c} out of range")));
                }
                stack.push(c as usize);
            }
            if self.feature[i] < 0 {
                return Err(bad(format!("node {i} splits on a negative feature")));
            }
        }
        Ok(())
    }

    /// Depth of the deepest leaf (0 for a single-leaf tree).
    pub fn depth(&self) -> usize {
        let mut max = 0;
        let mut stack = vec![(0usize, 0usize)];
        while let Some((i, d)) = stack.pop() {
            max = max.max(d);
            if !self.is_leaf(i) {
                stack.push((self.left[i] as usize, d + 1));
                stack.push((self.right[i] as usize, d + 1));
            }
        }
        max
    }
}

/// One internal node of a [`PerfectTree`]: 8 bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PackedSplit {
    threshold: f32,
    /// Feature index, with [`DEFAULT_LEFT`] in the top bit.
    feature: u32,
}

impl PackedSplit {
    /// The split's threshold (NaN for padding nodes, which always go right).
    pub(crate) fn threshold(&self) -> f32 {
        self.threshold
    }

    /// The split's feature index.
    pub(crate) fn feature(&self) -> u32 {
        self.feature & FEATURE_MASK
    }

    /// Whether missing values (NaN) go left.
    pub(crate) fn default_left(&self) -> bool {
        self.feature & DEFAULT_LEFT != 0
    }
}

/// A tree padded to a complete binary tree of `depth` levels, stored level by level.
#[derive(Debug, Clone)]
pub(crate) struct PerfectTree {
    depth: usize,
    /// Largest feature index any split reads (0 for a single leaf).
    max_feature: u32,
    splits: Vec<PackedSplit>,
    leaves: Vec<f32>,
}

/// One node of a [`PointerTree`]: 16 bytes.
#[derive(Debug, Clone, Copy)]
struct PointerNode {
    /// Threshold, or the leaf value when `left == 0`.
    value: f32,
    feature: u32,
    left: u32,
    right: u32,
}

/// A tree with explicit child indices, for trees too deep to pad.
#[derive(Debug, Clone)]
pub(crate) struct PointerTree {
    nodes: Vec<PointerNode>,
}

/// A tree in the layout the scorer walks; leaf values already include any `dart` weight.
#[derive(Debug, Clone)]
pub(crate) enum CompiledTree {
    /// See [`PerfectTree`].
    Perfect(PerfectTree),
    /// See [`PointerTree`].
    Pointer(PointerTree),
}

fn pack(raw: &RawTree, i: usize) -> u32 {
    let f = raw.feature[i] as u32 & FEATURE_MASK;
    if raw.default_left[i] {
        f | DEFAULT_LEFT
    } else {
        f
    }
}

impl CompiledTree {
    /// Compiles a validated raw tree; `weight` scales every leaf (1 outside `dart`). The product
    /// is rounded to f32 exactly as xgboost does when it applies the dart weight.
    pub fn compile(raw: &RawTree, weight: f32) -> Self {
        Self::compile_with_limit(raw, weight, MAX_PERFECT_DEPTH)
    }

    /// [`CompiledTree::compile`] with the padded layout limited to trees of depth ≤
    /// `max_perfect_depth` (tests force the pointer layout with 0).
    fn compile_with_limit(raw: &RawTree, weight: f32, max_perfect_depth: usize) -> Self {
        let depth = raw.depth();
        let leaf = |i: usize| {
            if weight == 1.0 {
                raw.condition[i]
            } else {
                raw.condition[i] * weight
            }
        };
        if depth <= max_perfect_depth {
            let n_internal = (1usize << depth) - 1;
            let mut splits = vec![
                PackedSplit {
                    threshold: f32::NAN,
                    feature: 0,
                };
                n_internal
            ];
            let mut leaves = vec![0.0f32; 1usize << depth];
            // (slot in the padded tree, raw node, level)
            let mut stack = vec![(0usize, 0usize, 0usize)];
            while let Some((slot, node, level)) = stack.pop() {
                if level == depth {
                    leaves[slot - n_internal] = leaf(node);
                    continue;
                }
                if raw.is_leaf(node) {
                    // Padding: always-right split, the same leaf in both subtrees.
                    stack.push((2 * slot + 1, node, level + 1));
                    stack.push((2 * slot + 2, node, level + 1));
                } else {
                    splits[slot] = PackedSplit {
                        threshold: raw.condition[node],
                        feature: pack(raw, node),
                    };
                    stack.push((2 * slot + 1, raw.left[node] as usize, level + 1));
                    stack.push((2 * slot + 2, raw.right[node] as usize, level + 1));
                }
            }
            let max_feature = splits
                .iter()
                .map(|s| s.feature & FEATURE_MASK)
                .max()
                .unwrap_or(0);
            CompiledTree::Perfect(PerfectTree {
                depth,
                max_feature,
                splits,
                leaves,
            })
        } else {
            // Renumber reachable nodes in depth-first order so that hot paths sit together.
            let mut order = Vec::with_capacity(raw.len());
            let mut new_index = vec![0u32; raw.len()];
            let mut stack = vec![0usize];
            while let Some(i) = stack.pop() {
                new_index[i] = order.len() as u32;
                order.push(i);
                if !raw.is_leaf(i) {
                    stack.push(raw.right[i] as usize);
                    stack.push(raw.left[i] as usize);
                }
            }
            let nodes = order
                .iter()
                .map(|&i| {
                    if raw.is_leaf(i) {
                        PointerNode {
                            value: leaf(i),
                            feature: 0,
                            left: 0,
                            right: 0,
                        }
                    } else {
                        PointerNode {
                            value: raw.condition[i],
                            feature: pack(raw, i),
                            left: new_index[raw.left[i] as usize],
                            right: new_index[raw.right[i] as usize],
                        }
                    }
                })
                .collect();
            CompiledTree::Pointer(PointerTree { nodes })
        }
    }

    /// Adds this tree's leaf value for each row of `rows` (row-major, `num_feature` columns) to
    /// the matching entry of `out`.
    #[inline]
    pub fn accumulate(&self, rows: &[f32], num_feature: usize, out: &mut [f32]) {
        match self {
            CompiledTree::Perfect(t) => t.accumulate(rows, num_feature, out),
            CompiledTree::Pointer(t) => t.accumulate(rows, num_feature, out),
        }
    }
}

impl PerfectTree {
    /// Depth, level-order splits and leaves (for [`super::forest::UniformForest`]).
    pub(crate) fn parts(&self) -> (usize, &[PackedSplit], &[f32]) {
        (self.depth, &self.splits, &self.leaves)
    }
}

/// Rows walked in lockstep through a perfect tree.
const LANES: usize = 8;

impl PerfectTree {
    /// The hot loop. Bounds checks are hoisted out of it: `max_feature < nf` and the row count
    /// are checked once per call, and slot indices stay in range by construction (at level `l`
    /// a slot is below `2^(l+1) - 1`, and `splits` holds the `2^depth - 1` slots of levels
    /// `0..depth`; the final slot minus `first_leaf` is below `2^depth = leaves.len()`).
    #[inline]
    fn accumulate(&self, rows: &[f32], nf: usize, out: &mut [f32]) {
        let n = out.len();
        assert!(
            (self.max_feature as usize) < nf && rows.len() >= n * nf,
            "feature rows must cover the tree's features"
        );
        let first_leaf = self.splits.len();
        let splits = self.splits.as_ptr();
        let leaves = &self.leaves;
        let base = rows.as_ptr();
        // SAFETY: see the doc comment: every slot read is < splits.len(), every feature index
        // is <= max_feature < nf, and row r < n with rows.len() >= n * nf.
        let step = |slot: usize, row: *const f32| -> usize {
            unsafe {
                let sp = *splits.add(slot);
                let x = *row.add((sp.feature & FEATURE_MASK) as usize);
                let left = (x < sp.threshold) | (x.is_nan() & (sp.feature & DEFAULT_LEFT != 0));
                2 * slot + 2 - left as usize
            }
        };
        let mut r = 0;
        while r + LANES <= n {
            let mut idx = [0usize; LANES];
            for _ in 0..self.depth {
                for (k, slot) in idx.iter_mut().enumerate() {
                    // SAFETY: r + k < n (loop condition), so the row starts within `rows`.
                    *slot = step(*slot, unsafe { base.add((r + k) * nf) });
                }
            }
            for (k, &slot) in idx.iter().enumerate() {
                out[r + k] += leaves[slot - first_leaf];
            }
            r += LANES;
        }
        while r < n {
            let mut slot = 0usize;
            for _ in 0..self.depth {
                // SAFETY: r < n, as above.
                slot = step(slot, unsafe { base.add(r * nf) });
            }
            out[r] += leaves[slot - first_leaf];
            r += 1;
        }
    }
}

/// Trees walked in lockstep for one row by [`accumulate_row`].
const TREE_LANES: usize = 4;

impl PerfectTree {
    /// One step down from `slot` for `row` (bounds checked, for the one-row path).
    #[inline(always)]
    fn step_checked(&self, slot: usize, row: &[f32]) -> usize {
        let sp = self.splits[slot];
        let x = row[(sp.feature & FEATURE_MASK) as usize];
        let left = (x < sp.threshold) | (x.is_nan() & (sp.feature & DEFAULT_LEFT != 0));
        2 * slot + 2 - left as usize
    }
}

impl PerfectTree {
    /// [`PerfectTree::step_checked`] without bounds checks.
    ///
    /// # Safety
    /// `slot < self.splits.len()` and `self.max_feature < row.len()`.
    #[inline(always)]
    unsafe fn step_unchecked(&self, slot: usize, row: &[f32]) -> usize {
        let sp = *self.splits.get_unchecked(slot);
        let x = *row.get_unchecked((sp.feature & FEATURE_MASK) as usize);
        let left = (x < sp.threshold) | (x.is_nan() & (sp.feature & DEFAULT_LEFT != 0));
        2 * slot + 2 - left as usize
    }
}

/// Adds every tree's leaf for one row to `margin`, in tree order (the same f32 additions as
/// [`CompiledTree::accumulate`] tree by tree, so the result is bit-identical).
///
/// For one row the per-tree walk is a chain of dependent loads, so a lone row waits on memory
/// at every level; walking [`TREE_LANES`] perfect trees in lockstep keeps several loads in
/// flight. This is the single-post latency path.
pub(crate) fn accumulate_row(trees: &[CompiledTree], row: &[f32], margin: f32) -> f32 {
    let mut margin = margin;
    let mut rest = trees;
    while !rest.is_empty() {
        let lanes = rest.len().min(TREE_LANES);
        let group = &rest[..lanes];
        let mut perfect: [Option<&PerfectTree>; TREE_LANES] = [None; TREE_LANES];
        let mut all_perfect = lanes == TREE_LANES;
        for (k, t) in group.iter().enumerate() {
            match t {
                CompiledTree::Perfect(p) => perfect[k] = Some(p),
                CompiledTree::Pointer(_) => all_perfect = false,
            }
        }
        if let (true, [Some(a), Some(b), Some(c), Some(d)]) = (all_perfect, perfect) {
            let group = [a, b, c, d];
            let mut slots = [0usize; TREE_LANES];
            let depth = group.iter().map(|t| t.depth).max().unwrap_or(0);
            let same_depth = group.iter().all(|t| t.depth == depth);
            let features_in_row = group.iter().all(|t| (t.max_feature as usize) < row.len());
            if same_depth && features_in_row {
                // The usual case (every tree of a depth-limited model is padded to that depth):
                // no per-level depth test and no bounds checks in the loop.
                for _ in 0..depth {
                    for (slot, t) in slots.iter_mut().zip(group) {
                        // SAFETY: at level l the slot is below 2^(l+1) - 1 <= splits.len()
                        // (l < depth), and every feature index is <= max_feature < row.len(),
                        // both checked just above; see `PerfectTree::accumulate`.
                        *slot = unsafe { t.step_unchecked(*slot, row) };
                    }
                }
                for (slot, t) in slots.iter().zip(group) {
                    margin += t.leaves[*slot - t.splits.len()];
                }
                rest = &rest[lanes..];
                continue;
            }
            for level in 0..depth {
                for (slot, t) in slots.iter_mut().zip(group) {
                    if level < t.depth {
                        *slot = t.step_checked(*slot, row);
                    }
                }
            }
            for (slot, t) in slots.iter().zip(group) {
                margin += t.leaves[*slot - t.splits.len()];
            }
        } else {
            for t in group {
                let mut out = [margin];
                t.accumulate(row, row.len(), &mut out);
                margin = out[0];
            }
        }
        rest = &rest[lanes..];
    }
    margin
}

impl PointerTree {
    #[inline]
    fn accumulate(&self, rows: &[f32], nf: usize, out: &mut [f32]) {
        for (acc, row) in out.iter_mut().zip(rows.chunks_exact(nf.max(1))) {
            let mut i = 0usize;
            loop {
                let n = self.nodes[i];
                if n.left == 0 {
                    *acc += n.value;
                    break;
                }
                let x = row[(n.feature & FEATURE_MASK) as usize];
                let left = (x < n.value) | (x.is_nan() & (n.feature & DEFAULT_LEFT != 0));
                i = if left { n.left } else { n.right } as usize;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A lopsided tree: root splits f0 < 1 (NaN left); left is a leaf, right splits f1 < 2
    /// (NaN right) into a leaf and a split on f0 < 5 (NaN left).
    fn lopsided() -> RawTree {
        RawTree {
            left: vec![1, -1, 3, -1, 5, -1, -1],
            right: vec![2, -1, 4, -1, 6, -1, -1],
            feature: vec![0, 0, 1, 0, 0, 0, 0],
            condition: vec![1.0, 10.0, 2.0, 20.0, 5.0, 30.0, 40.0],
            default_left: vec![true, false, false, false, true, false, false],
            cover: vec![10.0, 4.0, 6.0, 3.0, 3.0, 1.0, 2.0],
        }
    }

    fn walk(raw: &RawTree, row: &[f32]) -> f32 {
        let mut i = 0;
        while !raw.is_leaf(i) {
            i = raw.next(i, row[raw.feature[i] as usize]);
        }
        raw.condition[i]
    }

    fn pointer(raw: &RawTree, weight: f32) -> CompiledTree {
        CompiledTree::compile_with_limit(raw, weight, 0)
    }

    #[test]
    fn both_layouts_agree_with_the_raw_walk_including_nan_and_ties() {
        let raw = lopsided();
        raw.validate("t").unwrap();
        assert_eq!(raw.depth(), 3);
        let perfect = CompiledTree::compile(&raw, 1.0);
        assert!(matches!(perfect, CompiledTree::Perfect(_)));
        let ptr = pointer(&raw, 1.0);
        assert!(matches!(ptr, CompiledTree::Pointer(_)));
        let vals = [f32::NAN, 0.0, 1.0, 2.0, 4.999, 5.0, 7.0, f32::INFINITY];
        let mut rows = Vec::new();
        for a in vals {
            for b in vals {
                rows.extend_from_slice(&[a, b]);
            }
        }
        let n = rows.len() / 2;
        let mut out_p = vec![0.0; n];
        let mut out_q = vec![0.0; n];
        perfect.accumulate(&rows, 2, &mut out_p);
        ptr.accumulate(&rows, 2, &mut out_q);
        for i in 0..n {
            let want = walk(&raw, &rows[2 * i..2 * i + 2]);
            assert_eq!(out_p[i], want, "perfect row {i}");
            assert_eq!(out_q[i], want, "pointer row {i}");
        }
        // Ties go right (strict <), NaN follows default_left.
        assert_eq!(walk(&raw, &[1.0, 0.0]), 20.0);
        assert_eq!(walk(&raw, &[f32::NAN, 0.0]), 10.0);
        assert_eq!(walk(&raw, &[3.0, f32::NAN]), 30.0);
        assert_eq!(walk(&raw, &[f32::NAN, f32::NAN]), 10.0);
    }

    #[test]
    fn dart_weights_scale_leaves() {
        let raw = lopsided();
        let t = CompiledTree::compile(&raw, 0.5);
        let mut out = vec![1.0];
        t.accumulate(&[0.0, 0.0], 2, &mut out);
        assert_eq!(out[0], 1.0 + 10.0 * 0.5);
    }

    #[test]
    fn cycles_and_bad_children_are_rejected() {
        let mut t = lopsided();
        t.left[2] = 0;
        assert!(t.validate("t").is_err());
        let mut t = lopsided();
        t.right[4] = 2;
        assert!(t.validate("t").is_err());
        let mut t = lopsided();
        t.cover.pop();
        assert!(t.validate("t").is_err());
    }
}
