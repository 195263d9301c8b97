//! [`XgbModel`]: a loaded XGBoost tree ensemble and its batch scorer.

use super::forest::UniformForest;
use super::parse::{parse_model, ParsedModel};
use super::tree::{CompiledTree, RawTree};
use contentos_core::{Error, Result};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// Rows scored together per tree pass: small enough that the block's feature values stay in L1
/// while every tree is walked over them, large enough to amortise fetching each tree (the
/// forest's transposed block layout has this many rows).
pub(crate) const BLOCK_ROWS: usize = super::forest::BLOCK;

/// Batches at least this large are split across rayon's thread pool under
/// [`Parallelism::Auto`]; below it the thread hand-off costs more than it saves.
pub const PARALLEL_MIN_ROWS: usize = 4096;

/// How the margin (base score + sum of leaves) becomes a prediction, per the model's objective.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OutputTransform {
    /// The margin is the prediction (`reg:squarederror`, `binary:logitraw`, …).
    Identity,
    /// Logistic sigmoid: the margin is log-odds (`binary:logistic`, `reg:logistic`).
    Sigmoid,
    /// Exponential: the margin is a log-mean (`count:poisson`, `reg:gamma`, `reg:tweedie`).
    Exp,
}

/// The link between the probability-space `base_score` stored in the file and the margin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BaseLink {
    Identity,
    Logit,
    Log,
}

fn objective_links(objective: &str) -> Result<(BaseLink, OutputTransform)> {
    Ok(match objective {
        "binary:logistic" | "reg:logistic" => (BaseLink::Logit, OutputTransform::Sigmoid),
        "binary:logitraw" => (BaseLink::Logit, OutputTransform::Identity),
        "reg:squarederror"
        | "reg:linear"
        | "reg:squaredlogerror"
        | "reg:pseudohubererror"
        | "reg:absoluteerror"
        | "reg:quantileerror" => (BaseLink::Identity, OutputTransform::Identity),
        "count:poisson" | "reg:gamma" | "reg:tweedie" => (BaseLink::Log, OutputTransform::Exp),
        other => {
            return Err(Error::not_supported(format!(
                "xgboost objective {other:?} (supported: binary:logistic, reg:logistic, \
                 binary:logitraw, reg:squarederror and other identity-link regressions, \
                 count:poisson, reg:gamma, reg:tweedie)"
            )))
        }
    })
}

/// Whether a batch may be split across threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Parallelism {
    /// Use rayon's pool for batches of at least [`PARALLEL_MIN_ROWS`] rows.
    #[default]
    Auto,
    /// Score on the calling thread only (benchmarks, callers managing their own threads).
    Sequential,
}

/// Options for [`XgbModel::predict_with`], mirroring xgboost's `predict` arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PredictOptions {
    /// Return the untransformed margin (xgboost's `output_margin=True`).
    pub output_margin: bool,
    /// Boosting rounds `[begin, end)` to use; `None` (or `(0, 0)`) uses all, like xgboost's
    /// `iteration_range`.
    pub iteration_range: Option<(usize, usize)>,
    /// Threading policy.
    pub parallelism: Parallelism,
}

/// An XGBoost tree ensemble loaded from its JSON model file, scored in pure Rust.
///
/// Predictions equal Python xgboost's `Booster.predict` (within 1e-6; the test fixtures check
/// 1.6, 1.7, 2.1 and 3.2 models) because the arithmetic is the same: the margin starts at the
/// objective's link of `base_score` and adds each tree's leaf in f32, in tree order; splits use
/// strict `<` in f32 and NaN follows each node's default direction.
#[derive(Debug, Clone)]
pub struct XgbModel {
    objective: String,
    transform: OutputTransform,
    base_margin: f32,
    num_feature: usize,
    raw: Vec<RawTree>,
    compiled: Vec<CompiledTree>,
    /// All of `compiled` in the NaN-free single layout, when the model allows it (the fast path).
    forest: Option<UniformForest>,
    tree_weights: Option<Vec<f32>>,
    iteration_indptr: Vec<usize>,
    feature_names: Vec<String>,
    attributes: BTreeMap<String, String>,
    version: [u32; 3],
}

impl XgbModel {
    /// Loads a model from the text of a JSON model file (`Booster.save_model("m.json")`).
    ///
    /// Refuses, with [`Error::NotSupported`], what would be scored wrongly rather than approximated:
    /// categorical splits, multi-target or multi-class models, `gblinear`, unknown objectives and
    /// files older than xgboost 1.6. Malformed files give [`Error::Validation`].
    pub fn from_json_str(json: &str) -> Result<Self> {
        let parsed = parse_model(json)?;
        Self::from_parsed(parsed)
    }

