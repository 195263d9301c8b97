//! What every adapter does the same way: validation against [`Capabilities`] before any network
//! call, and working out where a resumed thread continues.

use contentos_core::model::PartReceipt;
use contentos_core::publish::{Capabilities, MediaKind, PostRequest, ThreadModel};
use contentos_core::{Error, Result};

/// Checks a post against `caps`, measuring text with `measure`. Errors name the part and the
/// rule: `parts[2].text` / `length 512 exceeds 500 characters (emoji count as UTF-8 bytes)`.
pub fn validate(
    caps: &Capabilities,
    post: &PostRequest,
    measure: impl Fn(&str) -> usize,
    unit: &str,
) -> Result<()> {
    if post.parts.is_empty() {
        return Err(Error::validation("parts", "at least one part is required"));
    }
    if caps.thread_model == ThreadModel::None && post.parts.len() > 1 {
        return Err(Error::validation(
            "parts",
            format!("{} takes single posts only", caps.platform),
        ));
    }
    for r in &post.resume_from {
        if r.index >= post.parts.len() {
            return Err(Error::validation(
                "resume_from",
                format!(
                    "receipt for part {} but the post has {} parts",
                    r.index,
                    post.parts.len()
                ),
            ));
        }
    }
    for (i, part) in post.parts.iter().enumerate() {
        let max = if i > 0 {
            caps.max_followup_length.unwrap_or(caps.max_length)
        } else {
            caps.max_length
        };
        let len = measure(&part.text);
        if len > max {
            return Err(Error::validation(
                format!("parts[{i}].text"),
                format!("length {len} exceeds {max} {unit}"),
            ));
        }
        if part.text.trim().is_empty() && part.media.is_empty() {
            return Err(Error::validation(
                format!("parts[{i}].text"),
                "a part needs text or media",
            ));
        }
        let images = part
            .media
            .iter()
            .filter(|m| m.kind == MediaKind::Image)
            .count();
        let videos = part
            .media
            .iter()
            .filter(|m| m.kind == MediaKind::Video)
            .count();
        if images > caps.max_images {
            return Err(Error::validation(
                format!("parts[{i}].media"),
                format!("{images} images; at most {} per part", caps.max_images),
            ));
        }
        if videos > caps.max_videos {
            return Err(Error::validation(
                format!("parts[{i}].media"),
                format!("{videos} videos; at most {} per part", caps.max_videos),
            ));
        }
        // Only carousels (Threads, Instagram) mix images and videos.
        if videos > 0 && images > 0 && !caps.needs_public_media_url {
            return Err(Error::validation(
                format!("parts[{i}].media"),
                "images and a video cannot be mixed in one part",
            ));
        }
        if let Some(max) = caps.max_hashtags {
            let n = crate::textutil::hashtag_count(&part.text);
            if n > max {
                return Err(Error::validation(
                    format!("parts[{i}].text"),
                    format!("{n} hashtags; at most {max}"),
                ));
            }
        }
        for (j, m) in part.media.iter().enumerate() {
            if !caps
                .media_types
                .iter()
                .any(|t| t.eq_ignore_ascii_case(&m.mime_type))
            {
                return Err(Error::validation(
                    format!("parts[{i}].media[{j}].mime_type"),
                    format!(
                        "{} not accepted; one of {}",
                        m.mime_type,
                        caps.media_types.join(", ")
                    ),
                ));
            }
            if caps.needs_public_media_url {
                let ok = m
                    .url
                    .as_deref()
                    .is_some_and(|u| u.starts_with("https://") || u.starts_with("http://"));
                if !ok {
                    return Err(Error::validation(
                        format!("parts[{i}].media[{j}].url"),
                        "a public http(s) URL is required: the platform fetches media itself",
                    ));
                }
            } else if m.data.is_empty() {
                return Err(Error::validation(
                    format!("parts[{i}].media[{j}].data"),
                    "media bytes are required for upload",
                ));
            }
            if let (Some(max), MediaKind::Image) = (caps.max_image_bytes, m.kind) {
                if m.data.len() > max {
                    return Err(Error::validation(
                        format!("parts[{i}].media[{j}].data"),
                        format!("{} bytes; images at most {max} bytes", m.data.len()),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// The receipts of an earlier attempt that form a contiguous prefix (parts 0..n), in order.
/// Publishing continues at part `n`: a gap means the later receipts cannot be trusted to chain
/// from, so they are ignored and re-published from the gap.
pub fn resumed_prefix(post: &PostRequest) -> Vec<PartReceipt> {
    let mut sorted: Vec<PartReceipt> = post.resume_from.clone();
    sorted.sort_by_key(|r| r.index);
    let mut out = Vec::new();
    for r in sorted {
        if r.index == out.len() && !r.platform_post_id.is_empty() {
            out.push(r);
        } else if r.index >= out.len() {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(i: usize) -> PartReceipt {
        PartReceipt {
            index: i,
            platform_post_id: format!("id{i}"),
            cid: None,
            url: None,
        }
    }

    #[test]
    fn prefix_stops_at_gap() {
        let mut p = PostRequest::text(uuid::Uuid::nil(), "a");
        p.resume_from = vec![rec(1), rec(0), rec(3)];
        let got: Vec<usize> = resumed_prefix(&p).iter().map(|r| r.index).collect();
        assert_eq!(got, vec![0, 1]);
    }
}
