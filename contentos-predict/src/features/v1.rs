//! The feature extractor for schema `contentos-features/1`
//! ([`FEATURES_V1`](crate::xgb::FEATURES_V1)): what the bundled default model and every model
//! trained by ContentOS expects.
//!
//! Each feature follows its schema definition exactly as the Python training script computes it
//! (`scripts/xgb/train_default_model.py`): textstat 0.7.13 and vaderSentiment 3.3.2 through the
//! parity ports in this module's siblings, and plain regular-expression rules for the counts.
//! `tests/features_v1.rs` checks the whole vector against values computed by that script.

use super::v1_text::V1TextColumns;
use crate::xgb::schema::platform_code;
use crate::xgb::{
    EngagementModel, FeatureExtractor, FeatureSchema, Parallelism, PredictOptions, FEATURES_V1,
    PARALLEL_MIN_ROWS,
};
use chrono::{Datelike, Timelike, Utc};
use chrono_tz::Tz;
use contentos_core::score::{EngagementScore, ScoreInput};
use contentos_core::{Error, Result};
use rayon::prelude::*;

/// Extracts `contentos-features/1` vectors. Stateless apart from the shared, lazily loaded
/// lexicons, so one value can serve every thread.
#[derive(Debug, Clone, Copy, Default)]
pub struct FeaturesV1;

/// Python's `\w` for one character: Unicode letters, digits and the underscore.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Runs of `?`/`!`: (runs containing `?`, runs without).
pub fn punctuation_runs(text: &str) -> (usize, usize) {
    let (mut q, mut e) = (0, 0);
    let mut in_run = false;
    let mut has_q = false;
    for c in text.chars().chain(std::iter::once(' ')) {
        if c == '?' || c == '!' {
            in_run = true;
            has_q |= c == '?';
        } else if in_run {
            if has_q {
                q += 1;
            } else {
                e += 1;
            }
            in_run = false;
            has_q = false;
        }
    }
    (q, e)
}

/// `(?<!\w)#(\w+)` matches whose tag is not all digits.
pub fn hashtag_count(text: &str) -> usize {
    let chars: Vec<char> = text.chars().collect();
    let mut n = 0;
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '#' && (i == 0 || !is_word_char(chars[i - 1])) {
            let start = i + 1;
            let mut j = start;
            while j < chars.len() && is_word_char(chars[j]) {
                j += 1;
            }
            if j > start {
                if !chars[start..j].iter().all(|c| c.is_numeric()) {
                    n += 1;
                }
                i = j;
                continue;
            }
        }
        i += 1;
    }
    n
}

/// `(?<!\w)@[A-Za-z0-9_]+` matches.
pub fn mention_count(text: &str) -> usize {
    let chars: Vec<char> = text.chars().collect();
    let mut n = 0;
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '@' && (i == 0 || !is_word_char(chars[i - 1])) {
            let mut j = i + 1;
            while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            if j > i + 1 {
                n += 1;
                i = j;
                continue;
            }
        }
        i += 1;
    }
    n
}

/// Whitespace tokens starting with `http://`, `https://` or `www.` (case-insensitive).
pub fn url_count(text: &str) -> usize {
    text.split_whitespace()
        .filter(|t| {
            let l = t.to_lowercase();
            l.starts_with("http://") || l.starts_with("https://") || l.starts_with("www.")
        })
        .count()
}

/// Python `str.isupper`: at least one cased character and no lowercase one.
fn py_isupper(tok: &str) -> bool {
    let mut cased = false;
    for c in tok.chars() {
        if c.is_lowercase() {
            return false;
        }
        if c.is_uppercase() {
            cased = true;
        }
    }
    cased
}

/// Share of whitespace tokens with ≥ 2 letters that are all caps; 0 when there are none.
pub fn all_caps_ratio(text: &str) -> f64 {
    let (mut eligible, mut caps) = (0usize, 0usize);
    for tok in text.split_whitespace() {
        if tok.chars().filter(|c| c.is_alphabetic()).count() < 2 {
            continue;
        }
        eligible += 1;
        caps += usize::from(py_isupper(tok));
    }
    if eligible == 0 {
        0.0
    } else {
        caps as f64 / eligible as f64
    }
}

