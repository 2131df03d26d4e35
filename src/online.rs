//! Updates between trainings: a recorded interaction folds its user in against the fixed
//! item factors, a product added at run time joins the content and popularity models,
//! and a forgotten user loses history and factors.
//!
//! Fold-in solves the user's own least-squares problem exactly,
//! `(Y^T C^u Y + lambda I) x_u = Y^T C^u p_u`, with the same `Y^T Y` as training, so the
//! user's next recommendation reflects the event at once and a brand-new user gets
//! factors from their first interaction. Item factors stay as trained until the next
//! full training.

use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, Interaction, InteractionKind, Product, User};
use crate::confidence::ConfidenceConfig;
use crate::error::{Error, Result};
use crate::popularity::Popularity;
use crate::recommender::Recommender;
use crate::request::RecordedInteraction;
use crate::training::{Models, TrainConfig};

/// A user's history and factors as changed since training.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UserUpdate {
    items: Vec<u32>,
    strengths: Vec<f32>,
    kinds: Vec<u8>,
    factors: Vec<f32>,
}

impl Models {
    /// Returns the products of `user` with their strengths `r_ui` and kind sets, including events
    /// recorded since training.
    pub fn user_row(&self, user: usize) -> (&[u32], &[f32], &[u8]) {
        if let Some(update) = self.updates.get(&(user as u32)) {
            return (&update.items, &update.strengths, &update.kinds);
        }
        if user < self.interactions.user_items.rows() {
            return self.interactions.user_row(user);
        }
        (&[], &[], &[])
    }

    /// Returns the user's ALS factors, or `None` when they are all zero (no usable history).
    pub fn user_factors(&self, user: usize) -> Option<&[f32]> {
        let factors = match self.updates.get(&(user as u32)) {
            Some(update) => &update.factors[..],
            None if user < self.interactions.user_items.rows() => self.als.user_vector(user),
            None => return None,
        };
        factors.iter().any(|&v| v != 0.0).then_some(factors)
    }

    /// Checks every part against a catalog of `users` and `items`, for models read from
    /// bytes, so that no query can index out of range. Returns a description of the
    /// first problem.
    pub fn check(&self, users: usize, items: usize) -> std::result::Result<(), String> {
        let matrix = &self.interactions;
        matrix.user_items.check()?;
        matrix.item_users.check()?;
        if matrix.user_items.cols() != items
            || matrix.user_items.rows() > users
            || matrix.item_users.rows() != items
            || matrix.item_users.cols() != matrix.user_items.rows()
            || matrix.kinds.len() != matrix.user_items.nnz()
        {
            return Err("the interaction matrix does not match the catalog".to_string());
        }
        self.als.check(users, items)?;
        self.content.check(items)?;
        self.popularity.check(users, items)?;
        for (&user, update) in &self.updates {
            let sorted = update.items.windows(2).all(|w| w[0] < w[1]);
            if user as usize >= users
                || !sorted
                || update.items.iter().any(|&i| i as usize >= items)
                || update.strengths.len() != update.items.len()
                || update.kinds.len() != update.items.len()
                || update.factors.len() != self.als.factors()
                || update
                    .factors
                    .iter()
                    .chain(&update.strengths)
                    .any(|v| !v.is_finite())
            {
                return Err(format!("the update of user {user} is inconsistent"));
            }
        }
        Ok(())
    }

    /// Returns how many users changed since training.
    pub fn updated_users(&self) -> usize {
        self.updates.len()
    }

    /// Adds an event recorded after training to the user's history, folds the user in
    /// and counts the event as trending.
    pub fn record(&mut self, event: &Interaction, confidence: &ConfidenceConfig) {
        let user = event.user;
        let mut update = self.updates.remove(&user).unwrap_or_else(|| {
            let (items, strengths, kinds) = self.user_row(user as usize);
            UserUpdate {
                items: items.to_vec(),
                strengths: strengths.to_vec(),
                kinds: kinds.to_vec(),
                factors: Vec::new(),
            }
        });
        let strength =
            confidence.event_weight(event) * confidence.decay(event.timestamp, self.reference);
        match update.items.binary_search(&event.product) {
            Ok(k) => {
                update.strengths[k] += strength;
                update.kinds[k] |= event.kind.bit();
            }
            Err(k) => {
                update.items.insert(k, event.product);
                update.strengths.insert(k, strength);
                update.kinds.insert(k, event.kind.bit());
            }
        }
        update.factors = self.als.solve_user(&update.items, &update.strengths);
        self.updates.insert(user, update);
        self.popularity.record(event);
    }