    /// Loads a model from a JSON model file on disk.
    pub fn from_json_file(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::validation(
                "xgboost model path",
                format!("{} must be a readable file: {e}", path.display()),
            )
        })?;
        Self::from_json_str(&text)
    }

    fn from_parsed(p: ParsedModel) -> Result<Self> {
        let (link, transform) = objective_links(&p.objective)?;
        let b = p.base_score;
        let base_margin = match link {
            BaseLink::Identity => b,
            BaseLink::Logit => {
                if !(b > 0.0 && b < 1.0) {
                    return Err(Error::validation(
                        "xgboost model base_score",
                        format!("must be in (0, 1) for {}, got {b}", p.objective),
                    ));
                }
                -(1.0f32 / b - 1.0f32).ln()
            }
            BaseLink::Log => {
                if b <= 0.0 {
                    return Err(Error::validation(
                        "xgboost model base_score",
                        format!("must be positive for {}, got {b}", p.objective),
                    ));
                }
                b.ln()
            }
        };
        let compiled = p
            .trees
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let w = p.tree_weights.as_ref().map_or(1.0, |w| w[i]);
                CompiledTree::compile(t, w)
            })
            .collect::<Vec<_>>();
        let forest = UniformForest::build(&compiled, p.num_feature);
        Ok(XgbModel {
            objective: p.objective,
            transform,
            base_margin,
            num_feature: p.num_feature,
            raw: p.trees,
            compiled,
            forest,
            tree_weights: p.tree_weights,
            iteration_indptr: p.iteration_indptr,
            feature_names: p.feature_names,
            attributes: p.attributes,
            version: p.version,
        })
    }

    /// Number of input columns every row must have.
    pub fn num_feature(&self) -> usize {
        self.num_feature
    }

    /// The objective name from the file (`"binary:logistic"`).
    pub fn objective(&self) -> &str {
        &self.objective
    }

    /// How margins become predictions for this objective.
    pub fn output_transform(&self) -> OutputTransform {
        self.transform
    }

    /// The starting margin: `base_score` through the objective's link.
    pub fn base_margin(&self) -> f32 {
        self.base_margin
    }

    /// Number of trees.
    pub fn num_trees(&self) -> usize {
        self.raw.len()
    }

    /// Number of boosting rounds.
    pub fn num_iterations(&self) -> usize {
        self.iteration_indptr.len().saturating_sub(1)
    }

    /// Feature names stored in the file (empty when the training data had none).
    pub fn feature_names(&self) -> &[String] {
        &self.feature_names
    }

    /// The booster's string attributes (`Booster.set_attr`), where ContentOS records the
    /// feature schema a model was trained on.
    pub fn attributes(&self) -> &BTreeMap<String, String> {
        &self.attributes
    }

    /// The xgboost version that saved the file.
    pub fn xgboost_version(&self) -> [u32; 3] {
        self.version
    }

    pub(crate) fn raw_trees(&self) -> &[RawTree] {
        &self.raw
    }

    pub(crate) fn tree_weight(&self, tree: usize) -> f32 {
        self.tree_weights.as_ref().map_or(1.0, |w| w[tree])
    }

    /// Applies the objective's output transform to a margin, in f32 as xgboost does.
    pub fn transform(&self, margin: f32) -> f32 {
        match self.transform {
            OutputTransform::Identity => margin,
            OutputTransform::Sigmoid => 1.0f32 / (1.0f32 + (-margin).exp()),
            OutputTransform::Exp => margin.exp(),
        }
    }

    /// Checks a row-major batch and returns its number of rows.
    pub(crate) fn check_rows(&self, rows: &[f32]) -> Result<usize> {
        if rows.len() % self.num_feature != 0 {
            return Err(Error::validation(
                "rows",
                format!(
                    "length {} must be a multiple of the model's {} features (row-major)",
                    rows.len(),
                    self.num_feature
                ),
            ));
        }
        Ok(rows.len() / self.num_feature)
    }

    /// Resolves an iteration range to a tree range, like xgboost's `iteration_range`.
    pub(crate) fn tree_range(&self, range: Option<(usize, usize)>) -> Result<(usize, usize)> {
        let rounds = self.num_iterations();
        let (b, e) = match range {
            None | Some((0, 0)) => (0, rounds),
            Some((b, e)) => (b, e),
        };
        if b > e || e > rounds {
            return Err(Error::validation(
                "iteration_range",
                format!("must satisfy begin <= end <= {rounds}, got ({b}, {e})"),
            ));
        }
        Ok((self.iteration_indptr[b], self.iteration_indptr[e]))
    }

    /// Predictions (probabilities for logistic objectives) for a row-major batch with
    /// [`XgbModel::num_feature`] columns; NaN marks a missing value. Equals xgboost's
    /// `Booster.predict`.
    pub fn predict(&self, rows: &[f32]) -> Result<Vec<f32>> {
        self.predict_with(rows, &PredictOptions::default())
    }

    /// Untransformed margins (log-odds for logistic objectives), like
    /// `predict(output_margin=True)`.
    pub fn predict_margin(&self, rows: &[f32]) -> Result<Vec<f32>> {
        self.predict_with(
            rows,
            &PredictOptions {
                output_margin: true,
                ..PredictOptions::default()
            },
        )
    }

    /// Predictions with explicit options.
    pub fn predict_with(&self, rows: &[f32], opts: &PredictOptions) -> Result<Vec<f32>> {
        let n = self.check_rows(rows)?;
        let (t0, t1) = self.tree_range(opts.iteration_range)?;
        let trees = &self.compiled[t0..t1];
        let nf = self.num_feature;
        if let Some(forest) = &self.forest {
            return Ok(self.predict_forest(forest, (t0, t1), rows, n, opts));
        }
        if n == 1 {
            let margin = super::tree::accumulate_row(trees, rows, self.base_margin);
            return Ok(vec![if opts.output_margin {
                margin
            } else {
                self.transform(margin)
            }]);
        }
        let mut out = vec![self.base_margin; n];
        self.for_each_block(&mut out, rows, opts, |o, r| {
            for tree in trees {
                tree.accumulate(r, nf, o);
            }
        });
        if !opts.output_margin {
            for v in &mut out {
                *v = self.transform(*v);
            }
        }
        Ok(out)
    }

    /// Calls `score` with each block of [`BLOCK_ROWS`] outputs and their rows, across rayon's
    /// pool for large batches under [`Parallelism::Auto`], else in order on this thread.
    fn for_each_block(
        &self,
        out: &mut [f32],
        rows: &[f32],
        opts: &PredictOptions,
        score: impl Fn(&mut [f32], &[f32]) + Sync,
    ) {
        let nf = self.num_feature;
        if opts.parallelism == Parallelism::Auto && out.len() >= PARALLEL_MIN_ROWS {
            out.par_chunks_mut(BLOCK_ROWS)
                .zip(rows.par_chunks(BLOCK_ROWS * nf))
                .for_each(|(o, r)| score(o, r));
        } else {
            out.chunks_mut(BLOCK_ROWS)
                .zip(rows.chunks(BLOCK_ROWS * nf))
                .for_each(|(o, r)| score(o, r));
        }
    }

    /// [`Self::predict_with`] on the [`UniformForest`]: rows are doubled and transposed (see
    /// `forest.rs`) a block at a time, in a buffer that stays in L1, then walked tree by tree.
    fn predict_forest(
        &self,
        forest: &UniformForest,
        range: (usize, usize),
        rows: &[f32],
        n: usize,
        opts: &PredictOptions,
    ) -> Vec<f32> {
        let w = forest.doubled_width();
        let finish = |margin: f32| {
            if opts.output_margin {
                margin
            } else {
                self.transform(margin)
            }
        };
        if n == 1 {
            let mut doubled = [0u32; 64];
            let margin = if w <= doubled.len() {
                forest.double_row(rows, &mut doubled[..w]);
                forest.accumulate_row(range, &doubled[..w], self.base_margin)
            } else {
                let mut doubled = vec![0u32; w];
                forest.double_row(rows, &mut doubled);
                forest.accumulate_row(range, &doubled, self.base_margin)
            };
            return vec![finish(margin)];
        }
        let mut out = vec![self.base_margin; n];
        self.for_each_block(&mut out, rows, opts, |o, r| {
            let mut cols = vec![0u32; w * super::forest::BLOCK];
            forest.double_into_columns(r, &mut cols);
            forest.accumulate_columns(range, &cols, o);
        });
        for v in &mut out {
            *v = finish(*v);
        }
        out
    }
}
