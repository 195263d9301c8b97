//! The OpenAPI document, generated from the handlers' `#[utoipa::path]` annotations and the
//! schema types below, served at `/openapi.json`.
//!
//! Why separate schema types: handlers parse bodies by hand so that a 400 names the exact field
//! (section 9.3); these types describe the same shapes for clients and fuzzers.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// Request and response shapes of section 4.2 (camelCase), for the document only.
pub mod schemas {
    #![allow(dead_code)]
    use serde::Serialize;
    use utoipa::ToSchema;

    /// Error body: `error` is the kind; validation errors add `field` and `rule`; 429 adds
    /// `retryAfter` (seconds).
    #[derive(Serialize, ToSchema)]
    #[serde(rename_all = "camelCase")]
    pub struct ErrorBody {
        /// Error kind (`validation`, `not_found`, `permission_denied`, …).
        pub error: String,
        /// Failing field (validation only).
        pub field: Option<String>,
        /// Rule it broke (validation only).
        pub rule: Option<String>,
        /// Seconds to wait (429 only).
        pub retry_after: Option<u64>,
    }

    /// `POST /api/v1/workspaces` body.
    #[derive(Serialize, ToSchema)]
    #[serde(rename_all = "camelCase")]
    pub struct CreateWorkspaceBody {
        /// Display name (1..=255 characters).
        #[schema(min_length = 1, max_length = 255)]
        pub name: String,
        /// IANA time zone for calendars and insights (default `UTC`).
        #[schema(example = "America/New_York")]
        pub timezone: Option<String>,
        /// Brand voice: `tone`, `style`, `keywords`, `bannedWords`.
        pub brand_voice: Option<serde_json::Value>,
    }

    /// A workspace as the caller sees it.
    #[derive(Serialize, ToSchema)]
    #[serde(rename_all = "camelCase")]
    pub struct WorkspaceItem {
        /// Workspace id.
        pub id: String,
        /// Display name.
        pub name: String,
        /// IANA time zone.
        pub timezone: String,
        /// The caller's role (`owner`, `admin`, `editor`, `viewer`).
        pub role: String,
        /// Brand voice.
        pub brand_voice: serde_json::Value,
        /// RFC 3339 instant.
        pub created_at: String,
    }

    /// `POST /api/v1/content/generate` body.
    #[derive(Serialize, ToSchema)]
    #[serde(rename_all = "camelCase")]
    pub struct GenerateBody {
        /// Workspace id.
        #[schema(format = Uuid)]
        pub workspace_id: String,
        /// What to write about (10..=5000 characters).
        #[schema(min_length = 10, max_length = 5000)]
        pub input: String,
        /// `blog`, `social` or `email`.
        #[schema(example = "blog")]
        pub content_type: String,
        /// `professional`, `casual`, `humorous`, `inspirational`, …
        pub tone: Option<String>,
        /// `short`, `medium` or `long`.
        pub length: Option<String>,
        /// 1..=5.
        #[schema(minimum = 1, maximum = 5)]
        pub variations: Option<u32>,
    }

    /// One generated variation.
    #[derive(Serialize, ToSchema)]
    #[serde(rename_all = "camelCase")]
    pub struct GeneratedVariation {
        /// Variation id.
        pub id: String,
        /// Text.
        pub body: String,
        /// `wordCount`, `readingTime`, …
        pub metadata: serde_json::Value,
    }

    /// `POST /api/v1/content/generate` response.
    #[derive(Serialize, ToSchema)]
    #[serde(rename_all = "camelCase")]
    pub struct GenerateResponse {
        /// Stored content id.
        pub content_id: String,
        /// Variations in request order.
        pub variations: Vec<GeneratedVariation>,
        /// RFC 3339 instant.
        pub generated_at: String,
    }

    /// `GET /api/v1/content/{id}` response.
    #[derive(Serialize, ToSchema)]
    #[serde(rename_all = "camelCase")]
    pub struct ContentResponse {
        /// Content id.
        pub id: String,
        /// Workspace id.
        pub workspace_id: String,
        /// What the user asked for.
        pub original_input: String,
        /// `blog`, `social` or `email`.
        pub content_type: String,
        /// `draft`, `scheduled`, `published`, …
        pub status: String,
        /// Variations, oldest first.
        pub variations: Vec<serde_json::Value>,
    }

    /// `POST /api/v1/content/transform` body.
    #[derive(Serialize, ToSchema)]
    #[serde(rename_all = "camelCase")]
    pub struct TransformBody {
        /// Content id.
        pub content_id: String,
        /// Platforms (`twitter`, `linkedin`, `instagram`, `facebook`, …).
        pub target_platforms: Vec<String>,
        /// Check that key messages survive (default true).
        pub preserve_key_messages: Option<bool>,
    }