    /// Drops everything the models hold of `user`'s own history: the row, the factors
    /// and the popularity counts, which are rebuilt from `catalog` (whose interactions of
    /// the user must already be removed). Item factors keep what they learned from the
    /// user until the next training.
    pub fn forget(&mut self, user: u32, catalog: &Catalog, config: &TrainConfig) -> Result<()> {
        let update = UserUpdate {
            factors: vec![0.0; self.als.factors()],
            ..Default::default()
        };
        self.updates.insert(user, update);
        self.popularity = Popularity::build(
            catalog,
            catalog.interactions(),
            &config.confidence,
            self.reference,
            &config.popularity,
        )?;
        Ok(())
    }

    /// Registers a user added after training.
    pub fn add_user(&mut self, user: &User) {
        self.popularity.add_user(user);
    }

    /// Registers a product added after training under category index `category`. It has
    /// no ALS factors until the next training but is reachable through content.
    pub fn add_item(&mut self, product: &Product, category: u32) {
        self.content.add_item(product);
        self.als.add_item();
        self.interactions.add_item();
        self.popularity.add_item(category);
    }
}

impl Recommender {
    /// Records what a shopper just did. An unknown user id creates the user. With trained
    /// models, the user is folded in and popularity updated, so the next
    /// recommendation reflects the event; the user's cached lists are dropped.
    ///
    /// Fails on an unknown product, a rating without a value from 1 to 5, or a value on
    /// another type; nothing is recorded then.
    pub fn record_interaction(&mut self, record: &RecordedInteraction) -> Result<()> {
        let product = self.catalog.product_index(&record.product_id)?;
        match (record.kind, record.value) {
            (InteractionKind::Rating, Some(v)) if (1.0..=5.0).contains(&v) => {}
            (InteractionKind::Rating, value) => {
                return Err(Error::invalid(
                    "value",
                    value.map_or("missing".to_string(), |v| v.to_string()),
                    "a rating from 1 to 5 for type \"rating\"",
                ))
            }
            (kind, Some(value)) => {
                return Err(Error::invalid(
                    "value",
                    value,
                    format!("no value for type {:?}", kind.as_str()),
                ))
            }
            (_, None) => {}
        }
        if record.user_id.is_empty() {
            return Err(Error::invalid("userId", "\"\"", "a non-empty string"));
        }

        let user = match self.catalog.user_index(&record.user_id) {
            Some(user) => user,
            None => {
                let user = User {
                    id: record.user_id.clone(),
                    age_band: None,
                    region: None,
                };
                if let Some(models) = &mut self.models {
                    models.add_user(&user);
                }
                self.catalog.add_user(user)?
            }
        };
        let event = Interaction {
            user,
            product,
            kind: record.kind,
            value: record.value,
            timestamp: record.timestamp,
        };
        self.catalog.add_interaction(event)?;
        if let Some(models) = &mut self.models {
            models.record(&event, &self.config.confidence);
        }
        self.interactions_since_training += 1;
        self.cache.invalidate_user(&record.user_id);
        Ok(())
    }

    /// Adds a product at run time. It is recommendable at once through content
    /// similarity (product pages, users who liked similar products) and gets ALS factors
    /// at the next training. Fails on a duplicate id or an invalid price.
    pub fn add_product(&mut self, product: Product) -> Result<()> {
        let index = self.catalog.add_product(product)? as usize;
        let category = self.catalog.product_categories()[index];
        if let Some(models) = &mut self.models {
            models.add_item(&self.catalog.products()[index], category);
        }
        self.cache.clear();
        Ok(())
    }

    /// Removes every interaction of the user, their factors and their share of the
    /// popularity counts, and returns how many interactions were removed (0 for an
    /// unknown user). Item factors keep what they learned from the user until the next
    /// training.
    pub fn forget_user(&mut self, user_id: &str) -> Result<usize> {
        let Some(user) = self.catalog.user_index(user_id) else {
            return Ok(0);
        };
        let removed = self.catalog.remove_user_interactions(user);
        if let Some(models) = &mut self.models {
            models.forget(user, &self.catalog, &self.config)?;
        }
        self.cache.invalidate_user(user_id);
        Ok(removed)
    }
}

#[cfg(test)]
mod tests {
    use crate::catalog::{InteractionKind, SECONDS_PER_DAY};
    use crate::{generate, Hooks, Models, SyntheticConfig, TrainConfig};

    use super::*;

    fn trained() -> (Catalog, Models, TrainConfig) {
        let shop = generate(&SyntheticConfig {
            users: 200,
            products: 100,
            days: 30,
            seed: 4,
        })
        .unwrap();
        let mut config = TrainConfig::default();
        config.als.factors = 8;
        config.als.iterations = 6;
        let (models, _) = Models::train(
            &shop.catalog,
            shop.catalog.interactions(),
            &config,
            None,
            &mut Hooks {
                clock: &|| 0.0,
                progress: &mut |_| {},
            },
        )
        .unwrap();
        (shop.catalog, models, config)
    }

