//! [`TrainParams`]: the XGBoost hyper-parameters ContentOS trains with, validated up front so a
//! bad value is reported with its field name instead of surfacing as a C++ exception text.

use contentos_core::{Error, Result};

/// Hyper-parameters for a `binary:logistic` gradient-boosted tree model (`tree_method = hist`).
///
/// Build with [`TrainParams::builder`]; every field is checked by
/// [`TrainParamsBuilder::build`] and a bad value gives [`Error::Validation`] naming the field
/// (`train.max_depth`, …). The defaults suit a workspace's few hundred to few thousand posts:
/// shallow trees, a moderate learning rate, one thread per core.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainParams {
    /// Boosting rounds: exactly this many trees are grown (no early stopping).
    pub rounds: usize,
    /// Maximum tree depth.
    pub max_depth: u32,
    /// Learning rate (shrinkage), in (0, 1].
    pub eta: f64,
    /// Random seed (row/column sampling); training is deterministic for a given seed and data.
    pub seed: u64,
    /// Threads the native library may use; `None` lets XGBoost use every core.
    pub nthread: Option<u32>,
    /// Minimum sum of instance weight (hessian) in a child.
    pub min_child_weight: f64,
    /// Row subsampling ratio per tree, in (0, 1].
    pub subsample: f64,
    /// Column subsampling ratio per tree, in (0, 1].
    pub colsample_bytree: f64,
}

impl Default for TrainParams {
    fn default() -> Self {
        TrainParams {
            rounds: 100,
            max_depth: 4,
            eta: 0.1,
            seed: 0,
            nthread: None,
            min_child_weight: 1.0,
            subsample: 1.0,
            colsample_bytree: 1.0,
        }
    }
}

impl TrainParams {
    /// A builder starting from [`TrainParams::default`].
    pub fn builder() -> TrainParamsBuilder {
        TrainParamsBuilder {
            params: TrainParams::default(),
        }
    }

    /// Checks every field; the error names the first bad field and its rule.
    pub fn validate(&self) -> Result<()> {
        if !(1..=10_000).contains(&self.rounds) {
            return Err(Error::validation("train.rounds", "between 1 and 10000"));
        }
        if !(1..=16).contains(&self.max_depth) {
            return Err(Error::validation("train.max_depth", "between 1 and 16"));
        }
        if !(self.eta > 0.0 && self.eta <= 1.0) {
            return Err(Error::validation("train.eta", "a learning rate in (0, 1]"));
        }
        if let Some(n) = self.nthread {
            if !(1..=1024).contains(&n) {
                return Err(Error::validation(
                    "train.nthread",
                    "between 1 and 1024 when set (unset = every core)",
                ));
            }
        }
        if !(self.min_child_weight >= 0.0 && self.min_child_weight.is_finite()) {
            return Err(Error::validation(
                "train.min_child_weight",
                "a finite number >= 0",
            ));
        }
        if !(self.subsample > 0.0 && self.subsample <= 1.0) {
            return Err(Error::validation("train.subsample", "a ratio in (0, 1]"));
        }
        if !(self.colsample_bytree > 0.0 && self.colsample_bytree <= 1.0) {
            return Err(Error::validation(
                "train.colsample_bytree",
                "a ratio in (0, 1]",
            ));
        }
        Ok(())
    }

    /// The parameters as XGBoost `(name, value)` pairs, in the order they are set on the
    /// booster (`nthread` only when given).
    pub fn xgboost_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = vec![
            ("objective", "binary:logistic".to_string()),
            ("tree_method", "hist".to_string()),
            ("max_depth", self.max_depth.to_string()),
            ("eta", self.eta.to_string()),
            ("seed", self.seed.to_string()),
            ("min_child_weight", self.min_child_weight.to_string()),
            ("subsample", self.subsample.to_string()),
            ("colsample_bytree", self.colsample_bytree.to_string()),
            ("verbosity", "0".to_string()),
        ];
        if let Some(n) = self.nthread {
            pairs.push(("nthread", n.to_string()));
        }
        pairs
    }
}

