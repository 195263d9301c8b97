//! [`EngagementModel`]: feature extraction + an XGBoost classifier = the pipeline's
//! [`EngagementScorer`].
//!
//! The feature extraction is pluggable through [`FeatureExtractor`] so that this module does not
//! depend on how each feature is computed (that is the `features` module's job); the only
//! contract is the [`FeatureSchema`] both sides name, which the model file records.

use super::schema::FeatureSchema;
use super::XgbModel;
use contentos_core::score::{EngagementScore, EngagementScorer, Factor, ScoreInput};
use contentos_core::{Error, Result};

/// The default model's JSON (see `docs/model.md`): trained on real tweets with
/// `scripts/xgb/train_default_model.py`, schema `contentos-features/1`.
pub const DEFAULT_MODEL_JSON: &str = include_str!("../../models/engagement-default.json");

/// Booster attribute naming the model's version (reported in every [`EngagementScore`]).
pub const MODEL_VERSION_ATTRIBUTE: &str = "contentos_model_version";

/// Booster attribute naming the IANA time zone the model's hour/weekday features were computed
/// in (the training account's or workspace's zone). A post scored without its own
/// `ScoreInput::timezone` is placed in this zone, so "9 o'clock" means what it meant in
/// training. Models without it (trained elsewhere) fall back to [`FALLBACK_TIMEZONE`].
pub const TIMEZONE_ATTRIBUTE: &str = "contentos_timezone";

/// The zone assumed for models that do not record [`TIMEZONE_ATTRIBUTE`].
pub const FALLBACK_TIMEZONE: chrono_tz::Tz = chrono_tz::UTC;

/// Turns a post into the feature vector of one [`FeatureSchema`].
///
/// Implemented by the `features` module (text statistics, readability, sentiment, timing,
/// history). Implementations must follow each feature's definition in the schema exactly, since
/// the model was trained on values computed that way in Python.
pub trait FeatureExtractor: Send + Sync {
    /// The schema the extractor fills; models trained on another schema are refused.
    fn schema(&self) -> &FeatureSchema;

    /// Writes the features of `input` into `out` (length `schema().len()`, in schema order),
    /// NaN where a value is unknown. A post without a time zone is taken as UTC here; scoring
    /// through a model uses [`extract_in_zone`](Self::extract_in_zone) instead.
    fn extract(&self, input: &ScoreInput, out: &mut [f32]) -> Result<()>;

    /// Like [`extract`](Self::extract), but a post whose `timezone` is `None` is placed in
    /// `default_zone` (the zone the model was trained in, [`TIMEZONE_ATTRIBUTE`]); a post's own
    /// zone always wins. The provided implementation clones such inputs; extractors override it
    /// to avoid that.
    fn extract_in_zone(
        &self,
        input: &ScoreInput,
        default_zone: chrono_tz::Tz,
        out: &mut [f32],
    ) -> Result<()> {
        if input.timezone.is_some() {
            return self.extract(input, out);
        }
        let mut placed = input.clone();
        placed.timezone = Some(default_zone.name().to_string());
        self.extract(&placed, out)
    }
}

/// How [`EngagementModel`] attributes a score to features.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FactorMethod {
    /// Exact TreeSHAP (xgboost `pred_contribs`). The default; costs about a millisecond per
    /// post for a 200-tree depth-6 model.
    #[default]
    TreeShap,
    /// Path-based approximation (xgboost `approx_contribs`): microseconds per post, for
    /// latency-critical scoring; credit depends on split order.
    Approximate,
    /// No factors (the score and confidence only).
    None,
}

/// Scores posts with an XGBoost binary classifier over features from a [`FeatureExtractor`].
///
/// * `score` = predicted probability × 100.
/// * `confidence` (0–1) = ½·decisiveness + ½·familiarity, where decisiveness is |2p − 1| (how
///   far from a coin flip) and familiarity is how populated the leaves the post lands in were in
///   training: per tree, the leaf's share of training cover divided by the share expected for a
///   typical training row (Σ share²), capped at 1, averaged over trees. A post that falls into
///   rarely-seen corners of the feature space gets low familiarity.
/// * `factors`: the largest contributions (log-odds; TreeSHAP by default, see [`FactorMethod`]),
///   strongest first, for features with a known value.
pub struct EngagementModel<E> {
    model: XgbModel,
    extractor: E,
    model_version: String,
    timezone: chrono_tz::Tz,
    top_factors: usize,
    factor_method: FactorMethod,
    /// Per tree: expected leaf share Σ (cover_leaf / cover_root)².
    expected_share: Vec<f32>,
}

