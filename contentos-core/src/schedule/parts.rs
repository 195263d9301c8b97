//! Turning a stored variation into the parts of a [`PostRequest`](crate::publish::PostRequest).

use crate::model::Variation;
use crate::publish::PostPart;

/// The metadata key holding a thread's parts (an array of strings), as written by the text
/// engine when it splits a variation into a thread.
pub const THREAD_PARTS_KEY: &str = "threadParts";

/// The parts to publish for `variation`: `metadata["threadParts"]` when it is a non-empty array
/// of non-empty strings, otherwise the body as a single part.
pub fn variation_parts(variation: &Variation) -> Vec<PostPart> {
    let thread: Option<Vec<String>> = variation
        .metadata
        .get(THREAD_PARTS_KEY)
        .and_then(|v| v.as_array())
        .and_then(|items| {
            items
                .iter()
                .map(|i| i.as_str().map(str::to_string))
                .collect::<Option<Vec<String>>>()
        })
        .filter(|parts| !parts.is_empty() && parts.iter().all(|p| !p.trim().is_empty()));
    thread
        .unwrap_or_else(|| vec![variation.body.clone()])
        .into_iter()
        .map(|text| PostPart {
            text,
            media: vec![],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ContentId, VariationId};

    fn variation(meta: serde_json::Value) -> Variation {
        Variation {
            id: VariationId::new(),
            content_id: ContentId::new(),
            platform: None,
            body: "the body".into(),
            metadata: meta.as_object().cloned().unwrap_or_default(),
            created_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn thread_parts_win_over_body() {
        let v = variation(serde_json::json!({"threadParts": ["one", "two"]}));
        let texts: Vec<_> = variation_parts(&v).into_iter().map(|p| p.text).collect();
        assert_eq!(texts, ["one", "two"]);
    }

    #[test]
    fn malformed_thread_parts_fall_back_to_body() {
        for meta in [
            serde_json::json!({}),
            serde_json::json!({"threadParts": []}),
            serde_json::json!({"threadParts": ["ok", 3]}),
            serde_json::json!({"threadParts": "not an array"}),
            serde_json::json!({"threadParts": ["", "x"]}),
        ] {
            let parts = variation_parts(&variation(meta));
            assert_eq!(parts.len(), 1);
            assert_eq!(parts[0].text, "the body");
        }
    }
}