impl FeaturesV1 {
    /// Feature rows (row-major, [`FEATURES_V1`] order) for a batch, extracted in parallel for
    /// large batches; the first failing input's error is returned.
    ///
    /// Posts without a time zone are taken as UTC; for a model's features use
    /// [`rows_in_zone`](Self::rows_in_zone) with [`EngagementModel::timezone`].
    pub fn rows(&self, inputs: &[ScoreInput]) -> Result<Vec<f32>> {
        self.rows_in_zone(inputs, chrono_tz::UTC)
    }

    /// [`rows`](Self::rows), placing posts without a time zone in `default_zone` (the model's
    /// recorded zone).
    pub fn rows_in_zone(&self, inputs: &[ScoreInput], default_zone: Tz) -> Result<Vec<f32>> {
        let nf = FEATURES_V1.len();
        let mut rows = vec![f32::NAN; inputs.len() * nf];
        if inputs.len() >= PARALLEL_MIN_ROWS {
            rows.par_chunks_mut(nf)
                .zip(inputs.par_iter())
                .try_for_each(|(out, input)| self.extract_in_zone(input, default_zone, out))?;
        } else {
            for (out, input) in rows.chunks_mut(nf).zip(inputs) {
                self.extract_in_zone(input, default_zone, out)?;
            }
        }
        Ok(rows)
    }
}

/// Scores only (0–100, probability × 100) for a batch, without explanations: the fast path for
/// bulk scoring (TreeSHAP is skipped). Equal to the `score` field of [`score_explained`].
///
/// Large batches are scored a block of posts at a time on rayon's pool, each block's feature
/// rows extracted and evaluated by the same thread while they are still in its cache (the
/// rows of the whole batch are never materialised, and there is one parallel pass, not two).
pub fn score_values(
    model: &EngagementModel<FeaturesV1>,
    inputs: &[ScoreInput],
) -> Result<Vec<f64>> {
    let to_score = |p: f32| (f64::from(p) * 100.0).clamp(0.0, 100.0);
    if inputs.len() < PARALLEL_MIN_ROWS {
        let rows = FeaturesV1.rows_in_zone(inputs, model.timezone())?;
        let probs = model.model().predict(&rows)?;
        return Ok(probs.into_iter().map(to_score).collect());
    }
    let nf = FEATURES_V1.len();
    let zone = model.timezone();
    let sequential = PredictOptions {
        parallelism: Parallelism::Sequential,
        ..PredictOptions::default()
    };
    let mut out = vec![0.0f64; inputs.len()];
    out.par_chunks_mut(SCORE_BLOCK)
        .zip(inputs.par_chunks(SCORE_BLOCK))
        .try_for_each(|(out, inputs)| -> Result<()> {
            let mut rows = vec![f32::NAN; inputs.len() * nf];
            for (row, input) in rows.chunks_mut(nf).zip(inputs) {
                FeaturesV1.extract_in_zone(input, zone, row)?;
            }
            let probs = model.model().predict_with(&rows, &sequential)?;
            for (o, p) in out.iter_mut().zip(probs) {
                *o = to_score(p);
            }
            Ok(())
        })?;
    Ok(out)
}

/// Posts per block of [`score_values`]'s parallel pass: enough to amortise the trees' pass over
/// the block, few enough that the block's rows stay in L1.
const SCORE_BLOCK: usize = 256;

/// Full scores (score, confidence, top factors, model version) for a batch.
pub fn score_explained(
    model: &EngagementModel<FeaturesV1>,
    inputs: &[ScoreInput],
) -> Result<Vec<EngagementScore>> {
    let rows = FeaturesV1.rows_in_zone(inputs, model.timezone())?;
    model.score_features(&rows)
}

