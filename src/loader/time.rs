//! Timestamp parsing for loaded files: ISO-8601 dates and times, or Unix seconds or
//! milliseconds.

// Input from files and from JS reaches this module: it must return errors, never panic.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

use crate::catalog::Timestamp;

/// Integers at or above this are Unix milliseconds (1e11 seconds is the year 5138).
const MILLISECONDS_FROM: f64 = 1e11;

/// 10000-01-01T00:00:00Z in Unix seconds.
const LATEST_SECONDS: f64 = 253_402_300_800.0;

/// Parses `text` to Unix seconds, or returns `None`.
///
/// Accepts a plain number (seconds, or milliseconds from 1e11 on, up to the year 9999)
/// and ISO-8601 forms:
/// `YYYY-MM-DD`, then optionally `T` or a space and `HH:MM[:SS[.fff]]`, then optionally
/// `Z`, ` UTC`, or an offset `+HH:MM` / `+HHMM`. A time without a zone is read as UTC.
pub fn parse_timestamp(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if let Ok(number) = text.parse::<f64>() {
        if !number.is_finite() {
            return None;
        }
        let seconds = if number.abs() >= MILLISECONDS_FROM {
            number / 1000.0
        } else {
            number
        };
        // Years 0 to 9999 only: anything else is a unit or data error, and a far-future
        // time would become the reference of every time decay.
        if seconds.abs() > LATEST_SECONDS {
            return None;
        }
        return Some(seconds.floor() as Timestamp);
    }
    parse_iso(text)
}

fn parse_iso(text: &str) -> Option<Timestamp> {
    let bytes = text.as_bytes();
    if bytes.len() < 10 || bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
        return None;
    }
    let year: i64 = text.get(0..4)?.parse().ok()?;
    let month: u32 = text.get(5..7)?.parse().ok()?;
    let day: u32 = text.get(8..10)?.parse().ok()?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let mut seconds = days_from_civil(year, month, day) * 86_400;
    let mut rest = &text[10..];
    if rest.is_empty() {
        return Some(seconds);
    }
    if !(rest.starts_with('T') || rest.starts_with(' ')) {
        return None;
    }
    rest = &rest[1..];
    let (clock, zone) = split_zone(rest)?;
    let mut parts = clock.split(':');
    let hour: i64 = parts.next()?.parse().ok()?;
    let minute: i64 = parts.next()?.parse().ok()?;
    let second: f64 = match parts.next() {
        Some(s) => s.parse().ok()?,
        None => 0.0,
    };
    if parts.next().is_some() || hour > 23 || minute > 59 || !(0.0..61.0).contains(&second) {
        return None;
    }
    seconds += hour * 3600 + minute * 60 + second.floor() as i64;
    Some(seconds - zone)
}

/// Splits `HH:MM:SS<zone>` into the clock and the zone offset in seconds.
fn split_zone(text: &str) -> Option<(&str, i64)> {
    let text = text.trim_end();
    if let Some(clock) = text
        .strip_suffix('Z')
        .or_else(|| text.strip_suffix(" UTC"))
        .or_else(|| text.strip_suffix("UTC"))
    {
        return Some((clock.trim_end(), 0));
    }
    if let Some(position) = text.rfind(['+', '-']) {
        let (clock, zone) = text.split_at(position);
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        let digits: String = zone[1..].chars().filter(|c| *c != ':').collect();
        if digits.len() != 4 {
            return None;
        }
        let hours: i64 = digits[..2].parse().ok()?;
        let minutes: i64 = digits[2..].parse().ok()?;
        return Some((clock, sign * (hours * 3600 + minutes * 60)));
    }
    Some((text, 0))
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = month as i64;
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day as i64 - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_forms() {
        // 2019-10-01T00:00:00Z = 1569888000 (the first REES46 event).
        assert_eq!(
            parse_timestamp("2019-10-01 00:00:00 UTC"),
            Some(1_569_888_000)
        );
        assert_eq!(parse_timestamp("2019-10-01T00:00:00Z"), Some(1_569_888_000));
        assert_eq!(
            parse_timestamp("2019-10-01T02:00:00+02:00"),
            Some(1_569_888_000)
        );
        assert_eq!(
            parse_timestamp("2019-09-30T19:00:00-0500"),
            Some(1_569_888_000)
        );
        assert_eq!(parse_timestamp("2019-10-01"), Some(1_569_888_000));
        // 2010-12-01 09:09:00, no zone (UCI): 1291194540.
        assert_eq!(parse_timestamp("2010-12-01 09:09:00"), Some(1_291_194_540));
        assert_eq!(parse_timestamp("2024-02-29T12:30"), Some(1_709_209_800));
        assert_eq!(parse_timestamp("1969-12-31T23:59:59Z"), Some(-1));
    }

    #[test]
    fn unix_seconds_and_milliseconds() {
        assert_eq!(parse_timestamp("881250949"), Some(881_250_949));
        assert_eq!(parse_timestamp("1569888000000"), Some(1_569_888_000));
        assert_eq!(parse_timestamp(" 1569888000.9 "), Some(1_569_888_000));
    }

    #[test]
    fn invalid_dates_rejected() {
        for text in [
            "1e20",
            "-1e20",
            "2019-13-01",
            "2019-02-30",
            "2023-02-29",
            "yesterday",
            "",
            "2019-10-01X00:00",
            "2019-10-01 25:00",
            "NaN",
            "inf",
        ] {
            assert_eq!(parse_timestamp(text), None, "{text}");
        }
    }
}
