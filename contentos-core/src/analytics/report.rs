//! The analytics operations of the facade: performance report, phrased insights and charts.

use super::charts;
use super::insights::{
    performance_report, time_grid, PerformanceReport, PostPerformance, DEFAULT_MIN_SAMPLE,
};
use crate::access::{Actor, Permission};
use crate::llm::{CompletionRequest, TaskHint};
use crate::model::*;
use crate::pipeline::prompts::INSIGHTS;
use crate::{ContentOs, Error, Result};
use chrono::{Duration, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Rendered charts.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Charts {
    /// Weekday × hour heat map (SVG).
    pub heatmap_svg: String,
    /// Weekday × hour heat map (PNG).
    #[serde(skip)]
    pub heatmap_png: Vec<u8>,
    /// Per-platform trends (SVG).
    pub trends_svg: String,
    /// Per-platform trends (PNG).
    #[serde(skip)]
    pub trends_png: Vec<u8>,
}

impl ContentOs {
    /// Published posts with metrics in the last `days`, joined with their content.
    pub async fn post_performance(
        &self,
        actor: &Actor,
        workspace: WorkspaceId,
        days: u32,
    ) -> Result<Vec<PostPerformance>> {
        self.authorize(actor, workspace, Permission::Read).await?;
        if days == 0 || days > 366 {
            return Err(Error::validation("days", "1..=366"));
        }
        let since = Utc::now() - Duration::days(i64::from(days));
        let rows = self.inner.store.list_analytics(workspace, since).await?;
        let mut contents: HashMap<VariationId, (ContentId, Option<String>, ContentType)> =
            HashMap::new();
        let mut out = Vec::with_capacity(rows.len());
        for (post, metrics) in rows {
            let info = match contents.get(&post.variation_id) {
                Some(i) => i.clone(),
                None => {
                    let v = self.inner.store.get_variation(post.variation_id).await?;
                    let c = self.inner.store.get_content(v.content_id).await?.content;
                    let i = (c.id, c.title, c.content_type);
                    contents.insert(post.variation_id, i.clone());
                    i
                }
            };
            out.push(PostPerformance {
                post,
                metrics,
                content_id: info.0,
                title: info.1,
                content_type: info.2,
            });
        }
        Ok(out)
    }

    /// The section 4.2 performance report (permission `read`), computed deterministically in
    /// the workspace's time zone.
    pub async fn performance(
        &self,
        actor: &Actor,
        workspace: WorkspaceId,
        days: u32,
    ) -> Result<PerformanceReport> {
        let rows = self.post_performance(actor, workspace, days).await?;
        let tz = self.workspace_tz(workspace).await?;
        Ok(performance_report(&rows, tz, DEFAULT_MIN_SAMPLE))
    }

    /// The report's insights phrased by the LLM as short actionable bullets, grounded in the
    /// computed numbers; the deterministic sentences when no LLM is configured or it fails.
    pub async fn performance_insights_phrased(
        &self,
        actor: &Actor,
        workspace: WorkspaceId,
        days: u32,
    ) -> Result<Vec<String>> {
        let report = self.performance(actor, workspace, days).await?;
        let Some(llm) = self.inner.llm.clone() else {
            return Ok(report.insights);
        };
        let mut vars = HashMap::new();
        vars.insert("data", serde_json::to_string_pretty(&report)?);
        let prompt = INSIGHTS.render(&vars)?;
        let tier = self.inner.store.get_user(actor.user_id).await?.tier;
        let req = CompletionRequest::new(prompt)
            .with_temperature(0.3)
            .with_max_tokens(400)
            .with_task(TaskHint::Simple)
            .with_workspace(workspace, tier);
        match llm.complete(req).await {
            Ok(c) => {
                let bullets: Vec<String> = c
                    .text
                    .lines()
                    .map(|l| {
                        l.trim()
                            .trim_start_matches(['-', '*', '•'])
                            .trim()
                            .to_string()
                    })
                    .filter(|l| !l.is_empty())
                    .take(5)
                    .collect();
                Ok(if bullets.is_empty() {
                    report.insights
                } else {
                    bullets
                })
            }
            Err(e) => {
                tracing::warn!(error = %e, "insight phrasing failed; using computed insights");
                Ok(report.insights)
            }
        }
    }

    /// Heat map and trend charts of the last `days` (permission `read`).
    pub async fn performance_charts(
        &self,
        actor: &Actor,
        workspace: WorkspaceId,
        days: u32,
    ) -> Result<Charts> {
        let rows = self.post_performance(actor, workspace, days).await?;
        let tz = self.workspace_tz(workspace).await?;
        let grid = time_grid(&rows, tz);
        let trends = charts::platform_trends(&rows, tz);
        Ok(Charts {
            heatmap_svg: charts::heatmap_svg(&grid)?,
            heatmap_png: charts::heatmap_png(&grid)?,
            trends_svg: charts::trends_svg(&trends)?,
            trends_png: charts::trends_png(&trends)?,
        })
    }

    async fn workspace_tz(&self, workspace: WorkspaceId) -> Result<chrono_tz::Tz> {
        let ws = self.inner.store.get_workspace(workspace).await?;
        ws.timezone
            .parse()
            .map_err(|_| Error::validation("timezone", "an IANA time zone name"))
    }
}
