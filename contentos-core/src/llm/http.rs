//! HTTP plumbing shared by the providers: client construction, transport-error mapping and
//! rate-limit header parsing.
//!
//! Why here and not in each provider: both providers must turn the same transport failures
//! (connect refused, connect timeout, body cut) into the same typed errors, or the retry and
//! fallback wrappers would treat OpenAI and Anthropic differently.

use crate::{Error, Result};
use reqwest::header::HeaderMap;
use std::time::Duration;

/// Default connect timeout for provider HTTP clients.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Builds the reqwest client a provider uses. The connect timeout lives here because only the
/// transport knows when a TCP/TLS handshake is slow; total and idle timeouts are applied by the
/// [`Timeouts`](super::Timeouts) wrapper around any provider.
pub(crate) fn build_client(connect_timeout: Duration) -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .tcp_nodelay(true)
        .pool_idle_timeout(Duration::from_secs(90))
        .build()
        .map_err(|e| Error::configuration(format!("cannot build HTTP client: {e}")))
}

/// Maps a reqwest transport error (no HTTP status) to a typed error.
pub(crate) fn map_transport_error(
    service: &str,
    e: &reqwest::Error,
    connect_timeout: Duration,
) -> Error {
    if e.is_timeout() {
        return Error::Timeout {
            operation: if e.is_connect() {
                format!("{service} connect")
            } else {
                format!("{service} request")
            },
            after: connect_timeout,
        };
    }
    // `reqwest::Error`'s Display never includes headers, so the key cannot leak here; strip the
    // URL anyway so query strings of custom base URLs stay out of errors.
    let e = e.to_string();
    Error::Transient {
        service: service.to_string(),
        status: None,
        request_id: None,
        message: e,
    }
}

/// A header's value as text, if present and ASCII.
pub(crate) fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Parses `Retry-After` (delta-seconds, possibly fractional, or an HTTP date) and the
/// non-standard `retry-after-ms`.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    if let Some(ms) = header(headers, "retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        if ms.is_finite() && ms >= 0.0 {
            return Some(Duration::from_secs_f64(ms / 1000.0));
        }
    }
    let v = header(headers, "retry-after")?;
    if let Ok(secs) = v.parse::<f64>() {
        if secs.is_finite() && secs >= 0.0 {
            return Some(Duration::from_secs_f64(secs));
        }
        return None;
    }
    let at = chrono::DateTime::parse_from_rfc2822(&v).ok()?;
    let wait = at.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

/// Parses OpenAI's `x-ratelimit-reset-*` format: Go-style durations such as `1s`, `6m0s`,
/// `20ms`, `1h2m3.5s`.
pub(crate) fn go_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let mut total = 0f64;
    let mut num = String::new();
    let mut chars = s.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            num.push(c);
            continue;
        }
        let value: f64 = num.parse().ok()?;
        num.clear();
        let unit = match c {
            'h' => 3600.0,
            'm' if chars.peek() == Some(&'s') => {
                chars.next();
                0.001
            }
            'm' => 60.0,
            's' => 1.0,
            'u' | 'µ' if chars.peek() == Some(&'s') => {
                chars.next();
                0.000_001
            }
            'n' if chars.peek() == Some(&'s') => {
                chars.next();
                0.000_000_001
            }
            _ => return None,
        };
        total += value * unit;
        any = true;
    }
    if !num.is_empty() {
        // A bare number: seconds.
        total += num.parse::<f64>().ok()?;
        any = true;
    }
    (any && total.is_finite()).then(|| Duration::from_secs_f64(total))
}

/// Cuts an upstream error body to a length that is useful in an error message.
pub(crate) fn snippet(body: &str) -> String {
    const MAX: usize = 300;
    if body.len() <= MAX {
        return body.to_string();
    }
    let mut end = MAX;
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &body[..end])
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderName, HeaderValue};

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(
                HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        h
    }

    #[test]
    fn go_durations() {
        assert_eq!(go_duration("1s"), Some(Duration::from_secs(1)));
        assert_eq!(go_duration("6m0s"), Some(Duration::from_secs(360)));
        assert_eq!(go_duration("20ms"), Some(Duration::from_millis(20)));
        assert_eq!(
            go_duration("1h2m3.5s"),
            Some(Duration::from_secs_f64(3723.5))
        );
        assert_eq!(go_duration("2"), Some(Duration::from_secs(2)));
        assert_eq!(go_duration("abc"), None);
        assert_eq!(go_duration(""), None);
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(
            retry_after(&headers(&[("retry-after", "7")])),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            retry_after(&headers(&[("retry-after-ms", "250"), ("retry-after", "7")])),
            Some(Duration::from_millis(250))
        );
        let future = (chrono::Utc::now() + chrono::Duration::seconds(30)).to_rfc2822();
        let d = retry_after(&headers(&[("retry-after", &future)])).unwrap();
        assert!(
            d > Duration::from_secs(25) && d <= Duration::from_secs(30),
            "{d:?}"
        );
        assert_eq!(retry_after(&headers(&[("retry-after", "-1")])), None);
        assert_eq!(retry_after(&headers(&[])), None);
    }

    #[test]
    fn snippets_respect_char_boundaries() {
        let long = "é".repeat(400);
        let s = snippet(&long);
        assert!(s.ends_with('…'));
        assert!(s.len() < long.len());
    }
}