/// `name` as an IANA zone, remembering the last name parsed on this thread: a batch's posts
/// nearly always share their account's zone, and parsing a name (a perfect-hash look-up with
/// SipHash) costs more than the rest of the timing features.
fn parse_zone(name: &str) -> Result<Tz> {
    use std::cell::RefCell;
    thread_local! {
        static LAST: RefCell<Option<(String, Tz)>> = const { RefCell::new(None) };
    }
    LAST.with(|cell| {
        let Ok(mut last) = cell.try_borrow_mut() else {
            return parse_zone_uncached(name);
        };
        if let Some((cached, tz)) = last.as_ref() {
            if cached == name {
                return Ok(*tz);
            }
        }
        let tz = parse_zone_uncached(name)?;
        *last = Some((name.to_owned(), tz));
        Ok(tz)
    })
}

fn parse_zone_uncached(name: &str) -> Result<Tz> {
    name.parse()
        .map_err(|_| Error::validation("timezone", "an IANA time zone name"))
}

impl FeatureExtractor for FeaturesV1 {
    fn schema(&self) -> &FeatureSchema {
        &FEATURES_V1
    }

    fn extract(&self, input: &ScoreInput, out: &mut [f32]) -> Result<()> {
        self.extract_in_zone(input, chrono_tz::UTC, out)
    }

