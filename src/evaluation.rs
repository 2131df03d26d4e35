//! Offline evaluation on a time-based split.
//!
//! Protocol: the last `test_days` of interactions are the test window and everything
//! before it trains the models. A test product is relevant to a user when the user put
//! it in the cart, bought it or rated it 4 or more in the test window, unless the user
//! had already bought it before the cutoff (purchased products are filtered from
//! recommendations, so they could never be hits). Views alone are not relevant: they are
//! too weak a signal of intent. Evaluated users have at least one training interaction
//! and at least one relevant test product; at most `max_users` of them are drawn with a
//! seeded shuffle. Every strategy ranks for the same users on the homepage context.

use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, InteractionKind, SECONDS_PER_DAY};
use crate::content::ContentModel;
use crate::error::{check_finite_at_least, check_range, Error, Result};
use crate::hybrid::{rank, Query};
use crate::metrics::{
    catalog_coverage, intra_list_diversity, ndcg_at_k, precision_at_k, recall_at_k,
};
use crate::request::MAX_K;
use crate::rng::Rng;
use crate::training::{Hooks, Models, Progress, Stage, TrainConfig};
use crate::weights::{Context, Weights};

/// Evaluation settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct EvaluationConfig {
    /// Cutoff of the metrics.
    pub k: usize,
    /// Length of the test window at the end of the data, in days.
    pub test_days: f64,
    /// The most users evaluated; a seeded sample when more qualify.
    pub max_users: usize,
    /// Seed of the user sample.
    pub seed: u64,
}

impl Default for EvaluationConfig {
    fn default() -> Self {
        EvaluationConfig {
            k: 10,
            test_days: 14.0,
            max_users: 2000,
            seed: 42,
        }
    }
}

/// Metrics of one strategy, averaged over the evaluated users.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct StrategyMetrics {
    /// Mean precision@k.
    pub precision: f64,
    /// Mean recall@k.
    pub recall: f64,
    /// Mean NDCG@k.
    pub ndcg: f64,
    /// Share of the catalog recommended to at least one user.
    pub coverage: f64,
    /// Mean intra-list diversity (1 - content cosine).
    pub diversity: f64,
    /// Users evaluated.
    pub users: usize,
}

/// Metrics per strategy.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct EvaluationReport {
    /// Trending only.
    pub popularity: StrategyMetrics,
    /// ALS only.
    pub collaborative: StrategyMetrics,
    /// Content profile only.
    pub content: StrategyMetrics,
    /// The automatic blend.
    pub hybrid: StrategyMetrics,
}

/// The strategies compared, with their fixed weights (`None` = automatic).
const STRATEGIES: [Option<Weights>; 4] = [
    Some(Weights::new(0.0, 0.0, 1.0)),
    Some(Weights::new(1.0, 0.0, 0.0)),
    Some(Weights::new(0.0, 1.0, 0.0)),
    None,
];

/// Trains on the data before the cutoff and measures every strategy on the test window.
pub fn evaluate(
    catalog: &Catalog,
    train: &TrainConfig,
    config: &EvaluationConfig,
    hooks: &mut Hooks,
) -> Result<EvaluationReport> {
    evaluate_with(catalog, train, config, None, hooks)
}