    #[test]
    fn fold_in_matches_full_user_solve() {
        // Folding in a new event must give the factors that an exact ALS user step gives
        // for the same item factors and the user's new row.
        let (catalog, mut models, config) = trained();
        let user = 3u32;
        let product = 7u32;
        let event = Interaction {
            user,
            product,
            kind: InteractionKind::Purchase,
            value: None,
            timestamp: models.reference + SECONDS_PER_DAY,
        };
        let (items, strengths, _) = models.user_row(user as usize);
        let mut expected_row: Vec<(u32, f32)> = items
            .iter()
            .copied()
            .zip(strengths.iter().copied())
            .collect();
        match expected_row.binary_search_by_key(&product, |&(i, _)| i) {
            Ok(k) => expected_row[k].1 += 5.0,
            Err(k) => expected_row.insert(k, (product, 5.0)),
        }
        models.record(&event, &config.confidence);

        let (items, strengths, kinds) = models.user_row(user as usize);
        let pairs: Vec<(u32, f32)> = items
            .iter()
            .copied()
            .zip(strengths.iter().copied())
            .collect();
        assert_eq!(pairs, expected_row);
        let k = items.binary_search(&product).unwrap();
        assert_ne!(kinds[k] & InteractionKind::Purchase.bit(), 0);

        // Reference: a dense normal-equation solve built from scratch, in f64.
        let f = models.als.factors();
        let y = |i: u32| {
            models
                .als
                .item_vector(i as usize)
                .iter()
                .map(|&v| v as f64)
                .collect::<Vec<f64>>()
        };
        let mut a = nalgebra::DMatrix::<f64>::zeros(f, f);
        let mut b = nalgebra::DVector::<f64>::zeros(f);
        for i in 0..catalog.products().len() as u32 {
            let yi = nalgebra::DVector::from_vec(y(i));
            let r = pairs.iter().find(|p| p.0 == i).map_or(0.0, |p| p.1 as f64);
            let c = 1.0 + config.als.alpha as f64 * r;
            a += &yi * yi.transpose() * c;
            if r > 0.0 {
                b += &yi * c;
            }
        }
        for d in 0..f {
            a[(d, d)] += config.als.regularization as f64;
        }
        let exact = a.cholesky().unwrap().solve(&b);
        let folded = models.user_factors(user as usize).unwrap();
        for d in 0..f {
            assert!(
                (folded[d] as f64 - exact[d]).abs() < 1e-4,
                "factor {d}: {} vs {}",
                folded[d],
                exact[d]
            );
        }
    }

    #[test]
    fn new_user_gets_factors_from_first_event() {
        let (mut catalog, mut models, config) = trained();
        let user = User {
            id: "visitor".into(),
            age_band: None,
            region: None,
        };
        let index = catalog.add_user(user.clone()).unwrap();
        models.add_user(&user);
        assert!(models.user_factors(index as usize).is_none());
        assert_eq!(models.user_row(index as usize).0.len(), 0);
        let event = Interaction {
            user: index,
            product: 2,
            kind: InteractionKind::View,
            value: None,
            timestamp: models.reference,
        };
        models.record(&event, &config.confidence);
        assert!(models.user_factors(index as usize).is_some());
        assert_eq!(models.user_row(index as usize).0, &[2]);
    }

    #[test]
    fn not_interested_lowers_the_score() {
        let (_, mut models, config) = trained();
        let user = 5usize;
        let x_before = models.user_factors(user).unwrap().to_vec();
        let target = (0..100).max_by(|&a, &b| {
            let score = |i: usize| crate::als::dot(&x_before, models.als.item_vector(i));
            score(a).total_cmp(&score(b))
        });
        let target = target.unwrap() as u32;
        let before = crate::als::dot(&x_before, models.als.item_vector(target as usize));
        let event = Interaction {
            user: user as u32,
            product: target,
            kind: InteractionKind::NotInterested,
            value: None,
            timestamp: models.reference,
        };
        models.record(&event, &config.confidence);
        let after = crate::als::dot(
            models.user_factors(user).unwrap(),
            models.als.item_vector(target as usize),
        );
        assert!(after < before - 0.05, "score {before} -> {after}");
    }

    #[test]
    fn forget_clears_row_and_factors() {
        let (mut catalog, mut models, config) = trained();
        let user = (0..200u32)
            .find(|&u| !models.user_row(u as usize).0.is_empty())
            .unwrap();
        let removed = catalog.remove_user_interactions(user);
        assert!(removed > 0);
        models.forget(user, &catalog, &config).unwrap();
        assert!(models.user_row(user as usize).0.is_empty());
        assert!(models.user_factors(user as usize).is_none());
        assert_eq!(catalog.user_interactions(user).count(), 0);
    }
}
