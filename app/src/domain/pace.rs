//! How fast a long import goes and how long the rest will take, for the
//! progress bar: "2,400 rows a second, about 40 seconds left".

use crate::text::thousands;

/// The pace of `done` rows in `elapsed_ms`, and the time `left` rows will
/// take at it. `None` until a row is done and time has passed: a guess
/// from nothing would jump about.
pub fn pace(done: usize, elapsed_ms: f64, left: usize) -> Option<String> {
    if done == 0 || elapsed_ms.is_nan() || elapsed_ms <= 0.0 {
        return None;
    }
    let per_second = done as f64 * 1000.0 / elapsed_ms;
    let rate = format!("{} rows a second", thousands(rounded_rate(per_second)));
    if left == 0 {
        return Some(rate);
    }
    let seconds = (left as f64 / per_second).ceil() as u64;
    Some(format!("{rate}, {}", time_left(seconds)))
}

/// Two significant figures: a rate that changes in its last digits every
/// batch only flickers.
fn rounded_rate(per_second: f64) -> u64 {
    let whole = per_second.round() as u64;
    let mut step = 1;
    while whole / step >= 100 {
        step *= 10;
    }
    (whole + step / 2) / step * step
}

fn time_left(seconds: u64) -> String {
    match seconds {
        0..=5 => "a few seconds left".to_owned(),
        6..=59 => format!("about {} seconds left", seconds.div_ceil(5) * 5),
        60..=89 => "about a minute left".to_owned(),
        90..=3_569 => format!("about {} minutes left", (seconds + 30) / 60),
        _ => {
            let minutes = (seconds + 30) / 60;
            let (hours, minutes) = (minutes / 60, minutes % 60);
            let hours = if hours == 1 {
                "1 hour".to_owned()
            } else {
                format!("{hours} hours")
            };
            match minutes {
                0 => format!("about {hours} left"),
                1 => format!("about {hours} 1 minute left"),
                m => format!("about {hours} {m} minutes left"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{pace, rounded_rate, time_left};
    use proptest::prelude::*;

    #[test]
    fn nothing_is_said_before_a_row_is_done() {
        assert_eq!(pace(0, 1_000.0, 100), None);
        assert_eq!(pace(250, 0.0, 100), None);
        assert_eq!(pace(250, f64::NAN, 100), None);
    }

    #[test]
    fn the_rate_and_the_time_left_follow_the_rows_done() {
        assert_eq!(
            pace(2_500, 1_000.0, 95_000).as_deref(),
            Some("2,500 rows a second, about 40 seconds left")
        );
        assert_eq!(
            pace(1_000, 2_000.0, 90_000).as_deref(),
            Some("500 rows a second, about 3 minutes left")
        );
        assert_eq!(pace(250, 100.0, 0).as_deref(), Some("2,500 rows a second"));
        assert_eq!(
            pace(250, 1_000.0, 500).as_deref(),
            Some("250 rows a second, a few seconds left")
        );
    }

    #[test]
    fn times_are_said_as_a_person_would() {
        assert_eq!(time_left(61), "about a minute left");
        assert_eq!(time_left(3_600), "about 1 hour left");
        assert_eq!(time_left(3_700), "about 1 hour 2 minutes left");
        assert_eq!(time_left(7_260), "about 2 hours 1 minute left");
    }

    proptest! {
        #[test]
        fn a_rate_keeps_two_figures(per_second in 0.0f64..10_000_000.0) {
            let rounded = rounded_rate(per_second) as f64;
            prop_assert!((rounded - per_second).abs() <= per_second * 0.05 + 0.5);
            let digits = rounded.to_string();
            prop_assert!(digits.trim_end_matches('0').len() <= 2);
        }

        #[test]
        fn a_time_left_is_a_sentence(seconds in 0u64..1_000_000) {
            let said = time_left(seconds);
            prop_assert!(said.ends_with(" left"));
        }
    }
}