/// [`evaluate`], reusing a content model built from the same products and settings.
pub(crate) fn evaluate_with(
    catalog: &Catalog,
    train: &TrainConfig,
    config: &EvaluationConfig,
    content: Option<ContentModel>,
    hooks: &mut Hooks,
) -> Result<EvaluationReport> {
    check_range("k", config.k, 1, MAX_K)?;
    check_finite_at_least("testDays", config.test_days, 1e-6)?;
    check_range("maxUsers", config.max_users, 1, usize::MAX)?;
    let last = catalog
        .last_timestamp()
        .ok_or(Error::EmptyCatalog("interactions"))?;
    let cutoff = last - (config.test_days * SECONDS_PER_DAY as f64) as i64;
    let events = catalog.interactions();
    let split = events.partition_point(|e| e.timestamp <= cutoff);
    if split == 0 {
        return Err(Error::NothingToEvaluate(format!(
            "no interactions before the cutoff; testDays ({}) covers all the data",
            config.test_days
        )));
    }

    // Train on the past, reporting it as the first half of the evaluation.
    let progress = &mut *hooks.progress;
    let mut inner = |p: Progress| {
        let share = match p.stage {
            Stage::Confidence => 0.0,
            Stage::Collaborative => 0.05 + 0.35 * p.fraction,
            Stage::Content => 0.4,
            Stage::Popularity | Stage::Evaluation => 0.45,
        };
        progress(Progress::stage(Stage::Evaluation, share));
    };
    let (models, _) = Models::train(
        catalog,
        &events[..split],
        train,
        content,
        &mut Hooks {
            clock: hooks.clock,
            progress: &mut inner,
        },
    )?;

    let users = evaluation_users(catalog, &models, split, config);
    if users.is_empty() {
        return Err(Error::NothingToEvaluate(format!(
            "no user with training history has a cart, purchase or rating of 4+ in the last {} days",
            config.test_days
        )));
    }

    let items = catalog.products().len();
    let mut sums = [[0.0f64; 4]; 4];
    let mut lists: Vec<Vec<Vec<u32>>> = (0..4).map(|_| Vec::with_capacity(users.len())).collect();
    for (done, (user, relevant)) in users.iter().enumerate() {
        let history_items = models.user_row(*user).0.len();
        for (s, weights) in STRATEGIES.iter().enumerate() {
            let weights =
                weights.unwrap_or_else(|| Weights::automatic(Context::Homepage, history_items));
            let query = Query::homepage(Some(*user), weights, config.k);
            let list: Vec<u32> = rank(&models, &query).iter().map(|r| r.item).collect();
            sums[s][0] += precision_at_k(&list, relevant, config.k);
            sums[s][1] += recall_at_k(&list, relevant, config.k);
            sums[s][2] += ndcg_at_k(&list, relevant, config.k);
            sums[s][3] += intra_list_diversity(&list, |a, b| {
                models.content.similarity(a as usize, b as usize)
            });
            lists[s].push(list);
        }
        if done % 50 == 0 {
            (hooks.progress)(Progress::stage(
                Stage::Evaluation,
                0.5 + 0.5 * done as f64 / users.len() as f64,
            ));
        }
    }
    (hooks.progress)(Progress::stage(Stage::Evaluation, 1.0));

    let n = users.len() as f64;
    let metrics = |s: usize| StrategyMetrics {
        precision: sums[s][0] / n,
        recall: sums[s][1] / n,
        ndcg: sums[s][2] / n,
        coverage: catalog_coverage(&lists[s], items),
        diversity: sums[s][3] / n,
        users: users.len(),
    };
    Ok(EvaluationReport {
        popularity: metrics(0),
        collaborative: metrics(1),
        content: metrics(2),
        hybrid: metrics(3),
    })
}

/// The evaluated users with their relevant test products (sorted), in user order.
fn evaluation_users(
    catalog: &Catalog,
    models: &Models,
    split: usize,
    config: &EvaluationConfig,
) -> Vec<(usize, Vec<u32>)> {
    let mut relevant: Vec<Vec<u32>> = vec![Vec::new(); catalog.users().len()];
    for event in &catalog.interactions()[split..] {
        let intent = match event.kind {
            InteractionKind::Cart | InteractionKind::Purchase => true,
            InteractionKind::Rating => event.value.unwrap_or(0.0) >= 4.0,
            InteractionKind::View | InteractionKind::NotInterested => false,
        };
        let user = event.user as usize;
        if intent
            && !models.interactions.purchased(user, event.product)
            && !relevant[user].contains(&event.product)
        {
            relevant[user].push(event.product);
        }
    }
    let mut users: Vec<(usize, Vec<u32>)> = relevant
        .into_iter()
        .enumerate()
        .filter(|(user, items)| !items.is_empty() && !models.user_row(*user).0.is_empty())
        .collect();
    if users.len() > config.max_users {
        Rng::new(config.seed).shuffle(&mut users);
        users.truncate(config.max_users);
        users.sort_by_key(|(user, _)| *user);
    }
    for (_, items) in &mut users {
        items.sort_unstable();
    }
    users
}