    /// `POST /api/v1/content/transform` response.
    #[derive(Serialize, ToSchema)]
    pub struct TransformResponse {
        /// One variation per platform: `{id, platform, body, metadata}`.
        pub variations: Vec<serde_json::Value>,
    }

    /// `POST /api/v1/content/personalize` body.
    #[derive(Serialize, ToSchema)]
    #[serde(rename_all = "camelCase")]
    pub struct PersonalizeBody {
        /// Content id.
        pub content_id: String,
        /// Segment names or ids.
        pub audience_segments: Vec<String>,
    }

    /// `POST /api/v1/content/personalize` response.
    #[derive(Serialize, ToSchema)]
    #[serde(rename_all = "camelCase")]
    pub struct PersonalizeResponse {
        /// `{segmentId, segmentName, variationId, body, changes}` per segment.
        pub personalized_versions: Vec<serde_json::Value>,
    }

    /// `POST /api/v1/publish/schedule` body.
    #[derive(Serialize, ToSchema)]
    #[serde(rename_all = "camelCase")]
    pub struct ScheduleBody {
        /// Variation id.
        pub variation_id: String,
        /// Platform with a connected account in the workspace.
        pub platform: String,
        /// RFC 3339 instant.
        pub scheduled_time: String,
        /// IANA zone for calendars (default UTC).
        pub timezone: Option<String>,
    }

    /// `POST /api/v1/publish/schedule` response.
    #[derive(Serialize, ToSchema)]
    #[serde(rename_all = "camelCase")]
    pub struct ScheduleResponse {
        /// Queue row id.
        pub scheduled_post_id: String,
        /// `pending`.
        pub status: String,
        /// RFC 3339 instant.
        pub scheduled_time: String,
    }

    /// `POST /api/v1/publish/now` body.
    #[derive(Serialize, ToSchema)]
    #[serde(rename_all = "camelCase")]
    pub struct PublishNowBody {
        /// Variation id.
        pub variation_id: String,
        /// Platforms with connected accounts.
        pub platforms: Vec<String>,
    }

    /// `POST /api/v1/publish/now` response.
    #[derive(Serialize, ToSchema)]
    pub struct PublishNowResponse {
        /// `{platform, status, platformPostId, url, error}` per platform.
        pub results: Vec<serde_json::Value>,
    }

    /// `GET /api/v1/analytics/performance` response.
    #[derive(Serialize, ToSchema)]
    #[serde(rename_all = "camelCase")]
    pub struct PerformanceResponse {
        /// `{totalPosts, avgEngagementRate, topPlatform, totalImpressions, …}`.
        pub summary: serde_json::Value,
        /// Best posts first.
        pub top_performers: Vec<serde_json::Value>,
        /// Actionable sentences.
        pub insights: Vec<String>,
    }

    /// `POST /api/auth/register` body.
    #[derive(Serialize, ToSchema)]
    pub struct RegisterBody {
        /// E-mail address.
        pub email: String,
        /// 8..=128 characters.
        pub password: String,
    }

    /// `POST /api/auth/login` body.
    #[derive(Serialize, ToSchema)]
    pub struct LoginBody {
        /// E-mail address.
        pub email: String,
        /// Password.
        pub password: String,
    }

    /// `POST /api/auth/refresh` and `/logout` body (or use the cookie with `X-CSRF-Token`).
    #[derive(Serialize, ToSchema)]
    #[serde(rename_all = "camelCase")]
    pub struct RefreshBody {
        /// The refresh token from login.
        pub refresh_token: Option<String>,
    }

    /// Login and refresh response (the same values are also set as cookies).
    #[derive(Serialize, ToSchema)]
    #[serde(rename_all = "camelCase")]
    pub struct LoginResponse {
        /// Access token (JWT, 15 minutes).
        pub token: String,
        /// Refresh token (7 days, single use).
        pub refresh_token: String,
        /// CSRF token to echo in `X-CSRF-Token` on cookie-authenticated writes.
        pub csrf_token: String,
        /// Access-token lifetime in seconds.
        pub expires_in: u64,
    }
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// The document.
#[derive(OpenApi)]
#[openapi(
    info(title = "ContentOS REST API", description = "Design document section 4 on the ContentOS SDK"),
    paths(
        crate::health::health,
        crate::routes::auth::register,
        crate::routes::auth::login,
        crate::routes::auth::refresh,
        crate::routes::auth::logout,
        crate::routes::content::generate,
        crate::routes::content::get_content,
        crate::routes::content::transform,
        crate::routes::content::personalize,
        crate::routes::publish::schedule,
        crate::routes::publish::publish_now,
        crate::routes::analytics::performance,
        crate::routes::workspaces::create,
        crate::routes::workspaces::list,
    ),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

/// `GET /openapi.json`.
pub async fn openapi_json() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}
