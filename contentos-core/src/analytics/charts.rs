//! Charts for notebooks and dashboards: engagement by weekday × hour (a heat map) and
//! per-platform trend lines, as SVG text or PNG bytes (plotters).
//!
//! Text is rendered with the system's sans-serif font through fontconfig; `scripts/setup.sh`
//! installs `fonts-dejavu-core` on machines that have none.

use super::insights::{PostPerformance, TimeSlot};
use crate::{Error, Result};
use chrono::NaiveDate;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::collections::BTreeMap;

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

fn chart_err(e: impl std::fmt::Display) -> Error {
    Error::Internal {
        message: format!("chart rendering failed: {e}"),
    }
}

/// One platform's daily series: (day, mean engagements per post that day).
pub type TrendSeries = (String, Vec<(NaiveDate, f64)>);

/// Daily mean engagements per platform, by publish day in `tz`.
pub fn platform_trends(rows: &[PostPerformance], tz: chrono_tz::Tz) -> Vec<TrendSeries> {
    let mut by: BTreeMap<String, BTreeMap<NaiveDate, (f64, usize)>> = BTreeMap::new();
    for r in rows {
        let day = r
            .post
            .published_at
            .unwrap_or(r.post.scheduled_time)
            .with_timezone(&tz)
            .date_naive();
        let e = by
            .entry(r.post.platform.as_str().to_string())
            .or_default()
            .entry(day)
            .or_insert((0.0, 0));
        e.0 += r.engagements() as f64;
        e.1 += 1;
    }
    by.into_iter()
        .map(|(p, days)| {
            (
                p,
                days.into_iter()
                    .map(|(d, (s, n))| (d, s / n as f64))
                    .collect(),
            )
        })
        .collect()
}

fn draw_heatmap<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, grid: &[TimeSlot]) -> Result<()>
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE).map_err(chart_err)?;
    let max = grid
        .iter()
        .map(|c| c.avg_engagements)
        .fold(0.0f64, f64::max);
    let mut chart = ChartBuilder::on(root)
        .caption(
            "Engagements per post by weekday and hour",
            ("sans-serif", 20),
        )
        .margin(10)
        .x_label_area_size(30)
        .y_label_area_size(90)
        .build_cartesian_2d(0u32..24u32, 0u32..7u32)
        .map_err(chart_err)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(24)
        .x_desc("hour (workspace time zone)")
        .y_labels(7)
        .y_label_formatter(&|y| WEEKDAYS.get(*y as usize).copied().unwrap_or("").to_string())
        .draw()
        .map_err(chart_err)?;
    let cells = grid.iter().filter_map(|c| {
        let y = WEEKDAYS.iter().position(|w| *w == c.weekday)? as u32;
        let t = if max > 0.0 {
            c.avg_engagements / max
        } else {
            0.0
        };
        Some(Rectangle::new(
            [(c.hour, y), (c.hour + 1, y + 1)],
            HSLColor(0.58, 0.75, 0.92 - 0.6 * t).filled(),
        ))
    });
    chart.draw_series(cells).map_err(chart_err)?;
    root.present().map_err(chart_err)
}

fn draw_trends<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    series: &[TrendSeries],
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE).map_err(chart_err)?;
    let days: Vec<NaiveDate> = series
        .iter()
        .flat_map(|(_, s)| s.iter().map(|(d, _)| *d))
        .collect();
    let (Some(first), Some(last)) = (days.iter().min().copied(), days.iter().max().copied()) else {
        return Err(Error::validation(
            "rows",
            "at least one published post with metrics",
        ));
    };
    let span = (last - first).num_days().max(1) as f64;
    let ymax = series
        .iter()
        .flat_map(|(_, s)| s.iter().map(|(_, v)| *v))
        .fold(1.0f64, f64::max)
        * 1.1;
    let mut chart = ChartBuilder::on(root)
        .caption("Engagements per post by platform", ("sans-serif", 20))
        .margin(10)
        .x_label_area_size(30)
        .y_label_area_size(50)
        .build_cartesian_2d(0f64..span, 0f64..ymax)
        .map_err(chart_err)?;
    chart
        .configure_mesh()
        .x_desc(format!("days since {first}"))
        .y_desc("engagements / post")
        .draw()
        .map_err(chart_err)?;
    for (i, (platform, points)) in series.iter().enumerate() {
        let color = Palette99::pick(i).to_rgba();
        chart
            .draw_series(LineSeries::new(
                points
                    .iter()
                    .map(|(d, v)| ((*d - first).num_days() as f64, *v)),
                color.stroke_width(2),
            ))
            .map_err(chart_err)?
            .label(platform.clone())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
            });
        // Markers too: a platform with one day of data has no line segment to show.
        chart
            .draw_series(
                points.iter().map(|(d, v)| {
                    Circle::new(((*d - first).num_days() as f64, *v), 4, color.filled())
                }),
            )
            .map_err(chart_err)?;
    }
    chart
        .configure_series_labels()
        .border_style(BLACK)
        .background_style(WHITE.mix(0.8))
        .draw()
        .map_err(chart_err)?;
    root.present().map_err(chart_err)
}

/// Chart size in pixels.
pub const SIZE: (u32, u32) = (960, 360);

/// The weekday × hour heat map as an SVG document.
pub fn heatmap_svg(grid: &[TimeSlot]) -> Result<String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, SIZE).into_drawing_area();
        draw_heatmap(&root, grid)?;
    }
    Ok(out)
}

/// The weekday × hour heat map as PNG bytes.
pub fn heatmap_png(grid: &[TimeSlot]) -> Result<Vec<u8>> {
    render_png(|root| draw_heatmap(root, grid))
}

/// Per-platform trend lines as an SVG document.
pub fn trends_svg(series: &[TrendSeries]) -> Result<String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, SIZE).into_drawing_area();
        draw_trends(&root, series)?;
    }
    Ok(out)
}

/// Per-platform trend lines as PNG bytes.
pub fn trends_png(series: &[TrendSeries]) -> Result<Vec<u8>> {
    render_png(|root| draw_trends(root, series))
}

fn render_png(
    draw: impl FnOnce(&DrawingArea<BitMapBackend<'_>, Shift>) -> Result<()>,
) -> Result<Vec<u8>> {
    let (w, h) = SIZE;
    let mut buf = vec![0u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buf, SIZE).into_drawing_area();
        draw(&root)?;
    }
    let img = image::RgbImage::from_raw(w, h, buf).ok_or_else(|| chart_err("buffer size"))?;
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .map_err(chart_err)?;
    Ok(out.into_inner())
}
