//! A minimal Server-Sent Events decoder (the subset OpenAI and Anthropic use).
//!
//! Why our own: it is ~80 lines, works on any byte stream (so the idle timeout wrapper and the
//! tests see exactly what arrived), and avoids a dependency that retries or reconnects behind
//! our back — reconnecting a completion stream would bill the prompt twice.

use super::provider::CompletionStream;
use super::types::CompletionChunk;
use bytes::{Buf, BytesMut};
use futures::StreamExt;

/// One decoded event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SseEvent {
    /// The `event:` field, when present.
    pub event: Option<String>,
    /// The `data:` lines, joined with `\n`.
    pub data: String,
}

/// Incremental decoder: push bytes as they arrive, pop complete events.
#[derive(Debug, Default)]
pub(crate) struct SseDecoder {
    buf: BytesMut,
}

impl SseDecoder {
    /// Appends received bytes.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// The next complete event, if a blank line has arrived after it. Comment-only blocks
    /// (`: ping`) are skipped.
    pub fn next_event(&mut self) -> Option<SseEvent> {
        loop {
            let (end, sep) = find_block_end(&self.buf)?;
            let block = self.buf.split_to(end);
            self.buf.advance(sep);
            let text = String::from_utf8_lossy(&block);
            let mut event = None;
            let mut data: Option<String> = None;
            for line in text.split('\n') {
                let line = line.strip_suffix('\r').unwrap_or(line);
                if line.is_empty() || line.starts_with(':') {
                    continue;
                }
                let (field, value) = match line.split_once(':') {
                    Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
                    None => (line, ""),
                };
                match field {
                    "event" => event = Some(value.to_string()),
                    "data" => match &mut data {
                        Some(d) => {
                            d.push('\n');
                            d.push_str(value);
                        }
                        None => data = Some(value.to_string()),
                    },
                    _ => {}
                }
            }
            if event.is_some() || data.is_some() {
                return Some(SseEvent {
                    event,
                    data: data.unwrap_or_default(),
                });
            }
        }
    }
}

/// Position of the first blank line: (end of block, length of the separator).
fn find_block_end(buf: &[u8]) -> Option<(usize, usize)> {
    let mut i = 0;
    while i < buf.len() {
        if buf[i] == b'\n' {
            if buf.get(i + 1) == Some(&b'\n') {
                return Some((i, 2));
            }
            if buf.get(i + 1) == Some(&b'\r') && buf.get(i + 2) == Some(&b'\n') {
                return Some((i, 3));
            }
        }
        i += 1;
    }
    None
}

/// What a provider does with decoded events; [`drive`] does the I/O.
pub(crate) trait SseHandler: Send + 'static {
    /// Handles one event, pushing chunks or an error to `out`. Returns true when the stream is
    /// complete (no more events expected).
    fn on_event(
        &mut self,
        ev: SseEvent,
        out: &mut std::collections::VecDeque<crate::Result<CompletionChunk>>,
    ) -> bool;

    /// The body ended; push the final chunk if the provider's protocol allows ending here, or
    /// an error if the stream was cut.
    fn on_eof(&mut self, out: &mut std::collections::VecDeque<crate::Result<CompletionChunk>>);

    /// Maps a transport error while reading the body.
    fn on_transport_error(&mut self, e: reqwest::Error) -> crate::Error;
}

struct DriveState<H> {
    body: futures::stream::BoxStream<'static, reqwest::Result<bytes::Bytes>>,
    dec: SseDecoder,
    handler: H,
    out: std::collections::VecDeque<crate::Result<CompletionChunk>>,
    finished: bool,
}

/// Turns a streaming response into a [`CompletionStream`] using `handler`. After an error or the
/// final chunk the stream ends.
pub(crate) fn drive<H: SseHandler>(resp: reqwest::Response, handler: H) -> CompletionStream {
    let st = DriveState {
        body: resp.bytes_stream().boxed(),
        dec: SseDecoder::default(),
        handler,
        out: std::collections::VecDeque::new(),
        finished: false,
    };
    futures::stream::unfold(st, |mut st| async move {
        loop {
            if let Some(item) = st.out.pop_front() {
                if item.is_err() {
                    st.finished = true;
                    st.out.clear();
                }
                return Some((item, st));
            }
            if st.finished {
                return None;
            }
            if let Some(ev) = st.dec.next_event() {
                if st.handler.on_event(ev, &mut st.out) {
                    st.finished = true;
                }
                continue;
            }
            match st.body.next().await {
                Some(Ok(bytes)) => st.dec.push(&bytes),
                Some(Err(e)) => {
                    let err = st.handler.on_transport_error(e);
                    st.finished = true;
                    return Some((Err(err), st));
                }
                None => {
                    st.finished = true;
                    st.handler.on_eof(&mut st.out);
                }
            }
        }
    })
    .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_split_events_and_skips_comments() {
        let mut d = SseDecoder::default();
        d.push(b"event: message_start\ndata: {\"a\"");
        assert_eq!(d.next_event(), None);
        d.push(b":1}\n\n: ping\n\ndata: x\ndata: y\r\n\r\n");
        assert_eq!(
            d.next_event(),
            Some(SseEvent {
                event: Some("message_start".into()),
                data: "{\"a\":1}".into()
            })
        );
        assert_eq!(
            d.next_event(),
            Some(SseEvent {
                event: None,
                data: "x\ny".into()
            })
        );
        assert_eq!(d.next_event(), None);
        d.push(b"data: cut");
        assert_eq!(d.next_event(), None);
    }
}
