//! Posting queue slots: an account's recurring weekly times (in local time), and the search for
//! the next slot not already taken.
//!
//! Why weekly local slots: a social manager thinks "Tuesdays and Thursdays at 09:00 in New York",
//! and that must stay 09:00 across DST changes — so slots are stored as wall-clock times in an
//! IANA zone and converted to UTC date by date (with the rules of [`super::time`]).
//!
//! An account's slots are persisted in the Store (`queue_slots` table, one row per account) through
//! the facade's `set_queue_slots` / `queue_slots` / `delete_queue_slots`; `next_queue_slot` and
//! `schedule_in_queue` use the stored set. The rule for "taken": a slot is taken when the account
//! already has a post that is pending, publishing or published at exactly that instant.

use super::time::{local_to_utc, parse_zone};
use crate::{Error, Result};
use chrono::{DateTime, Datelike, Duration, NaiveTime, Timelike, Utc, Weekday};
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

/// Most weekly slots one account may have (every 15 minutes, around the clock, would be 672).
pub const MAX_SLOTS: usize = 672;

fn parse_weekday(field: &str, text: &str) -> Result<Weekday> {
    text.trim()
        .parse::<Weekday>()
        .map_err(|_| Error::validation(field, "a weekday (mon..sun or monday..sunday)"))
}

fn parse_time(field: &str, text: &str) -> Result<NaiveTime> {
    let t = text.trim();
    let ok_shape = t.len() == 5 && t.as_bytes()[2] == b':';
    NaiveTime::parse_from_str(t, "%H:%M")
        .ok()
        .filter(|_| ok_shape)
        .ok_or_else(|| Error::validation(field, "a 24-hour time HH:MM (00:00..23:59)"))
}

/// How far ahead [`QueueSlots::next_free`] looks before giving up.
pub const SLOT_SEARCH_WEEKS: i64 = 26;

impl QueueSlots {
    /// Checks the set before it is used or stored, each rule naming its field:
    /// `slots.timezone` an IANA zone; `slots` 1..=[`MAX_SLOTS`] entries; `slots[i].time` a whole
    /// minute (no seconds — a slot is "09:00", and seconds would make two nearly equal slots
    /// distinct); `slots[i]` not a duplicate of an earlier slot.
    pub fn validate(&self) -> Result<()> {
        parse_zone("slots.timezone", &self.timezone)?;
        if self.slots.is_empty() {
            return Err(Error::validation("slots", "at least one weekly slot"));
        }
        if self.slots.len() > MAX_SLOTS {
            return Err(Error::validation(
                "slots",
                format!("at most {MAX_SLOTS} weekly slots"),
            ));
        }
        let mut seen = HashSet::new();
        for (i, slot) in self.slots.iter().enumerate() {
            if slot.time.second() != 0 || slot.time.nanosecond() != 0 {
                return Err(Error::validation(
                    format!("slots[{i}].time"),
                    "a whole minute (HH:MM, no seconds)",
                ));
            }
            if !seen.insert((slot.weekday, slot.time)) {
                return Err(Error::validation(
                    format!("slots[{i}]"),
                    "no duplicate (weekday, time) slot",
                ));
            }
        }
        Ok(())
    }

    /// Builds and validates a set from text, as it arrives from a form, a REST body or a
    /// binding: `timezone` an IANA name, each slot a weekday (`mon`/`monday`, any case) and a
    /// 24-hour `HH:MM`. Errors name the field (`slots[1].weekday`, `slots[0].time`, …).
    pub fn parse(timezone: &str, slots: &[(&str, &str)]) -> Result<Self> {
        let parsed = slots
            .iter()
            .enumerate()
            .map(|(i, (weekday, time))| {
                Ok(WeeklySlot {
                    weekday: parse_weekday(&format!("slots[{i}].weekday"), weekday)?,
                    time: parse_time(&format!("slots[{i}].time"), time)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let set = QueueSlots {
            timezone: timezone.trim().to_string(),
            slots: parsed,
        };
        set.validate()?;
        Ok(set)
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

    fn field_of(e: Error) -> String {
        match e {
            Error::Validation { field, .. } => field,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn parse_names_the_bad_field() {
        let ok =
            QueueSlots::parse("Europe/Paris", &[("tue", "09:00"), ("Thursday", "17:30")]).unwrap();
        assert_eq!(ok.slots[1].weekday, Weekday::Thu);
        assert_eq!(
            ok.slots[1].time,
            NaiveTime::from_hms_opt(17, 30, 0).unwrap()
        );
        let bad = |tz: &str, s: &[(&str, &str)]| field_of(QueueSlots::parse(tz, s).unwrap_err());
        assert_eq!(
            bad("Europe/Paris", &[("mon", "09:00"), ("funday", "10:00")]),
            "slots[1].weekday"
        );
        assert_eq!(bad("Europe/Paris", &[("mon", "24:00")]), "slots[0].time");
        assert_eq!(bad("Europe/Paris", &[("mon", "9:00")]), "slots[0].time");
        assert_eq!(bad("Europe/Paris", &[("mon", "09:00:30")]), "slots[0].time");
        assert_eq!(bad("Nowhere/Land", &[("mon", "09:00")]), "slots.timezone");
        assert_eq!(bad("UTC", &[]), "slots");
        assert_eq!(
            bad("UTC", &[("mon", "09:00"), ("Monday", "09:00")]),
            "slots[1]"
        );
        let mut seconds = slots();
        seconds.slots[0].time = NaiveTime::from_hms_opt(9, 0, 5).unwrap();
        assert_eq!(field_of(seconds.validate().unwrap_err()), "slots[0].time");
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
