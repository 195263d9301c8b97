//! Wall-clock arithmetic in IANA zones: local → UTC conversion with explicit DST rules, and the
//! UTC bounds of a calendar month in a zone.
//!
//! Why explicit rules: a local time can occur twice (the autumn "fall back" hour) or not at all
//! (the spring "spring forward" hour). ContentOS never fails or guesses silently:
//! - **ambiguous** (occurs twice) → the *earlier* instant (the first 01:30 of the night);
//! - **nonexistent** (skipped) → shifted *forward* by the length of the gap (02:30 on a night that
//!   jumps from 02:00 to 03:00 becomes 03:30), which is what a wall clock shows "that much later".

use crate::{Error, Result};
use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

/// Parses an IANA zone name, naming `field` in the validation error.
pub fn parse_zone(field: &str, tz: &str) -> Result<Tz> {
    tz.parse::<Tz>()
        .map_err(|_| Error::validation(field, "an IANA time zone name such as Europe/Paris"))
}

/// Converts a wall-clock time in `tz` to the UTC instant it denotes, with the DST rules of the
/// module documentation (ambiguous → earlier; nonexistent → shifted forward by the gap).
pub fn local_to_utc(local: NaiveDateTime, tz: Tz) -> Result<DateTime<Utc>> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(a, b) => Ok(a.min(b).with_timezone(&Utc)),
        LocalResult::None => {
            // Inside a gap. The offset before the gap applies to the wall clock that was skipped:
            // interpreting `local` with it yields an instant after the transition whose wall time
            // is `local` + gap, i.e. shifted forward. Find the offset in force just before.
            let mut probe = local;
            for _ in 0..(48 * 4) {
                probe -= Duration::minutes(15);
                if let LocalResult::Single(t) | LocalResult::Ambiguous(t, _) =
                    tz.from_local_datetime(&probe)
                {
                    let before = t.offset().fix();
                    let utc = local - Duration::seconds(i64::from(before.local_minus_utc()));
                    return Ok(DateTime::from_naive_utc_and_offset(utc, Utc));
                }
            }
            Err(Error::validation(
                "localTime",
                "a wall-clock time that exists in the zone",
            ))
        }
    }
}

/// The UTC half-open interval `[start, end)` of calendar month `year-month` in `tz`, computed
/// from local midnights (so a month that contains a DST change is 1 hour shorter or longer).
pub fn month_bounds(year: i32, month: u32, tz: Tz) -> Result<(DateTime<Utc>, DateTime<Utc>)> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)
        .ok_or_else(|| Error::validation("month", "a month 1..=12 of a supported year"))?;
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }
    .ok_or_else(|| Error::validation("year", "a supported year"))?;
    let start = local_to_utc(first.and_time(chrono::NaiveTime::MIN), tz)?;
    let end = local_to_utc(next.and_time(chrono::NaiveTime::MIN), tz)?;
    Ok((start, end))
}

/// The local calendar date of `instant` in `tz`.
pub fn local_date(instant: DateTime<Utc>, tz: Tz) -> NaiveDate {
    instant.with_timezone(&tz).date_naive()
}

/// Number of days in a month (for calendar grids).
pub fn days_in_month(year: i32, month: u32) -> u32 {
    let first = NaiveDate::from_ymd_opt(year, month, 1);
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    match (first, next) {
        (Some(a), Some(b)) => u32::try_from((b - a).num_days()).unwrap_or(0),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, Timelike};

    fn ny() -> Tz {
        "America/New_York".parse().unwrap()
    }

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    #[test]
    fn plain_times_use_the_offset_of_the_day() {
        // EST (-5) before 2026-03-08, EDT (-4) after.
        assert_eq!(local_to_utc(at(2026, 3, 7, 9, 0), ny()).unwrap().hour(), 14);
        assert_eq!(local_to_utc(at(2026, 3, 9, 9, 0), ny()).unwrap().hour(), 13);
    }

    #[test]
    fn nonexistent_time_shifts_forward_by_the_gap() {
        // 2026-03-08 02:30 does not exist in New York (02:00 → 03:00).
        let utc = local_to_utc(at(2026, 3, 8, 2, 30), ny()).unwrap();
        let local = utc.with_timezone(&ny());
        assert_eq!((local.hour(), local.minute()), (3, 30));
    }

    #[test]
    fn ambiguous_time_takes_the_earlier_instant() {
        // 2026-11-01 01:30 occurs twice (EDT then EST); the earlier is 05:30 UTC.
        let utc = local_to_utc(at(2026, 11, 1, 1, 30), ny()).unwrap();
        assert_eq!((utc.hour(), utc.minute()), (5, 30));
    }

    #[test]
    fn month_bounds_follow_local_midnight() {
        let (s, e) = month_bounds(2026, 3, ny()).unwrap();
        assert_eq!(s.to_rfc3339(), "2026-03-01T05:00:00+00:00");
        assert_eq!(e.to_rfc3339(), "2026-04-01T04:00:00+00:00");
        assert!(month_bounds(2026, 13, ny()).is_err());
        assert_eq!(days_in_month(2028, 2), 29);
    }
}
