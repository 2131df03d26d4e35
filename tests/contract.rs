//! The contract every request satisfies, and the cascade on tiny catalogs.

use hybrid_recommender::{
    generate, Catalog, Context, Hooks, Interaction, InteractionKind, Product, RecommendRequest,
    Recommender, SyntheticConfig, TrainConfig, User, Weights,
};

fn train(catalog: Catalog, factors: usize) -> Recommender {
    let mut recommender = Recommender::new(catalog);
    let mut config = TrainConfig::default();
    config.als.factors = factors;
    config.als.iterations = 8;
    recommender
        .train(
            config,
            &mut Hooks {
                clock: &|| 0.0,
                progress: &mut |_| {},
            },
        )
        .unwrap();
    recommender
}

fn synthetic() -> Recommender {
    let shop = generate(&SyntheticConfig {
        users: 500,
        products: 300,
        days: 40,
        seed: 11,
    })
    .unwrap();
    train(shop.catalog, 16)
}

fn request(user: &str, k: usize) -> RecommendRequest {
    RecommendRequest {
        user_id: Some(user.into()),
        k,
        ..Default::default()
    }
}

fn product(id: &str, category: &str, description: &str) -> Product {
    Product {
        id: id.into(),
        name: format!("Product {id}"),
        category: category.into(),
        brand: String::new(),
        price: 10.0,
        description: description.into(),
    }
}

fn event(user: u32, product: u32, kind: InteractionKind, timestamp: i64) -> Interaction {
    Interaction {
        user,
        product,
        kind,
        value: None,
        timestamp,
    }
}

#[test]
fn every_strategy_keeps_the_contract() {
    let mut recommender = synthetic();
    let strategies = [
        None,
        Some(Weights::new(1.0, 0.0, 0.0)),
        Some(Weights::new(0.0, 1.0, 0.0)),
        Some(Weights::new(0.0, 0.0, 1.0)),
        Some(Weights::new(0.3, 0.3, 0.3)),
    ];
    let users: Vec<String> = recommender
        .catalog()
        .users()
        .iter()
        .take(80)
        .map(|u| u.id.clone())
        .collect();
    for user in &users {
        let history = recommender.user_history(user);
        let bought: Vec<&str> = history
            .iter()
            .filter(|h| h.kind == InteractionKind::Purchase)
            .map(|h| h.product_id.as_str())
            .collect();
        for weights in strategies {
            for (context, product, cart) in [
                (Context::Homepage, None, vec![]),
                (Context::ProductPage, Some("p00003".to_string()), vec![]),
                (
                    Context::Cart,
                    None,
                    vec!["p00004".to_string(), "p00005".to_string()],
                ),
            ] {
                let req = RecommendRequest {
                    weights,
                    context,
                    product_id: product.clone(),
                    cart_product_ids: cart.clone(),
                    ..request(user, 12)
                };
                let list = recommender.recommend(&req).unwrap();
                assert_eq!(list.len(), 12, "{user} {weights:?} {context:?}");
                let mut ids: Vec<&str> = list.iter().map(|r| r.product_id.as_str()).collect();
                for id in &ids {
                    assert!(!bought.contains(id), "{user} bought {id}");
                    assert!(
                        Some(id.to_string()) != product,
                        "page product {id} recommended"
                    );
                    assert!(
                        !cart.iter().any(|c| c == id),
                        "cart product {id} recommended"
                    );
                }
                for r in &list {
                    assert!(
                        r.score.is_finite() && (0.0..=1.0).contains(&r.score),
                        "{r:?}"
                    );
                    assert!(!r.reason.is_empty());
                }
                ids.sort();
                ids.dedup();
                assert_eq!(ids.len(), 12, "duplicates for {user}");
                assert_eq!(
                    recommender.recommend(&req).unwrap(),
                    list,
                    "not deterministic"
                );
            }
        }
    }
}

#[test]
fn excluded_purchases_come_back_when_asked() {
    let catalog = Catalog::new(
        vec![
            product("a", "x", "red"),
            product("b", "x", "blue"),
            product("c", "y", "green"),
        ],
        vec![User {
            id: "u".into(),
            age_band: None,
            region: None,
        }],
        vec![
            event(0, 0, InteractionKind::Purchase, 10),
            event(0, 1, InteractionKind::View, 20),
        ],
    )
    .unwrap();
    let mut recommender = train(catalog, 2);
    let excluded = recommender.recommend(&request("u", 5)).unwrap();
    let ids: Vec<&str> = excluded.iter().map(|r| r.product_id.as_str()).collect();
    assert_eq!(ids.len(), 2, "only two products are eligible: {ids:?}");
    assert!(!ids.contains(&"a"));
    let all = recommender
        .recommend(&RecommendRequest {
            exclude_purchased: false,
            ..request("u", 5)
        })
        .unwrap();
    assert_eq!(all.len(), 3);
}

