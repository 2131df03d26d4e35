//! Property tests of the invariants every input must keep.

#![cfg(not(target_arch = "wasm32"))]

use std::collections::HashSet;

use hybrid_recommender::diversity::{ensure_categories, mmr_order};
use hybrid_recommender::metrics::{
    average_precision_at_k, hit_at_k, intra_list_diversity, ndcg_at_k, precision_at_k, recall_at_k,
    reciprocal_rank_at_k,
};
use hybrid_recommender::{
    generate, Catalog, Context, Hooks, Interaction, InteractionKind, Product, RecommendRequest,
    Recommender, SyntheticConfig, TrainConfig, User, Weights,
};
use proptest::prelude::*;

fn distinct(max: u32, len: std::ops::Range<usize>) -> impl Strategy<Value = Vec<u32>> {
    proptest::collection::hash_set(0..max, len).prop_map(|set| set.into_iter().collect())
}

proptest! {
    #[test]
    fn metrics_stay_in_unit_interval(list in distinct(40, 0..20), relevant in distinct(40, 1..10), k in 1usize..25) {
        for value in [
            precision_at_k(&list, &relevant, k),
            recall_at_k(&list, &relevant, k),
            ndcg_at_k(&list, &relevant, k),
            average_precision_at_k(&list, &relevant, k),
            reciprocal_rank_at_k(&list, &relevant, k),
            hit_at_k(&list, &relevant, k),
        ] {
            prop_assert!((0.0..=1.0).contains(&value), "{value}");
        }
    }

    #[test]
    fn diversity_stays_in_unit_interval(list in distinct(30, 0..12), seed in any::<u64>()) {
        let similarity = |a: u32, b: u32| (((a as u64 * 31 + b as u64 * 17) ^ seed) % 2001) as f32 / 1000.0 - 1.0;
        let value = intra_list_diversity(&list, similarity);
        prop_assert!((0.0..=1.0).contains(&value), "{value}");
    }

    #[test]
    fn mmr_returns_distinct_positions(relevance in proptest::collection::vec(0.0f32..1.0, 0..30), k in 0usize..40, lambda in 0.0f32..=1.0) {
        let order = mmr_order(&relevance, k, lambda, |a, b| ((a * 7 + b * 3) % 10) as f32 / 10.0);
        prop_assert_eq!(order.len(), k.min(relevance.len()));
        let unique: HashSet<usize> = order.iter().copied().collect();
        prop_assert_eq!(unique.len(), order.len());
        prop_assert!(order.iter().all(|&i| i < relevance.len()));
    }

    #[test]
    fn category_guarantee_permutes_its_input(categories in proptest::collection::vec(0u32..6, 0..40), k in 1usize..15, min in 0usize..8) {
        let mut items: Vec<(usize, u32)> = categories.iter().copied().enumerate().collect();
        let before = items.clone();
        ensure_categories(&mut items, k, min, |&(_, c)| c);
        let mut sorted = items.clone();
        sorted.sort();
        prop_assert_eq!(sorted, before.clone());
        // The guarantee is met whenever the candidates allow it.
        let available: HashSet<u32> = categories.iter().copied().collect();
        let shown: HashSet<u32> = items.iter().take(k).map(|&(_, c)| c).collect();
        prop_assert!(shown.len() >= min.min(available.len()).min(k.min(items.len())));
    }
}

/// Generates a small random catalog: products in a few categories, users with random events.
fn catalog_strategy() -> impl Strategy<Value = Catalog> {
    (
        1usize..25,
        1usize..8,
        proptest::collection::vec((0usize..8, 0usize..25, 0u8..5, 0i64..1000), 0..60),
    )
        .prop_map(|(products, users, events)| {
            let products: Vec<Product> = (0..products)
                .map(|i| Product {
                    id: format!("p{i}"),
                    name: format!("Product {i}"),
                    category: format!("c{}", i % 4),
                    brand: format!("b{}", i % 3),
                    price: 1.0 + i as f64,
                    description: format!("word{} word{} shared", i % 5, i % 7),
                })
                .collect();
            let user_list: Vec<User> = (0..users)
                .map(|u| User {
                    id: format!("u{u}"),
                    age_band: None,
                    region: None,
                })
                .collect();
            let kinds = [
                InteractionKind::View,
                InteractionKind::Cart,
                InteractionKind::Purchase,
                InteractionKind::Rating,
                InteractionKind::NotInterested,
            ];
            let events = events
                .into_iter()
                .filter(|&(u, p, _, _)| u < users && p < products.len())
                .map(|(u, p, kind, t)| {
                    let kind = kinds[kind as usize];
                    let value = (kind == InteractionKind::Rating).then_some(4.0);
                    Interaction {
                        user: u as u32,
                        product: p as u32,
                        kind,
                        value,
                        timestamp: t * 3600,
                    }
                })
                .collect();
            Catalog::new(products, user_list, events).unwrap()
        })
}

