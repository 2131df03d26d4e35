//! Interactions to implicit-feedback strength: the user-item matrix `R` that ALS and the
//! content profiles read.
//!
//! Each event adds `weight(kind) * 0.5^(age / half_life)` to its user-item cell, where
//! the age is measured back from a reference time (the newest training event). A rating
//! adds its value (1-5) as its weight, and "not interested" subtracts its weight. ALS
//! reads the sign as the preference and the size as the confidence: `p = [r > 0]`,
//! `c = 1 + alpha * |r|` (Hu, Koren and Volinsky 2008, eq. 2, with explicit negative
//! feedback as a confident zero).

use serde::{Deserialize, Serialize};

use crate::catalog::{Interaction, InteractionKind, Timestamp, SECONDS_PER_DAY};
use crate::error::{check_finite_at_least, Result};
use crate::sparse::CsrMatrix;

/// How events become strengths.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConfidenceConfig {
    /// Weight of a view.
    pub view: f32,
    /// Weight of adding to the cart.
    pub cart: f32,
    /// Weight of a purchase.
    pub purchase: f32,
    /// Multiplier on a rating's value (1-5).
    pub rating: f32,
    /// Weight subtracted for "not interested".
    pub not_interested: f32,
    /// Half-life of the exponential time decay, in days; events this old count half.
    pub half_life_days: f64,
}

impl Default for ConfidenceConfig {
    fn default() -> Self {
        ConfidenceConfig {
            view: 1.0,
            cart: 3.0,
            purchase: 5.0,
            rating: 1.0,
            not_interested: 5.0,
            half_life_days: 30.0,
        }
    }
}

impl ConfidenceConfig {
    /// Rejects negative or non-finite weights and a half-life that is not positive.
    pub fn validate(&self) -> Result<()> {
        check_finite_at_least("view weight", self.view as f64, 0.0)?;
        check_finite_at_least("cart weight", self.cart as f64, 0.0)?;
        check_finite_at_least("purchase weight", self.purchase as f64, 0.0)?;
        check_finite_at_least("rating weight", self.rating as f64, 0.0)?;
        check_finite_at_least("not-interested weight", self.not_interested as f64, 0.0)?;
        check_finite_at_least("halfLifeDays", self.half_life_days, 1e-6)
    }

    /// Returns the undecayed weight of one event; negative for "not interested".
    pub fn event_weight(&self, event: &Interaction) -> f32 {
        match event.kind {
            InteractionKind::View => self.view,
            InteractionKind::Cart => self.cart,
            InteractionKind::Purchase => self.purchase,
            InteractionKind::Rating => self.rating * event.value.unwrap_or(0.0),
            InteractionKind::NotInterested => -self.not_interested,
        }
    }

    /// Returns the decay factor of an event at `timestamp` seen from `reference`; events after
    /// the reference count fully.
    pub fn decay(&self, timestamp: Timestamp, reference: Timestamp) -> f32 {
        let age_days = (reference - timestamp).max(0) as f64 / SECONDS_PER_DAY as f64;
        libm::exp2(-age_days / self.half_life_days) as f32
    }
}

/// The user-item strength matrix in both orientations, with the kinds of event seen in
/// each cell.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct InteractionMatrix {
    /// Users x items, values `r_ui`.
    pub user_items: CsrMatrix,
    /// Items x users, the transpose of `user_items`.
    pub item_users: CsrMatrix,
    /// For each stored entry of `user_items`, the set of kinds seen (bits of
    /// [`InteractionKind::bit`]).
    pub kinds: Vec<u8>,
}

impl InteractionMatrix {
    /// Aggregates `events` into an `users x items` matrix, decayed from `reference`.
    pub fn build(
        users: usize,
        items: usize,
        events: &[Interaction],
        config: &ConfidenceConfig,
        reference: Timestamp,
    ) -> Self {
        let triplets: Vec<(u32, u32, f32)> = events
            .iter()
            .map(|event| {
                (
                    event.user,
                    event.product,
                    config.event_weight(event) * config.decay(event.timestamp, reference),
                )
            })
            .collect();
        let user_items = CsrMatrix::from_triplets(users, items, &triplets);

        let mut kinds = vec![0u8; user_items.nnz()];
        for event in events {
            let (cols, _) = user_items.row(event.user as usize);
            if let Ok(k) = cols.binary_search(&event.product) {
                kinds[user_items.row_start(event.user as usize) + k] |= event.kind.bit();
            }
        }
        let item_users = user_items.transpose();
        InteractionMatrix {
            user_items,
            item_users,
            kinds,
        }
    }

    /// Returns the items of `user` with their strengths and kind sets.
    pub fn user_row(&self, user: usize) -> (&[u32], &[f32], &[u8]) {
        let (items, values) = self.user_items.row(user);
        let start = self.user_items.row_start(user);
        (items, values, &self.kinds[start..start + items.len()])
    }

    /// Adds a product without interactions.
    pub fn add_item(&mut self) {
        self.user_items.push_empty_column();
        self.item_users.push_empty_row();
    }

    /// Returns whether `user` bought `item` in the data this matrix was built from.
    pub fn purchased(&self, user: usize, item: u32) -> bool {
        let (items, _, kinds) = self.user_row(user);
        items
            .binary_search(&item)
            .is_ok_and(|k| kinds[k] & InteractionKind::Purchase.bit() != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(
        user: u32,
        product: u32,
        kind: InteractionKind,
        value: Option<f32>,
        day: i64,
    ) -> Interaction {
        Interaction {
            user,
            product,
            kind,
            value,
            timestamp: day * SECONDS_PER_DAY,
        }
    }

    #[test]
    fn weights_sum_with_decay() {
        let config = ConfidenceConfig {
            half_life_days: 10.0,
            ..Default::default()
        };
        let events = [
            event(0, 1, InteractionKind::View, None, 0), // 1 * 0.5^(20/10) = 0.25
            event(0, 1, InteractionKind::Purchase, None, 10), // 5 * 0.5 = 2.5
            event(0, 0, InteractionKind::Rating, Some(4.0), 20), // 4 * 1
            event(1, 0, InteractionKind::Cart, None, 20), // 3
        ];
        let m = InteractionMatrix::build(2, 2, &events, &config, 20 * SECONDS_PER_DAY);
        assert!((m.user_items.get(0, 1) - 2.75).abs() < 1e-6);
        assert!((m.user_items.get(0, 0) - 4.0).abs() < 1e-6);
        assert!((m.user_items.get(1, 0) - 3.0).abs() < 1e-6);
        assert!((m.item_users.get(1, 0) - 2.75).abs() < 1e-6);
        assert!(m.purchased(0, 1));
        assert!(!m.purchased(0, 0));
        assert!(!m.purchased(1, 0));
        let (_, _, kinds) = m.user_row(0);
        assert_eq!(
            kinds,
            &[
                InteractionKind::Rating.bit(),
                InteractionKind::View.bit() | InteractionKind::Purchase.bit()
            ]
        );
    }

    #[test]
    fn zero_half_life_rejected() {
        let config = ConfidenceConfig {
            half_life_days: 0.0,
            ..Default::default()
        };
        assert_eq!(
            config.validate().unwrap_err().to_string(),
            "invalid halfLifeDays: 0, expected a finite number of at least 0.000001"
        );
    }
}
