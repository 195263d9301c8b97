//! Every platform call is traced with platform, endpoint, status and latency, and tokens never
//! reach the log — even for Meta, which takes `access_token` in the URL query.

mod common;

use common::*;
use contentos_core::model::Platform;
use contentos_core::publish::{CollectReceipts, PostRequest, Publisher};
use contentos_publishers::threads::ThreadsPublisher;
use serde_json::json;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tracing_subscriber::fmt::format::FmtSpan;

#[derive(Clone, Default)]
struct Buf(Arc<Mutex<Vec<u8>>>);

impl Write for Buf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

const SECRET_TOKEN: &str = "SECRET-TOKEN-do-not-log";

#[tokio::test]
async fn spans_carry_fields_and_never_the_token() {
    let buf = Buf::default();
    let writer = buf.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start(|r, _| match (r.method.as_str(), r.path.as_str()) {
        ("GET", "/v1.0/me/threads_publishing_limit") => ok(json!({"data": [{"quota_usage": 0, "config": {"quota_total": 250}}]})),
        ("POST", "/v1.0/me/threads") => ok(json!({"id": "c1"})),
        ("GET", "/v1.0/c1") => ok(json!({"status": "FINISHED"})),
        ("POST", "/v1.0/me/threads_publish") => status(
            400,
            json!({"error": {"message": "Error validating access token", "type": "OAuthException", "code": 190}}),
        ),
        _ => Err("unexpected".into()),
    })
    .await;
    let p = ThreadsPublisher::new(fast_http())
        .with_base_urls(format!("{}/v1.0", server.base), &server.base)
        .with_polling(Duration::from_millis(1), 3, 0, Duration::from_millis(1));
    let acct = account(Platform::Threads, Some(&server.base), SECRET_TOKEN);
    let err = p
        .publish(
            &acct,
            &PostRequest::text(uuid::Uuid::new_v4(), "hi"),
            &CollectReceipts::default(),
        )
        .await
        .unwrap_err();
    let log = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("platform_call"), "{log}");
    assert!(log.contains("platform=\"threads\""), "{log}");
    assert!(log.contains("endpoint=\"threads_publish\""), "{log}");
    assert!(log.contains("status=400"), "{log}");
    assert!(log.contains("latency_ms="), "{log}");
    assert!(
        !log.contains(SECRET_TOKEN),
        "token leaked into logs:\n{log}"
    );
    assert!(!format!("{err:?} {err}").contains(SECRET_TOKEN));
    assert!(!format!("{acct:?}").contains(SECRET_TOKEN));
}
