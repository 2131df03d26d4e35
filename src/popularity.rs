//! Trending items: decayed, type-weighted event counts in a recent window.
//!
//! An event in the window `(reference - window, reference]` adds
//! `weight(kind) * 0.5^(age / half_life)`, with the same per-type weights as the
//! confidence matrix, so a recent purchase counts more than an old view. Rankings are
//! kept overall and per category.

use serde::{Deserialize, Serialize};

use crate::catalog::{Interaction, Timestamp, SECONDS_PER_DAY};
use crate::confidence::ConfidenceConfig;
use crate::error::{check_finite_at_least, Result};

/// Popularity settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PopularityConfig {
    /// Length of the recent window, in days.
    pub window_days: f64,
    /// Half-life of the decay inside the window, in days.
    pub half_life_days: f64,
}

impl Default for PopularityConfig {
    fn default() -> Self {
        PopularityConfig {
            window_days: 14.0,
            half_life_days: 7.0,
        }
    }
}

impl PopularityConfig {
    /// Rejects windows or half-lives that are not positive.
    pub fn validate(&self) -> Result<()> {
        check_finite_at_least("popularityWindowDays", self.window_days, 1e-6)?;
        check_finite_at_least("popularityHalfLifeDays", self.half_life_days, 1e-6)
    }
}

/// Trending scores and rankings.
#[derive(Debug, Clone, Default)]
pub struct Popularity {
    scores: Vec<f32>,
    overall: Vec<u32>,
    by_category: Vec<Vec<u32>>,
    category_rank: Vec<u32>,
}

impl Popularity {
    /// Scores `items` items from `events` (oldest first) seen from `reference`.
    /// `categories[i]` is item `i`'s category index below `category_count`.
    pub fn build(
        categories: &[u32],
        category_count: usize,
        events: &[Interaction],
        weights: &ConfidenceConfig,
        reference: Timestamp,
        config: &PopularityConfig,
    ) -> Result<Popularity> {
        config.validate()?;
        let items = categories.len();
        let window_start = reference - (config.window_days * SECONDS_PER_DAY as f64) as i64;
        let decay = ConfidenceConfig {
            half_life_days: config.half_life_days,
            ..weights.clone()
        };
        let mut scores = vec![0f32; items];
        for event in events
            .iter()
            .filter(|e| e.timestamp > window_start && e.timestamp <= reference)
        {
            scores[event.product as usize] +=
                decay.event_weight(event) * decay.decay(event.timestamp, reference);
        }

        let mut overall: Vec<u32> = (0..items as u32).collect();
        overall.sort_by(|&a, &b| {
            scores[b as usize]
                .total_cmp(&scores[a as usize])
                .then(a.cmp(&b))
        });
        let mut by_category = vec![Vec::new(); category_count];
        let mut category_rank = vec![0u32; items];
        for &item in &overall {
            let list = &mut by_category[categories[item as usize] as usize];
            category_rank[item as usize] = list.len() as u32;
            list.push(item);
        }
        Ok(Popularity {
            scores,
            overall,
            by_category,
            category_rank,
        })
    }

    /// The trending score of every item.
    pub fn scores(&self) -> &[f32] {
        &self.scores
    }

    /// All items, most trending first (ties by index).
    pub fn ranking(&self) -> &[u32] {
        &self.overall
    }

    /// The items of one category, most trending first.
    pub fn category_ranking(&self, category: usize) -> &[u32] {
        &self.by_category[category]
    }

    /// The 0-based rank of `item` within its category.
    pub fn rank_in_category(&self, item: usize) -> u32 {
        self.category_rank[item]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::InteractionKind;

    fn event(product: u32, kind: InteractionKind, day: f64) -> Interaction {
        Interaction {
            user: 0,
            product,
            kind,
            value: None,
            timestamp: (day * SECONDS_PER_DAY as f64) as i64,
        }
    }

    #[test]
    fn window_decay_and_rankings() {
        let events = [
            event(0, InteractionKind::View, 0.0), // outside the 14-day window
            event(1, InteractionKind::View, 13.0), // 1 * 0.5^(7/7) = 0.5
            event(2, InteractionKind::Purchase, 20.0), // 5 * 1
            event(0, InteractionKind::Cart, 20.0), // 3
        ];
        let popularity = Popularity::build(
            &[0, 0, 1],
            2,
            &events,
            &ConfidenceConfig::default(),
            20 * SECONDS_PER_DAY,
            &PopularityConfig::default(),
        )
        .unwrap();
        assert_eq!(popularity.scores(), &[3.0, 0.5, 5.0]);
        assert_eq!(popularity.ranking(), &[2, 0, 1]);
        assert_eq!(popularity.category_ranking(0), &[0, 1]);
        assert_eq!(popularity.category_ranking(1), &[2]);
        assert_eq!(popularity.rank_in_category(1), 1);
    }
}
