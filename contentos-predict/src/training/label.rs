//! The training label: did a post beat its own account's recent norm?
//!
//! Why relative: absolute engagement mostly measures audience size, which grows over time and
//! differs per account; what a draft can change is how it does against the account's usual.
//! Comparing with the median of the account's *previous* posts uses only information available
//! before the post, so the label does not leak the future.

use contentos_core::model::AccountId;

/// One published post as the labeller sees it, in publish order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelInput {
    /// The publishing account (the baseline is per account).
    pub account: AccountId,
    /// The post's engagement metric, `None` when unknown.
    pub metric: Option<f64>,
}

/// A post's label and the baseline it was compared with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Label {
    /// 1 when the metric is greater than the baseline, else 0.
    pub positive: bool,
    /// Median metric of the account's previous posts (up to the window).
    pub baseline: f64,
}

/// Median of a non-empty slice (mean of the middle two for even lengths).
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// Labels posts given in publish order: a post gets `Some(label)` when its metric is known and
/// its account has at least `min_trailing` earlier posts with a known metric; the baseline is
/// the median of the last `window` of those. Posts with an unknown metric get `None` and do not
/// enter any baseline.
pub fn label_posts(posts: &[LabelInput], window: usize, min_trailing: usize) -> Vec<Option<Label>> {
    let mut history: std::collections::HashMap<AccountId, Vec<f64>> = Default::default();
    let mut scratch = Vec::with_capacity(window);
    posts
        .iter()
        .map(|p| {
            let metric = p.metric.filter(|m| m.is_finite())?;
            let past = history.entry(p.account).or_default();
            let label = if past.len() >= min_trailing.max(1) {
                scratch.clear();
                scratch.extend_from_slice(&past[past.len().saturating_sub(window)..]);
                let baseline = median(&mut scratch);
                Some(Label {
                    positive: metric > baseline,
                    baseline,
                })
            } else {
                None
            };
            past.push(metric);
            label
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_against_the_trailing_median_of_the_same_account() {
        let a = AccountId::new();
        let b = AccountId::new();
        let p = |account, metric| LabelInput { account, metric };
        let posts = [
            p(a, Some(1.0)),
            p(a, Some(3.0)),
            p(b, Some(100.0)), // another account: not in a's baseline
            p(a, None),        // unknown: no label, not in the baseline
            p(a, Some(2.5)),   // baseline median(1, 3) = 2 → positive
            p(a, Some(2.0)),   // window 2: median(3, 2.5) = 2.75 → negative
            p(b, Some(50.0)),  // b has 1 earlier post < min_trailing 2 → no label
        ];
        let labels = label_posts(&posts, 2, 2);
        assert_eq!(labels[0], None);
        assert_eq!(labels[1], None);
        assert_eq!(labels[2], None);
        assert_eq!(labels[3], None);
        assert_eq!(
            labels[4],
            Some(Label {
                positive: true,
                baseline: 2.0
            })
        );
        assert_eq!(
            labels[5],
            Some(Label {
                positive: false,
                baseline: 2.75
            })
        );
        assert_eq!(labels[6], None);
    }

    #[test]
    fn equal_to_the_baseline_is_negative() {
        let a = AccountId::new();
        let posts: Vec<LabelInput> = [4.0, 4.0, 4.0]
            .iter()
            .map(|&m| LabelInput {
                account: a,
                metric: Some(m),
            })
            .collect();
        let labels = label_posts(&posts, 5, 1);
        assert_eq!(labels[2].map(|l| l.positive), Some(false));
    }
}