/// Builder for [`TrainParams`]: `x(value)` sets a field, `x_opt(Some(value))` sets it only when
/// given (so optional configuration passes straight through), [`build`](Self::build) validates.
#[derive(Debug, Clone)]
pub struct TrainParamsBuilder {
    params: TrainParams,
}

macro_rules! setters {
    ($($(#[$doc:meta])* $name:ident / $opt:ident : $ty:ty),+ $(,)?) => {
        $(
            $(#[$doc])*
            pub fn $name(mut self, value: $ty) -> Self {
                self.params.$name = value;
                self
            }

            /// Sets the field only when `Some` (keeps the current value otherwise).
            pub fn $opt(self, value: Option<$ty>) -> Self {
                match value {
                    Some(v) => self.$name(v),
                    None => self,
                }
            }
        )+
    };
}

impl TrainParamsBuilder {
    setters! {
        /// Boosting rounds (1–10000; default 100).
        rounds / rounds_opt: usize,
        /// Maximum tree depth (1–16; default 4).
        max_depth / max_depth_opt: u32,
        /// Learning rate in (0, 1] (default 0.1).
        eta / eta_opt: f64,
        /// Random seed (default 0).
        seed / seed_opt: u64,
        /// Minimum child weight ≥ 0 (default 1).
        min_child_weight / min_child_weight_opt: f64,
        /// Row subsampling in (0, 1] (default 1).
        subsample / subsample_opt: f64,
        /// Column subsampling in (0, 1] (default 1).
        colsample_bytree / colsample_bytree_opt: f64,
    }

    /// Threads for the native library (1–1024; default: every core).
    pub fn nthread(mut self, n: u32) -> Self {
        self.params.nthread = Some(n);
        self
    }

    /// Sets the thread count when `Some`; `None` keeps the current setting.
    pub fn nthread_opt(self, n: Option<u32>) -> Self {
        match n {
            Some(n) => self.nthread(n),
            None => self,
        }
    }

    /// Validates and returns the parameters ([`Error::Validation`] naming the bad field).
    pub fn build(self) -> Result<TrainParams> {
        self.params.validate()?;
        Ok(self.params)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(e: Error) -> String {
        match e {
            Error::Validation { field, .. } => field,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn builder_sets_and_validates_each_field() {
        let p = TrainParams::builder()
            .rounds(7)
            .max_depth(3)
            .eta(0.3)
            .seed(42)
            .nthread(2)
            .subsample_opt(None)
            .colsample_bytree_opt(Some(0.5))
            .build()
            .unwrap();
        assert_eq!(
            (p.rounds, p.max_depth, p.seed, p.nthread),
            (7, 3, 42, Some(2))
        );
        assert_eq!((p.eta, p.subsample, p.colsample_bytree), (0.3, 1.0, 0.5));

        let bad = [
            (TrainParams::builder().rounds(0), "train.rounds"),
            (TrainParams::builder().max_depth(0), "train.max_depth"),
            (TrainParams::builder().max_depth(17), "train.max_depth"),
            (TrainParams::builder().eta(0.0), "train.eta"),
            (TrainParams::builder().eta(f64::NAN), "train.eta"),
            (TrainParams::builder().nthread(0), "train.nthread"),
            (
                TrainParams::builder().min_child_weight(-1.0),
                "train.min_child_weight",
            ),
            (TrainParams::builder().subsample(1.5), "train.subsample"),
            (
                TrainParams::builder().colsample_bytree(0.0),
                "train.colsample_bytree",
            ),
        ];
        for (b, field) in bad {
            assert_eq!(field_of(b.build().unwrap_err()), field);
        }
    }

    #[test]
    fn xgboost_pairs_name_the_objective_and_only_a_given_nthread() {
        let p = TrainParams::default();
        let pairs = p.xgboost_pairs();
        assert!(pairs.contains(&("objective", "binary:logistic".into())));
        assert!(!pairs.iter().any(|(k, _)| *k == "nthread"));
        let p = TrainParams::builder().nthread(1).build().unwrap();
        assert!(p.xgboost_pairs().contains(&("nthread", "1".into())));
    }
}