#[test]
fn cascade_fills_from_trending_then_catalog() {
    // One interaction in the data: the trending ranking has one product, so a new
    // visitor asking for three gets it first and then two products in catalog order.
    let catalog = Catalog::new(
        vec![
            product("a", "x", "red"),
            product("b", "x", "blue"),
            product("c", "y", "green"),
            product("d", "", ""),
        ],
        vec![User {
            id: "u".into(),
            age_band: None,
            region: None,
        }],
        vec![event(0, 2, InteractionKind::View, 10)],
    )
    .unwrap();
    let mut recommender = train(catalog, 2);
    let list = recommender.recommend(&request("visitor", 4)).unwrap();
    let ids: Vec<&str> = list.iter().map(|r| r.product_id.as_str()).collect();
    assert_eq!(ids, vec!["c", "a", "b", "d"]);
    let reasons: Vec<&str> = list.iter().map(|r| r.reason.as_str()).collect();
    assert_eq!(
        reasons,
        vec![
            "Trending in y",
            "More from x",
            "More from x",
            "More from the catalog"
        ]
    );
    assert_eq!(list[1].score, 0.0);
}

#[test]
fn content_only_request_for_new_visitor_falls_back_to_trending() {
    let mut recommender = synthetic();
    let req = RecommendRequest {
        weights: Some(Weights::new(0.0, 1.0, 0.0)),
        ..request("nobody", 5)
    };
    let list = recommender.recommend(&req).unwrap();
    assert_eq!(list.len(), 5);
    assert!(
        list.iter().all(|r| r.reason.starts_with("Trending in ")),
        "{list:?}"
    );
}

#[test]
fn new_product_reachable_through_content() {
    // Product "n" has no interactions, so no ALS signal; on its page, content
    // similarity still finds its twin.
    let catalog = Catalog::new(
        vec![
            product("a", "books", "mystery detective novel"),
            product("b", "garden", "garden hose sprinkler"),
            product("n", "books", "mystery detective thriller"),
        ],
        vec![User {
            id: "u".into(),
            age_band: None,
            region: None,
        }],
        vec![
            event(0, 0, InteractionKind::View, 10),
            event(0, 1, InteractionKind::View, 11),
        ],
    )
    .unwrap();
    let mut recommender = train(catalog, 2);
    let req = RecommendRequest {
        context: Context::ProductPage,
        product_id: Some("n".into()),
        ..request("u", 1)
    };
    let list = recommender.recommend(&req).unwrap();
    assert_eq!(list[0].product_id, "a");
    assert_eq!(list[0].reason, "Similar to Product n");
}

#[test]
fn collaborative_reason_names_a_history_product() {
    let mut recommender = synthetic();
    let active = recommender
        .catalog()
        .users()
        .iter()
        .find(|u| recommender.user_history(&u.id).len() >= 20)
        .unwrap();
    let history: Vec<String> = recommender
        .user_history(&active.id)
        .into_iter()
        .map(|h| h.name)
        .collect();
    let list = recommender.recommend(&request(&active.id, 10)).unwrap();
    let collaborative: Vec<&str> = list
        .iter()
        .map(|r| r.reason.as_str())
        .filter(|r| r.starts_with("Because you "))
        .collect();
    assert!(!collaborative.is_empty(), "{list:?}");
    for reason in collaborative {
        assert!(
            history.iter().any(|name| reason.contains(name.as_str())),
            "{reason}"
        );
    }
}

#[test]
fn unknown_product_is_an_error() {
    let mut recommender = synthetic();
    let req = RecommendRequest {
        context: Context::Cart,
        cart_product_ids: vec!["p99999".into()],
        ..request("u00001", 3)
    };
    assert_eq!(
        recommender.recommend(&req).unwrap_err().to_string(),
        "unknown product id \"p99999\": it is not in the catalog"
    );
    assert_eq!(
        recommender.similar_items("zz", 3).unwrap_err().to_string(),
        "unknown product id \"zz\": it is not in the catalog"
    );
}

#[test]
fn added_product_reaches_users_who_liked_similar_ones() {
    let catalog = Catalog::new(
        vec![
            product("a", "books", "mystery detective novel"),
            product("b", "garden", "garden hose sprinkler"),
            product("c", "garden", "lawn mower blades"),
        ],
        vec![
            User {
                id: "u".into(),
                age_band: None,
                region: None,
            },
            User {
                id: "v".into(),
                age_band: None,
                region: None,
            },
        ],
        vec![
            event(0, 0, InteractionKind::Purchase, 10),
            event(1, 1, InteractionKind::View, 11),
            event(1, 2, InteractionKind::View, 12),
        ],
    )
    .unwrap();
    let mut recommender = train(catalog, 2);
    recommender
        .add_product(product("n", "books", "mystery detective thriller"))
        .unwrap();
    // Without retraining, the content model ranks the new mystery first for the mystery
    // reader (it has no ALS factors or sales yet, so only content can know it).
    let req = RecommendRequest {
        weights: Some(Weights::new(0.0, 1.0, 0.0)),
        ..request("u", 1)
    };
    let list = recommender.recommend(&req).unwrap();
    assert_eq!(list[0].product_id, "n", "{list:?}");
    assert_eq!(list[0].reason, "Similar to Product a");
}
