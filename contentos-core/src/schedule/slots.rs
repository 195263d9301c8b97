//! Posting queue slots: an account's recurring weekly times (in local time), and the search for
//! the next slot not already taken.
//!
//! Why weekly local slots: a social manager thinks "Tuesdays and Thursdays at 09:00 in New York",
//! and that must stay 09:00 across DST changes — so slots are stored as wall-clock times in an
//! IANA zone and converted to UTC date by date (with the rules of [`super::time`]).
//!
//! Slot definitions are plain values owned by the embedding application (persist them beside the
//! account as JSON; ContentOS keeps no slot table in this version). What ContentOS owns is the
//! rule for "taken": a slot is taken when the account already has a post that is pending,
//! publishing or published at exactly that instant.

use super::time::{local_to_utc, parse_zone};
use crate::{Error, Result};
use chrono::{DateTime, Datelike, Duration, NaiveTime, Utc, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// One recurring weekly time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WeeklySlot {
    /// Day of the week (local).
    pub weekday: Weekday,
    /// Wall-clock time (local), e.g. 09:00.
    pub time: NaiveTime,
}

/// An account's posting queue: weekly slots in one IANA zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueSlots {
    /// IANA zone the slot times are in.
    pub timezone: String,
    /// The slots (order irrelevant; duplicates ignored).
    pub slots: Vec<WeeklySlot>,
}

/// How far ahead [`QueueSlots::next_free`] looks before giving up.
pub const SLOT_SEARCH_WEEKS: i64 = 26;

impl QueueSlots {
    /// Checks the zone and that there is at least one slot.
    pub fn validate(&self) -> Result<()> {
        parse_zone("slots.timezone", &self.timezone)?;
        if self.slots.is_empty() {
            return Err(Error::validation("slots", "at least one weekly slot"));
        }
        Ok(())
    }

    /// Every slot instant (UTC) in `(after, until]`, earliest first.
    pub fn instants_between(
        &self,
        after: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<DateTime<Utc>>> {
        let tz = parse_zone("slots.timezone", &self.timezone)?;
        let mut out = Vec::new();
        // Start one day early in local terms so a slot just after `after` is not missed.
        let mut day = after.with_timezone(&tz).date_naive() - Duration::days(1);
        let last = until.with_timezone(&tz).date_naive() + Duration::days(1);
        while day <= last {
            for slot in self.slots.iter().filter(|s| s.weekday == day.weekday()) {
                let t = local_to_utc(day.and_time(slot.time), tz)?;
                if t > after && t <= until {
                    out.push(t);
                }
            }
            day += Duration::days(1);
        }
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// The first slot strictly after `after` that is not in `taken`, searching
    /// [`SLOT_SEARCH_WEEKS`] weeks ahead; `Conflict` when every slot in that horizon is taken.
    pub fn next_free(
        &self,
        after: DateTime<Utc>,
        taken: &HashSet<DateTime<Utc>>,
    ) -> Result<DateTime<Utc>> {
        self.validate()?;
        let until = after + Duration::weeks(SLOT_SEARCH_WEEKS);
        self.instants_between(after, until)?
            .into_iter()
            .find(|t| !taken.contains(t))
            .ok_or_else(|| {
                Error::conflict(format!(
                    "every queue slot in the next {SLOT_SEARCH_WEEKS} weeks is taken"
                ))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn slots() -> QueueSlots {
        QueueSlots {
            timezone: "America/New_York".into(),
            slots: vec![
                WeeklySlot {
                    weekday: Weekday::Tue,
                    time: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
                },
                WeeklySlot {
                    weekday: Weekday::Thu,
                    time: NaiveTime::from_hms_opt(17, 30, 0).unwrap(),
                },
            ],
        }
    }

    #[test]
    fn next_slot_is_local_and_skips_taken() {
        // Monday 2026-11-23 12:00 UTC → next slot Tue 2026-11-24 09:00 EST = 14:00 UTC.
        let after = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
        let first = slots().next_free(after, &HashSet::new()).unwrap();
        assert_eq!(first, Utc.with_ymd_and_hms(2026, 11, 24, 14, 0, 0).unwrap());
        let taken: HashSet<_> = [first].into_iter().collect();
        let second = slots().next_free(after, &taken).unwrap();
        assert_eq!(
            second,
            Utc.with_ymd_and_hms(2026, 11, 26, 22, 30, 0).unwrap()
        );
    }

    #[test]
    fn slots_keep_local_time_across_dst() {
        // Tue 2026-03-03 09:00 EST = 14:00 UTC; Tue 2026-03-10 09:00 EDT = 13:00 UTC.
        let after = Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap();
        let until = Utc.with_ymd_and_hms(2026, 3, 11, 0, 0, 0).unwrap();
        let all = slots().instants_between(after, until).unwrap();
        assert!(all.contains(&Utc.with_ymd_and_hms(2026, 3, 3, 14, 0, 0).unwrap()));
        assert!(all.contains(&Utc.with_ymd_and_hms(2026, 3, 10, 13, 0, 0).unwrap()));
    }

    #[test]
    fn empty_or_bad_zone_is_rejected() {
        let mut s = slots();
        s.slots.clear();
        assert!(s.validate().is_err());
        s = slots();
        s.timezone = "Mars/Olympus".into();
        assert!(s.validate().is_err());
    }
}
