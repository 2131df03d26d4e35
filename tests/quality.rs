//! Ranking quality on the synthetic shop, checked against its hidden tastes.

use hybrid_recommender::{
    generate, EvaluationConfig, Hooks, RecommendRequest, Recommender, SyntheticConfig, TrainConfig,
    Weights,
};

fn no_hooks() -> (impl Fn() -> f64, impl FnMut(hybrid_recommender::Progress)) {
    (|| 0.0, |_| {})
}

#[test]
fn hybrid_beats_popularity_on_time_split() {
    let shop = generate(&SyntheticConfig {
        users: 3000,
        products: 1500,
        days: 90,
        seed: 5,
    })
    .unwrap();
    let mut recommender = Recommender::new(shop.catalog);
    let (clock, mut progress) = no_hooks();
    recommender
        .train(
            TrainConfig::default(),
            &mut Hooks {
                clock: &clock,
                progress: &mut progress,
            },
        )
        .unwrap();
    let report = recommender
        .evaluate(
            &EvaluationConfig::default(),
            &mut Hooks {
                clock: &clock,
                progress: &mut progress,
            },
        )
        .unwrap();
    let (hybrid, popularity) = (&report.hybrid, &report.popularity);
    assert!(hybrid.users > 300, "{} users", hybrid.users);
    assert!(
        hybrid.ndcg > 1.5 * popularity.ndcg,
        "NDCG hybrid {} popularity {}",
        hybrid.ndcg,
        popularity.ndcg
    );
    assert!(
        report.collaborative.ndcg > popularity.ndcg,
        "NDCG ALS {} popularity {}",
        report.collaborative.ndcg,
        popularity.ndcg
    );
    // The hybrid's lower interval bound clears the popularity mean: the gap is not noise.
    assert!(
        hybrid.ci["ndcg"][0] > popularity.ndcg,
        "hybrid interval {:?}",
        hybrid.ci["ndcg"]
    );
    assert!(
        hybrid.coverage > 3.0 * popularity.coverage,
        "coverage {} vs {}",
        hybrid.coverage,
        popularity.coverage
    );
    // MMR buys diversity.
    assert!(
        report.hybrid_mmr.diversity > hybrid.diversity,
        "{} vs {}",
        report.hybrid_mmr.diversity,
        hybrid.diversity
    );
    // Active users are served better by the hybrid than by popularity.
    let active = &report.segments.active;
    assert!(
        active["hybrid"].ndcg > 2.0 * active["popularity"].ndcg,
        "active {} vs {}",
        active["hybrid"].ndcg,
        active["popularity"].ndcg
    );
    let segments = [
        &report.segments.cold,
        &report.segments.new,
        &report.segments.active,
    ];
    let segment_users: usize = segments.iter().map(|table| table["hybrid"].users).sum();
    assert_eq!(segment_users, hybrid.users);
}

#[test]
fn recommendations_match_true_tastes() {
    // The mean true affinity of what the hybrid recommends to active users is well
    // above what trending alone recommends to them, with and without MMR.
    let shop = generate(&SyntheticConfig {
        users: 1500,
        products: 800,
        days: 60,
        seed: 9,
    })
    .unwrap();
    let truth = shop.truth;
    let mut recommender = Recommender::new(shop.catalog);
    let (clock, mut progress) = no_hooks();
    recommender
        .train(
            TrainConfig::default(),
            &mut Hooks {
                clock: &clock,
                progress: &mut progress,
            },
        )
        .unwrap();

    let counts = recommender.catalog().interaction_counts();
    let (mut hybrid, mut diverse, mut trending, mut n) = (0.0, 0.0, 0.0, 0.0);
    for (user, _) in counts
        .iter()
        .enumerate()
        .filter(|(_, &c)| c >= 10)
        .take(300)
    {
        let id = recommender.catalog().users()[user].id.clone();
        let mean_affinity = |weights: Option<Weights>, mmr_lambda: f32| {
            let request = RecommendRequest {
                user_id: Some(id.clone()),
                weights,
                mmr_lambda,
                ..Default::default()
            };
            let list = recommender.recommend_uncached(&request).unwrap();
            list.iter()
                .map(|r| {
                    truth.affinity(
                        user,
                        recommender.catalog().product_index(&r.product_id).unwrap() as usize,
                    )
                })
                .sum::<f64>()
                / list.len() as f64
        };
        hybrid += mean_affinity(None, 1.0);
        diverse += mean_affinity(None, 0.7);
        trending += mean_affinity(Some(Weights::new(0.0, 0.0, 1.0)), 1.0);
        n += 1.0;
    }
    assert!(n >= 100.0, "{n} active users");
    // MMR gives up some relevance for variety, but stays far above trending.
    assert!(
        diverse / n > trending / n + 0.5,
        "hybrid with MMR {} trending {}",
        diverse / n,
        trending / n
    );
    assert!(
        hybrid / n > trending / n + 1.0,
        "hybrid {} trending {}",
        hybrid / n,
        trending / n
    );
}