    fn extract_in_zone(&self, input: &ScoreInput, default_zone: Tz, out: &mut [f32]) -> Result<()> {
        if out.len() != FEATURES_V1.len() {
            return Err(Error::internal(format!(
                "feature buffer has {} slots, {} needs {}",
                out.len(),
                FEATURES_V1.version,
                FEATURES_V1.len()
            )));
        }
        // The 14 text columns in one fused pass (equal to the reference functions above).
        let text = V1TextColumns::of(input.text.as_str()).values();
        let tz: Tz = match &input.timezone {
            Some(name) => parse_zone(name)?,
            None => default_zone,
        };
        let local = input.posted_at.unwrap_or_else(Utc::now).with_timezone(&tz);
        let values: [f64; 22] = [
            text[0],
            text[1],
            text[2],
            text[3],
            text[4],
            text[5],
            text[6],
            text[7],
            text[8],
            text[9],
            text[10],
            text[11],
            text[12],
            text[13],
            f64::from(local.hour()),
            f64::from(local.weekday().num_days_from_monday()),
            f64::from(platform_code(input.platform)),
            f64::from(input.media_count),
            if input.has_video { 1.0 } else { 0.0 },
            f64::from(input.thread_length.max(1)),
            if input.is_reply { 1.0 } else { 0.0 },
            input.similar_history.unwrap_or(f64::NAN),
        ];
        if values.len() != out.len() {
            return Err(Error::internal("feature list and schema disagree"));
        }
        for (o, v) in out.iter_mut().zip(values) {
            *o = v as f32;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_path_equals_the_scorer() {
        use contentos_core::model::Platform;
        use contentos_core::score::EngagementScorer;
        let model = EngagementModel::with_default_model(FeaturesV1).unwrap();
        let inputs: Vec<ScoreInput> = [
            "Read our new guide on Rust!",
            "meh",
            "WHY is this so hard??",
        ]
        .iter()
        .map(|t| {
            let mut i = ScoreInput::new(*t, Platform::X);
            i.posted_at = Some("2024-05-01T12:00:00Z".parse().unwrap());
            i
        })
        .collect();
        let fast = score_values(&model, &inputs).unwrap();
        let full = model.score(&inputs).unwrap();
        for (f, s) in fast.iter().zip(&full) {
            assert!((f - s.score).abs() < 1e-9, "{f} vs {}", s.score);
        }
    }

    #[test]
    fn bulk_blocks_equal_rows_then_predict() {
        use contentos_core::model::Platform;
        let model = EngagementModel::with_default_model(FeaturesV1).unwrap();
        let texts = crate::test_support::golden_texts();
        let zones = [
            None,
            Some("Europe/Paris"),
            Some("America/New_York"),
            Some("Asia/Tokyo"),
        ];
        let mut inputs: Vec<ScoreInput> = (0..PARALLEL_MIN_ROWS + SCORE_BLOCK + 17)
            .map(|i| {
                let mut input = ScoreInput::new(&texts[i % texts.len()], Platform::X);
                input.posted_at = Some(
                    chrono::DateTime::from_timestamp(1_700_000_000 + 3_607 * i as i64, 0).unwrap(),
                );
                input.timezone = zones[i % zones.len()].map(str::to_owned);
                input
            })
            .collect();
        let rows = FeaturesV1.rows_in_zone(&inputs, model.timezone()).unwrap();
        let want: Vec<f64> = model
            .model()
            .predict(&rows)
            .unwrap()
            .into_iter()
            .map(|p| (f64::from(p) * 100.0).clamp(0.0, 100.0))
            .collect();
        let got = score_values(&model, &inputs).unwrap();
        assert_eq!(got.len(), inputs.len());
        for (i, (g, w)) in got.iter().zip(&want).enumerate() {
            assert_eq!(g.to_bits(), w.to_bits(), "post {i}");
        }
        // One bad input fails the whole batch, as the row path does.
        inputs[PARALLEL_MIN_ROWS + 3].timezone = Some("Mars/Olympus_Mons".into());
        assert!(score_values(&model, &inputs).is_err());
    }

    #[test]
    fn posts_without_a_zone_are_scored_in_the_models_zone() {
        use contentos_core::model::Platform;
        use contentos_core::score::EngagementScorer;
        let model = EngagementModel::with_default_model(FeaturesV1).unwrap();
        assert_eq!(model.timezone(), chrono_tz::America::New_York);
        let hour = FEATURES_V1.index_of("hour_local").unwrap();
        let mut bare = ScoreInput::new("Big rally tonight! #MAGA", Platform::X);
        bare.posted_at = Some("2024-05-01T23:30:00Z".parse().unwrap()); // 19:30 in New York
        let mut ny = bare.clone();
        ny.timezone = Some("America/New_York".into());
        let mut utc = bare.clone();
        utc.timezone = Some("UTC".into());

        let rows = FeaturesV1
            .rows_in_zone(std::slice::from_ref(&bare), model.timezone())
            .unwrap();
        assert_eq!(rows[hour], 19.0);
        assert_eq!(
            FeaturesV1.rows(std::slice::from_ref(&bare)).unwrap()[hour],
            23.0
        );

        let s = model.score(&[bare.clone(), ny, utc]).unwrap();
        assert_eq!(s[0].score, s[1].score, "no zone = the model's zone");
        let fast = score_values(&model, &[bare]).unwrap();
        assert!((fast[0] - s[0].score).abs() < 1e-9);
    }

    #[test]
    fn a_model_with_an_unknown_zone_is_refused() {
        use crate::xgb::{XgbModel, DEFAULT_MODEL_JSON};
        let json = DEFAULT_MODEL_JSON.replace("America/New_York", "Mars/Olympus_Mons");
        let err =
            EngagementModel::new(XgbModel::from_json_str(&json).unwrap(), FeaturesV1).unwrap_err();
        match err {
            Error::Validation { field, .. } => assert_eq!(field, "model.timezone"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn counting_rules_follow_the_schema() {
        assert_eq!(punctuation_runs("Really?! Yes!!! No? ok"), (2, 1));
        assert_eq!(hashtag_count("#one a#two #123 #x_1 (#three)"), 3);
        assert_eq!(mention_count("@bob hi a@b @_x @ @é"), 2);
        assert_eq!(url_count("see https://a.b WWW.x.org and example.com"), 2);
        assert!((all_caps_ratio("GREAT news FOR all A") - 2.0 / 4.0).abs() < 1e-12);
        assert_eq!(all_caps_ratio("a b"), 0.0);
    }
}
