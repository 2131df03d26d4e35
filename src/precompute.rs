//! Batch recommendations for every user, the offline job of a deployment that serves
//! precomputed lists.
//!
//! The collaborative scores of a block of users come from one matrix product
//! `S = Y X_B^T` (items x block) instead of one dot-product loop per user, and no reasons
//! are generated, so a batch costs less per user than single requests. Each user's list
//! is the same as `recommend` would return for the same homepage request without
//! re-ranking.

use std::collections::BTreeMap;

use nalgebra::DMatrixView;

use crate::error::{check_range, Error, Result};
use crate::hybrid::{rank, Query};
use crate::recommender::Recommender;
use crate::request::MAX_K;
use crate::weights::{Context, Weights};

/// Users scored per matrix product.
const BLOCK_USERS: usize = 256;

impl Recommender {
    /// Computes the top `k` product ids for every user on the homepage context with the
    /// automatic weights and no MMR, keyed by user id. Product pages and carts depend on
    /// what is on the page, so only `Context::Homepage` is accepted.
    pub fn precompute_all(
        &self,
        k: usize,
        context: Context,
    ) -> Result<BTreeMap<String, Vec<String>>> {
        self.precompute_users(k, context, 0..self.catalog.users().len())
    }

    /// [`Recommender::precompute_all`] for the users with indices in `users` only, for
    /// batches and benchmarks.
    pub fn precompute_users(
        &self,
        k: usize,
        context: Context,
        users: std::ops::Range<usize>,
    ) -> Result<BTreeMap<String, Vec<String>>> {
        check_range("k", k, 1, MAX_K)?;
        if context != Context::Homepage {
            return Err(Error::invalid(
                "context",
                format!("{:?}", context.as_str()),
                "\"homepage\": product pages and carts depend on the page, so they are not precomputed",
            ));
        }
        let models = self.models.as_ref().ok_or(Error::NotTrained)?;
        let products = self.catalog.products();
        let all_users = self.catalog.users();
        let (range_start, range_end) = (users.start, users.end);
        let items = products.len();
        let f = models.als.factors();

        let mut lists = BTreeMap::new();
        let mut block_factors = Vec::with_capacity(BLOCK_USERS * f);
        let end = range_end.min(all_users.len());
        for block_start in (range_start..end).step_by(BLOCK_USERS) {
            let block: Vec<usize> = (block_start..end.min(block_start + BLOCK_USERS)).collect();
            // Users without factors get a zero column; their queries never read it.
            block_factors.clear();
            for &user in &block {
                match models.user_factors(user) {
                    Some(x) => block_factors.extend_from_slice(x),
                    None => block_factors.extend(std::iter::repeat_n(0.0, f)),
                }
            }
            // Row-major factors viewed column-major are their transposes: Y^T is f x items
            // and X_B^T is f x block, so S = (Y^T)^T X_B^T is items x block, column per user.
            let item_view = DMatrixView::from_slice(models.als.item_factors(), f, items);
            let user_view = DMatrixView::from_slice(&block_factors, f, block.len());
            let scores = item_view.transpose() * user_view;

            for (column, &user) in block.iter().enumerate() {
                let history_items = models.user_row(user).0.len();
                let mut query = Query::homepage(
                    Some(user),
                    Weights::automatic(Context::Homepage, history_items),
                    k,
                );
                query.collaborative_scores =
                    Some(&scores.as_slice()[column * items..(column + 1) * items]);
                if history_items == 0 {
                    query.group_popularity = models.popularity.group_scores(user);
                }
                let ids = rank(models, &query)
                    .iter()
                    .map(|r| products[r.item as usize].id.clone())
                    .collect();
                lists.insert(all_users[user].id.clone(), ids);
            }
        }
        Ok(lists)
    }
}

#[cfg(test)]
mod tests {
    use crate::request::RecommendRequest;
    use crate::{generate, Hooks, Recommender, SyntheticConfig, TrainConfig};

    use super::*;

    #[test]
    fn batch_matches_single_requests() {
        let shop = generate(&SyntheticConfig {
            users: 600,
            products: 150,
            days: 30,
            seed: 2,
        })
        .unwrap();
        let mut recommender = Recommender::new(shop.catalog);
        let mut config = TrainConfig::default();
        config.als.factors = 12;
        config.als.iterations = 5;
        recommender
            .train(
                config,
                &mut Hooks {
                    clock: &|| 0.0,
                    progress: &mut |_| {},
                },
            )
            .unwrap();

        let lists = recommender.precompute_all(8, Context::Homepage).unwrap();
        assert_eq!(lists.len(), 600);
        for user in recommender.catalog().users().iter().step_by(7) {
            let request = RecommendRequest {
                user_id: Some(user.id.clone()),
                k: 8,
                mmr_lambda: 1.0,
                ..Default::default()
            };
            let single: Vec<String> = recommender
                .recommend_uncached(&request)
                .unwrap()
                .into_iter()
                .map(|r| r.product_id)
                .collect();
            assert_eq!(lists[&user.id], single, "user {}", user.id);
        }
        let err = recommender
            .precompute_all(8, Context::Cart)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("invalid context: \"cart\", expected \"homepage\""),
            "{err}"
        );
    }
}