/// A request as (user, context, k, weights, exclude purchased, MMR lambda, minimum
/// categories, page product, cart product).
type RequestParts = (
    usize,
    u8,
    usize,
    Option<(f32, f32, f32)>,
    bool,
    f32,
    usize,
    usize,
    usize,
);

fn request_strategy() -> impl Strategy<Value = RequestParts> {
    (
        0usize..10,
        0u8..3,
        1usize..30,
        proptest::option::of((0.0f32..1.0, 0.0f32..1.0, 0.01f32..1.0)),
        any::<bool>(),
        0.0f32..=1.0,
        0usize..5,
        0usize..25,
        0usize..25,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn requests_keep_the_contract(catalog in catalog_strategy(), requests in proptest::collection::vec(request_strategy(), 1..6)) {
        let products = catalog.products().len();
        let mut recommender = Recommender::new(catalog);
        let mut config = TrainConfig::default();
        config.als.factors = 3;
        config.als.iterations = 2;
        recommender.train(config, &mut Hooks { clock: &|| 0.0, progress: &mut |_| {} }).unwrap();
        for (user, context, k, weights, exclude_purchased, mmr_lambda, min_categories, anchor, cart_item) in requests {
            let user_id = format!("u{user}");
            let (context, product_id, cart) = match context {
                0 => (Context::Homepage, None, vec![]),
                1 => (Context::ProductPage, Some(format!("p{}", anchor % products)), vec![]),
                _ => (Context::Cart, None, vec![format!("p{}", cart_item % products)]),
            };
            let request = RecommendRequest {
                user_id: Some(user_id.clone()),
                k,
                context,
                product_id: product_id.clone(),
                cart_product_ids: cart.clone(),
                weights: weights.map(|(a, b, c)| Weights::new(a, b, c)),
                exclude_purchased,
                mmr_lambda,
                min_categories,
                preferred_categories: vec![],
                exclude_product_ids: vec![format!("p{}", (anchor + 1) % products)],
            };
            let list = recommender.recommend(&request).unwrap();
            let history = recommender.user_history(&user_id);
            let hidden: HashSet<&str> = history.iter().filter(|h| h.kind == InteractionKind::NotInterested).map(|h| h.product_id.as_str()).collect();
            let bought: HashSet<&str> = history.iter().filter(|h| h.kind == InteractionKind::Purchase).map(|h| h.product_id.as_str()).collect();
            let mut excluded: HashSet<&str> = hidden.clone();
            if exclude_purchased {
                excluded.extend(bought.iter().copied());
            }
            if let Some(anchor) = &product_id {
                excluded.insert(anchor.as_str());
            }
            excluded.extend(cart.iter().map(String::as_str));
            excluded.extend(request.exclude_product_ids.iter().map(String::as_str));
            let ids: Vec<&str> = list.iter().map(|r| r.product_id.as_str()).collect();
            let unique: HashSet<&str> = ids.iter().copied().collect();
            prop_assert_eq!(unique.len(), ids.len(), "duplicates in {:?}", ids);
            for id in &ids {
                prop_assert!(!excluded.contains(id), "{} is excluded", id);
            }
            let eligible = products - excluded.len();
            prop_assert_eq!(ids.len(), k.min(eligible), "k {} eligible {}", k, eligible);
            for r in &list {
                prop_assert!(r.score.is_finite() && (0.0..=1.0).contains(&r.score));
                prop_assert!(!r.reason.is_empty());
            }
        }
    }

    #[test]
    fn same_seed_same_catalog(seed in any::<u64>()) {
        let config = SyntheticConfig { users: 40, products: 30, days: 10, seed };
        let a = generate(&config).unwrap().catalog;
        let b = generate(&config).unwrap().catalog;
        prop_assert_eq!(a.products(), b.products());
        prop_assert_eq!(a.interactions(), b.interactions());
    }
}
