//! Area under the ROC curve, the held-out metric every trained model reports.
//!
//! Why AUC: the label is balanced by construction (above or below the account's own median), and
//! what matters for ranking drafts is ordering, not calibration. AUC is the probability that a
//! random positive post scores higher than a random negative one, ties counting one half (the
//! Mann–Whitney U statistic), which is what `sklearn.metrics.roc_auc_score` computes.

use contentos_core::{Error, Result};

/// ROC AUC of `scores` against 0/1 `labels`, ties in score counting ½.
///
/// Computed by average ranks in O(n log n): sort by score, give each run of tied scores the mean
/// of its ranks, then AUC = (Σ ranks of positives − P(P+1)/2) / (P·N).
///
/// Errors ([`Error::Validation`]): `auc.scores` of a different length than the labels or with
/// NaN, `auc.labels` not 0/1, or missing a class (AUC is undefined with one class).
pub fn roc_auc(scores: &[f32], labels: &[f32]) -> Result<f64> {
    if scores.len() != labels.len() {
        return Err(Error::validation(
            "auc.scores",
            format!(
                "one score per label ({}), got {}",
                labels.len(),
                scores.len()
            ),
        ));
    }
    if scores.iter().any(|s| s.is_nan()) {
        return Err(Error::validation("auc.scores", "no NaN scores"));
    }
    if labels.iter().any(|&l| l != 0.0 && l != 1.0) {
        return Err(Error::validation("auc.labels", "each label 0 or 1"));
    }
    let positives = labels.iter().filter(|&&l| l == 1.0).count();
    let negatives = labels.len() - positives;
    if positives == 0 || negatives == 0 {
        return Err(Error::validation(
            "auc.labels",
            "both classes present (AUC is undefined with one class)",
        ));
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let mut rank_sum_pos = 0.0f64;
    let mut i = 0;
    while i < order.len() {
        let mut j = i + 1;
        while j < order.len() && scores[order[j]] == scores[order[i]] {
            j += 1;
        }
        // Ranks i+1 ..= j (1-based) share their mean.
        let mean_rank = (i + 1 + j) as f64 / 2.0;
        let pos_in_run = order[i..j].iter().filter(|&&k| labels[k] == 1.0).count();
        rank_sum_pos += mean_rank * pos_in_run as f64;
        i = j;
    }
    let p = positives as f64;
    let n = negatives as f64;
    Ok((rank_sum_pos - p * (p + 1.0) / 2.0) / (p * n))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pairwise definition, for checking the rank formula.
    fn auc_pairs(scores: &[f32], labels: &[f32]) -> f64 {
        let (mut wins, mut pairs) = (0.0, 0.0);
        for (i, &si) in scores.iter().enumerate() {
            for (j, &sj) in scores.iter().enumerate() {
                if labels[i] == 1.0 && labels[j] == 0.0 {
                    pairs += 1.0;
                    if si > sj {
                        wins += 1.0;
                    } else if si == sj {
                        wins += 0.5;
                    }
                }
            }
        }
        wins / pairs
    }

    #[test]
    fn hand_computed_example_with_ties() {
        // Positives scored 0.8, 0.4, 0.4; negatives 0.4, 0.2. Pairs (pos, neg):
        // (0.8,0.4)=1 (0.8,0.2)=1 (0.4,0.4)=½ (0.4,0.2)=1 (0.4,0.4)=½ (0.4,0.2)=1 → 5 / 6.
        let scores = [0.8, 0.4, 0.4, 0.4, 0.2];
        let labels = [1.0, 1.0, 1.0, 0.0, 0.0];
        let auc = roc_auc(&scores, &labels).unwrap();
        assert!((auc - 5.0 / 6.0).abs() < 1e-12, "{auc}");
    }

    #[test]
    fn perfect_reversed_and_constant_scores() {
        let labels = [0.0, 0.0, 1.0, 1.0];
        assert_eq!(roc_auc(&[0.1, 0.2, 0.3, 0.4], &labels).unwrap(), 1.0);
        assert_eq!(roc_auc(&[0.4, 0.3, 0.2, 0.1], &labels).unwrap(), 0.0);
        assert_eq!(roc_auc(&[0.5; 4], &labels).unwrap(), 0.5);
    }

    #[test]
    fn equals_the_pairwise_definition_on_many_ties() {
        // Deterministic pseudo-random scores on a coarse grid, so ties are frequent.
        let mut x = 12345u64;
        let mut scores = Vec::new();
        let mut labels = Vec::new();
        for _ in 0..300 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            scores.push(((x >> 33) % 7) as f32 / 7.0);
            labels.push(((x >> 20) % 2) as f32);
        }
        let fast = roc_auc(&scores, &labels).unwrap();
        let slow = auc_pairs(&scores, &labels);
        assert!((fast - slow).abs() < 1e-12, "{fast} vs {slow}");
    }

    #[test]
    fn refuses_bad_input_naming_the_field() {
        let field = |r: Result<f64>| match r {
            Err(Error::Validation { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field(roc_auc(&[0.1], &[1.0, 0.0])), "auc.scores");
        assert_eq!(field(roc_auc(&[f32::NAN, 0.1], &[1.0, 0.0])), "auc.scores");
        assert_eq!(field(roc_auc(&[0.1, 0.2], &[1.0, 2.0])), "auc.labels");
        assert_eq!(field(roc_auc(&[0.1, 0.2], &[1.0, 1.0])), "auc.labels");
    }
}