impl<E: FeatureExtractor> EngagementModel<E> {
    /// Combines a model and an extractor, refusing a model trained on another feature schema
    /// ([`Error::Validation`] on `model.feature_schema`) or with a non-logistic objective.
    pub fn new(model: XgbModel, extractor: E) -> Result<Self> {
        extractor.schema().check_model(&model)?;
        if !matches!(model.objective(), "binary:logistic" | "reg:logistic") {
            return Err(Error::validation(
                "model.objective",
                format!(
                    "engagement models must be probabilistic classifiers (binary:logistic), got {}",
                    model.objective()
                ),
            ));
        }
        let model_version = model
            .attributes()
            .get(MODEL_VERSION_ATTRIBUTE)
            .cloned()
            .unwrap_or_else(|| format!("xgboost-{}-trees", model.num_trees()));
        let timezone = match model.attributes().get(TIMEZONE_ATTRIBUTE) {
            Some(name) => name.parse::<chrono_tz::Tz>().map_err(|_| {
                Error::validation(
                    "model.timezone",
                    format!("the {TIMEZONE_ATTRIBUTE} attribute must be an IANA time zone name"),
                )
            })?,
            None => FALLBACK_TIMEZONE,
        };
        let expected_share = model
            .raw_trees()
            .iter()
            .map(|t| {
                let root = t.cover[0];
                let mut sum = 0.0f32;
                let mut stack = vec![0usize];
                while let Some(i) = stack.pop() {
                    if t.is_leaf(i) {
                        let s = t.cover[i] / root;
                        sum += s * s;
                    } else {
                        stack.push(t.left[i] as usize);
                        stack.push(t.right[i] as usize);
                    }
                }
                sum
            })
            .collect();
        Ok(EngagementModel {
            model,
            extractor,
            model_version,
            timezone,
            top_factors: 5,
            factor_method: FactorMethod::TreeShap,
            expected_share,
        })
    }

    /// The built-in model trained on public tweets (see `docs/model.md`).
    pub fn with_default_model(extractor: E) -> Result<Self> {
        Self::new(XgbModel::from_json_str(DEFAULT_MODEL_JSON)?, extractor)
    }

    /// Sets how many factors each score lists (default 5).
    pub fn with_top_factors(mut self, n: usize) -> Self {
        self.top_factors = n;
        self
    }

    /// Sets how factors are computed (default exact TreeSHAP).
    pub fn with_factor_method(mut self, method: FactorMethod) -> Self {
        self.factor_method = method;
        self
    }

    /// The underlying model.
    pub fn model(&self) -> &XgbModel {
        &self.model
    }

    /// The model version reported with each score.
    pub fn model_version(&self) -> &str {
        &self.model_version
    }

    /// The zone the model's hour/weekday features assume ([`TIMEZONE_ATTRIBUTE`], else
    /// [`FALLBACK_TIMEZONE`]); posts scored without a zone are placed in it.
    pub fn timezone(&self) -> chrono_tz::Tz {
        self.timezone
    }

    /// Scores rows that are already feature vectors in schema order (row-major).
    pub fn score_features(&self, rows: &[f32]) -> Result<Vec<EngagementScore>> {
        let nf = self.model.num_feature();
        let probs = self.model.predict(rows)?;
        let contribs = match self.factor_method {
            _ if self.top_factors == 0 => Vec::new(),
            FactorMethod::TreeShap => self.model.contributions(rows)?,
            FactorMethod::Approximate => self.model.approx_contributions(rows)?,
            FactorMethod::None => Vec::new(),
        };
        let schema = self.extractor.schema();
        let scores = probs
            .iter()
            .enumerate()
            .map(|(i, &p)| {
                let row = &rows[i * nf..(i + 1) * nf];
                let phi = contribs
                    .get(i * (nf + 1)..i * (nf + 1) + nf)
                    .unwrap_or_default();
                let mut factors: Vec<Factor> = schema
                    .features
                    .iter()
                    .zip(row.iter().zip(phi))
                    .filter(|(_, (v, c))| !v.is_nan() && **c != 0.0)
                    .map(|(def, (v, c))| Factor {
                        feature: def.name.to_string(),
                        value: *v as f64,
                        contribution: *c as f64,
                    })
                    .collect();
                factors.sort_by(|a, b| b.contribution.abs().total_cmp(&a.contribution.abs()));
                factors.truncate(self.top_factors);
                let decisiveness = (2.0 * p as f64 - 1.0).abs();
                let confidence = 0.5 * decisiveness + 0.5 * self.familiarity(row);
                EngagementScore {
                    score: (p as f64 * 100.0).clamp(0.0, 100.0),
                    confidence: confidence.clamp(0.0, 1.0),
                    factors,
                    model_version: self.model_version.clone(),
                }
            })
            .collect();
        Ok(scores)
    }

    /// Mean over trees of min(1, leaf share / expected leaf share) for one row.
    fn familiarity(&self, row: &[f32]) -> f64 {
        let trees = self.model.raw_trees();
        if trees.is_empty() {
            return 0.0;
        }
        let mut total = 0.0f64;
        for (t, &expected) in trees.iter().zip(&self.expected_share) {
            let mut i = 0usize;
            while !t.is_leaf(i) {
                i = t.next(i, row[t.feature[i] as usize]);
            }
            let share = t.cover[i] / t.cover[0];
            if expected > 0.0 {
                total += (share / expected).min(1.0) as f64;
            }
        }
        total / trees.len() as f64
    }
}

impl<E: FeatureExtractor> EngagementScorer for EngagementModel<E> {
    fn score(&self, inputs: &[ScoreInput]) -> Result<Vec<EngagementScore>> {
        let nf = self.model.num_feature();
        let mut rows = vec![f32::NAN; inputs.len() * nf];
        for (input, out) in inputs.iter().zip(rows.chunks_mut(nf)) {
            self.extractor.extract_in_zone(input, self.timezone, out)?;
        }
        self.score_features(&rows)
    }
}

impl<E> std::fmt::Debug for EngagementModel<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EngagementModel")
            .field("model_version", &self.model_version)
            .field("timezone", &self.timezone.name())
            .field("trees", &self.model.num_trees())
            .field("top_factors", &self.top_factors)
            .finish()
    }
}
