//! Offline evaluation on a time-based split: train | validation | test.
//!
//! Protocol: the last `test_days` of interactions are the test window; the
//! `validation_days` before them are the validation window, which [`tune`] scores
//! settings on, so no setting is chosen by looking at test data. [`evaluate`] trains on
//! everything before the test window and measures the test window.
//!
//! A product is relevant to a user when the user put it in the cart, bought it or rated
//! it 4 or more in the window, unless the user had bought it before (purchased products
//! are filtered from recommendations, so they could never be hits). Views alone are not
//! relevant: they are too weak a sign of intent. Every user with at least one relevant
//! product is evaluated, in one of three segments by their training interactions: cold
//! (none), new (1 to 4) and active (5 or more). Users who acted in the window without any
//! relevant product are skipped and counted. At most `max_users` users are drawn with a
//! seeded shuffle. Every strategy ranks for the same users on the homepage context.
//!
//! Means come with 95% percentile-bootstrap intervals over users (seeded).

mod bootstrap;
mod simulation;
mod tuning;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, InteractionKind, Timestamp, SECONDS_PER_DAY};
use crate::content::ContentModel;
use crate::error::{check_finite_at_least, check_range, Error, Result};
use crate::factors::ImportedFactors;
use crate::hybrid::{rank, user_profile_scores, Query};
use crate::metrics::{
    average_precision_at_k, catalog_coverage, hit_at_k, intra_list_diversity, mean_popularity_rank,
    ndcg_at_k, novelty, precision_at_k, recall_at_k, reciprocal_rank_at_k,
};
use crate::request::{DEFAULT_MMR_LAMBDA, MAX_K};
use crate::rng::Rng;
use crate::training::{Hooks, Models, Progress, Stage, TrainConfig};
use crate::weights::{Context, Weights};
use bootstrap::mean_intervals;

pub use simulation::{simulate_ab_test, AbArm, AbTestConfig, AbTestReport, ArmResult};
pub use tuning::{tune, TuningGrid, TuningReport, TuningRun};

/// Evaluation settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct EvaluationConfig {
    /// The cutoff of the headline metrics.
    pub k: usize,
    /// Further cutoffs reported in `atK`.
    pub ks: Vec<usize>,
    /// Length of the test window at the end of the data, in days.
    pub test_days: f64,
    /// Length of the validation window before the test window, in days.
    pub validation_days: f64,
    /// The maximum number of users evaluated; a seeded sample when more qualify.
    pub max_users: usize,
    /// Bootstrap resamples for the confidence intervals; 0 leaves them out.
    pub bootstrap: usize,
    /// Seed of the user sample and the bootstrap.
    pub seed: u64,
}

impl Default for EvaluationConfig {
    fn default() -> Self {
        EvaluationConfig {
            k: 10,
            ks: vec![5, 10, 20],
            test_days: 14.0,
            validation_days: 14.0,
            max_users: 2000,
            bootstrap: 1000,
            seed: 42,
        }
    }
}

impl EvaluationConfig {
    /// Rejects settings outside their documented ranges.
    pub fn validate(&self) -> Result<()> {
        check_range("k", self.k, 1, MAX_K)?;
        for &k in &self.ks {
            check_range("ks", k, 1, MAX_K)?;
        }
        check_finite_at_least("testDays", self.test_days, 1e-6)?;
        check_finite_at_least("validationDays", self.validation_days, 1e-6)?;
        check_range("maxUsers", self.max_users, 1, usize::MAX)?;
        check_range("bootstrap", self.bootstrap, 0, 100_000)
    }

    fn largest_k(&self) -> usize {
        self.ks
            .iter()
            .copied()
            .chain([self.k])
            .max()
            .unwrap_or(self.k)
    }
}

/// A ranking strategy compared in the evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// Trending only.
    Popularity,
    /// ALS only.
    Collaborative,
    /// Content profile only.
    Content,
    /// The automatic blend, in relevance order.
    Hybrid,
    /// The automatic blend re-ranked by MMR with the default lambda.
    HybridMmr,
}

impl Strategy {
    /// Every strategy, in report order.
    pub const ALL: [Strategy; 5] = [
        Strategy::Popularity,
        Strategy::Collaborative,
        Strategy::Content,
        Strategy::Hybrid,
        Strategy::HybridMmr,
    ];

    /// Returns the strategy's key in reports.
    pub fn name(self) -> &'static str {
        match self {
            Strategy::Popularity => "popularity",
            Strategy::Collaborative => "collaborative",
            Strategy::Content => "content",
            Strategy::Hybrid => "hybrid",
            Strategy::HybridMmr => "hybrid_mmr",
        }
    }

    /// Builds the homepage query of this strategy for a user.
    fn query<'a>(self, models: &Models, user: usize, k: usize) -> Query<'a> {
        let history_items = models.user_row(user).0.len();
        let automatic = Weights::automatic(Context::Homepage, history_items);
        let weights = match self {
            Strategy::Popularity => Weights::new(0.0, 0.0, 1.0),
            Strategy::Collaborative => Weights::new(1.0, 0.0, 0.0),
            Strategy::Content => Weights::new(0.0, 1.0, 0.0),
            Strategy::Hybrid | Strategy::HybridMmr => automatic,
        };
        let mut query = Query::homepage(Some(user), weights, k);
        if self == Strategy::HybridMmr {
            query.mmr_lambda = DEFAULT_MMR_LAMBDA;
        }
        if history_items == 0 {
            query.group_popularity = models.popularity.group_scores(user);
        }
        query
    }
}

/// Accuracy metrics at one cutoff, averaged over users.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccuracyAtK {
    /// Mean precision@k.
    pub precision: f64,
    /// Mean recall@k.
    pub recall: f64,
    /// Mean NDCG@k.
    pub ndcg: f64,
    /// MAP@k.
    pub map: f64,
    /// MRR@k.
    pub mrr: f64,
    /// Share of users with at least one hit in the top k.
    pub hit_rate: f64,
}

/// Metrics of one strategy over a group of users, at the headline cutoff unless noted.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StrategyMetrics {
    /// Mean precision@k.
    pub precision: f64,
    /// Mean recall@k.
    pub recall: f64,
    /// Mean NDCG@k.
    pub ndcg: f64,
    /// MAP@k.
    pub map: f64,
    /// MRR@k.
    pub mrr: f64,
    /// Share of users with a hit in the top k.
    pub hit_rate: f64,
    /// Share of the catalog recommended to at least one of the users.
    pub coverage: f64,
    /// Mean intra-list diversity (1 - content cosine).
    pub diversity: f64,
    /// Mean self-information of the recommended products, in bits.
    pub novelty: f64,
    /// Mean popularity rank of the recommended products (1 = most popular).
    pub popularity_bias: f64,
    /// Users evaluated.
    pub users: usize,
    /// 95% bootstrap intervals of the means, by metric name.
    pub ci: BTreeMap<&'static str, [f64; 2]>,
    /// The accuracy metrics at each cutoff of `ks`, keyed by the cutoff.
    pub at_k: BTreeMap<String, AccuracyAtK>,
}

/// Metrics per strategy for one group of users.
pub type StrategyTable = BTreeMap<&'static str, StrategyMetrics>;

/// Metrics per segment of users.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Segments {
    /// Users without training interactions.
    pub cold: StrategyTable,
    /// Users with 1 to 4 training interactions.
    pub new: StrategyTable,
    /// Users with 5 or more training interactions.
    pub active: StrategyTable,
}

/// The result of [`evaluate`].
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EvaluationReport {
    /// Trending only.
    pub popularity: StrategyMetrics,
    /// ALS only.
    pub collaborative: StrategyMetrics,
    /// Content profile only.
    pub content: StrategyMetrics,
    /// The automatic blend.
    pub hybrid: StrategyMetrics,
    /// The automatic blend with MMR.
    #[serde(rename = "hybrid_mmr")]
    pub hybrid_mmr: StrategyMetrics,
    /// The same metrics per user segment.
    pub segments: Segments,
    /// Users who acted in the window without a relevant product.
    pub skipped_users: usize,
    /// The headline cutoff.
    pub k: usize,
    /// Interactions the models were trained on.
    pub train_interactions: usize,
    /// Interactions in the measured window.
    pub test_interactions: usize,
}

/// The headline metrics (at `k`) kept per user for means, segments and intervals.
const USER_METRICS: [&str; 9] = [
    "precision",
    "recall",
    "ndcg",
    "map",
    "mrr",
    "hitRate",
    "diversity",
    "novelty",
    "popularityBias",
];

/// One evaluated user: segment, and per strategy the list and the metric values.
struct UserResult {
    segment: usize,
    lists: Vec<Vec<u32>>,
    /// `[strategy][metric]` at the headline cutoff, in [`USER_METRICS`] order.
    values: Vec<[f64; 9]>,
    /// `[strategy][cutoff]` accuracy at each of `ks`.
    at_k: Vec<Vec<[f64; 6]>>,
}

/// Trains on the data before the test window and measures every strategy on it.
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
    config.validate()?;
    let split = Split::new(catalog, config.test_days, 0.0)?;
    let models = train_before(catalog, split.train_end, train, content, hooks)?;
    measure(catalog, &models, &split, config, hooks)
}

/// [`evaluate`] with imported factors in place of fitting ALS. The factors must come
/// from the events before the test window, or the collaborative metrics see the test
/// data. `train.als` supplies `regularization` and `alpha` for users folded in.
pub fn evaluate_imported(
    catalog: &Catalog,
    train: &TrainConfig,
    config: &EvaluationConfig,
    imported: &ImportedFactors,
    hooks: &mut Hooks,
) -> Result<EvaluationReport> {
    evaluate_imported_with(catalog, train, config, None, imported, hooks)
}

/// [`evaluate_imported`], reusing a content model built from the same products and
/// settings.
pub(crate) fn evaluate_imported_with(
    catalog: &Catalog,
    train: &TrainConfig,
    config: &EvaluationConfig,
    content: Option<ContentModel>,
    imported: &ImportedFactors,
    hooks: &mut Hooks,
) -> Result<EvaluationReport> {
    let mut train = train.clone();
    train.als.factors = imported.factors();
    config.validate()?;
    let split = Split::new(catalog, config.test_days, 0.0)?;
    let events = &catalog.interactions()[..split.train_end];
    let progress = &mut *hooks.progress;
    let mut inner = |_: Progress| progress(Progress::stage(Stage::Evaluation, 0.0));
    let mut inner_hooks = Hooks {
        clock: hooks.clock,
        progress: &mut inner,
    };
    let (models, _, _) =
        Models::import(catalog, events, &train, content, imported, &mut inner_hooks)?;
    measure(catalog, &models, &split, config, hooks)
}

/// Event index ranges of a time split.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Split {
    /// Events `..train_end` train the models.
    pub train_end: usize,
    /// Events `train_end..window_end` are measured.
    pub window_end: usize,
}

impl Split {
    /// Splits off a measured window that ends `skip_days` before the newest event and is
    /// `window_days` long; the training data is everything before it.
    pub(crate) fn new(catalog: &Catalog, window_days: f64, skip_days: f64) -> Result<Split> {
        let last = catalog
            .last_timestamp()
            .ok_or(Error::EmptyCatalog("interactions"))?;
        let days = |d: f64| (d * SECONDS_PER_DAY as f64) as Timestamp;
        let window_stop = last - days(skip_days);
        let window_start = window_stop - days(window_days);
        let events = catalog.interactions();
        let train_end = events.partition_point(|e| e.timestamp <= window_start);
        let window_end = events.partition_point(|e| e.timestamp <= window_stop);
        if train_end == 0 {
            return Err(Error::NothingToEvaluate(format!(
                "no interactions before the cutoff; the windows ({} days) cover all the data",
                window_days + skip_days
            )));
        }
        Ok(Split {
            train_end,
            window_end,
        })
    }
}

/// Trains on the first `train_end` events, reporting it as the first half of the
/// evaluation's progress.
pub(crate) fn train_before(
    catalog: &Catalog,
    train_end: usize,
    train: &TrainConfig,
    content: Option<ContentModel>,
    hooks: &mut Hooks,
) -> Result<Models> {
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
    let events = &catalog.interactions()[..train_end];
    // The split's models are measured, never reported, so their loss is not computed.
    let mut train = train.clone();
    train.als.compute_loss = false;
    let (models, _) = Models::train(
        catalog,
        events,
        &train,
        content,
        &mut Hooks {
            clock: hooks.clock,
            progress: &mut inner,
        },
    )?;
    Ok(models)
}

/// Measures every strategy of trained `models` on the split's window.
pub(crate) fn measure(
    catalog: &Catalog,
    models: &Models,
    split: &Split,
    config: &EvaluationConfig,
    hooks: &mut Hooks,
) -> Result<EvaluationReport> {
    let (users, skipped) = window_users(catalog, models, split, config);
    if users.is_empty() {
        return Err(Error::NothingToEvaluate(
            "no user has a cart, purchase or rating of 4+ in the measured window".to_string(),
        ));
    }

    let popularity = TrainingPopularity::new(catalog, &catalog.interactions()[..split.train_end]);
    let largest = config.largest_k();
    let items = catalog.products().len();
    let mut results = Vec::with_capacity(users.len());
    for (done, (user, relevant, segment)) in users.iter().enumerate() {
        let mut result = UserResult {
            segment: *segment,
            lists: Vec::new(),
            values: Vec::new(),
            at_k: Vec::new(),
        };
        // Three strategies read each of these, so they are computed once per user.
        let collaborative = models.user_factors(*user).map(|x| {
            let mut scores = vec![0f32; items];
            models.als.score_all(x, &mut scores);
            scores
        });
        let content = (!models.user_row(*user).0.is_empty()).then(|| {
            let mut scores = vec![0f32; items];
            user_profile_scores(models, *user, &mut scores);
            scores
        });
        for strategy in Strategy::ALL {
            let mut query = strategy.query(models, *user, largest);
            query.collaborative_scores = collaborative.as_deref();
            query.content_scores = content.as_deref();
            let full: Vec<u32> = rank(models, &query).iter().map(|r| r.item).collect();
            let list = &full[..full.len().min(config.k)];
            let similarity = |a: u32, b: u32| models.content.similarity(a as usize, b as usize);
            result.values.push([
                precision_at_k(list, relevant, config.k),
                recall_at_k(list, relevant, config.k),
                ndcg_at_k(list, relevant, config.k),
                average_precision_at_k(list, relevant, config.k),
                reciprocal_rank_at_k(list, relevant, config.k),
                hit_at_k(list, relevant, config.k),
                intra_list_diversity(list, similarity),
                novelty(list, &popularity.item_users, popularity.users),
                mean_popularity_rank(list, &popularity.rank),
            ]);
            result.at_k.push(
                config
                    .ks
                    .iter()
                    .map(|&k| accuracy(&full, relevant, k))
                    .collect(),
            );
            result.lists.push(list.to_vec());
        }
        results.push(result);
        if done % 50 == 0 {
            (hooks.progress)(Progress::stage(
                Stage::Evaluation,
                0.5 + 0.4 * done as f64 / users.len() as f64,
            ));
        }
    }

    let all: Vec<&UserResult> = results.iter().collect();
    let table = summarize(&all, catalog.products().len(), config);
    (hooks.progress)(Progress::stage(Stage::Evaluation, 0.95));
    let segment = |s: usize| {
        let members: Vec<&UserResult> = results.iter().filter(|r| r.segment == s).collect();
        summarize(&members, catalog.products().len(), config)
    };
    let segments = Segments {
        cold: segment(0),
        new: segment(1),
        active: segment(2),
    };
    (hooks.progress)(Progress::stage(Stage::Evaluation, 1.0));

    let take = |name: &str| table.get(name).cloned().unwrap_or_default();
    Ok(EvaluationReport {
        popularity: take("popularity"),
        collaborative: take("collaborative"),
        content: take("content"),
        hybrid: take("hybrid"),
        hybrid_mmr: take("hybrid_mmr"),
        segments,
        skipped_users: skipped,
        k: config.k,
        train_interactions: split.train_end,
        test_interactions: split.window_end - split.train_end,
    })
}

fn accuracy(list: &[u32], relevant: &[u32], k: usize) -> [f64; 6] {
    [
        precision_at_k(list, relevant, k),
        recall_at_k(list, relevant, k),
        ndcg_at_k(list, relevant, k),
        average_precision_at_k(list, relevant, k),
        reciprocal_rank_at_k(list, relevant, k),
        hit_at_k(list, relevant, k),
    ]
}

/// Means, coverage, intervals and per-cutoff accuracy of every strategy over `users`.
fn summarize(users: &[&UserResult], items: usize, config: &EvaluationConfig) -> StrategyTable {
    let n = users.len();
    let mut table = StrategyTable::new();
    for (s, strategy) in Strategy::ALL.iter().enumerate() {
        let series: Vec<Vec<f64>> = (0..USER_METRICS.len())
            .map(|m| users.iter().map(|u| u.values[s][m]).collect())
            .collect();
        let mean = |m: usize| {
            if n == 0 {
                0.0
            } else {
                series[m].iter().sum::<f64>() / n as f64
            }
        };
        let lists: Vec<Vec<u32>> = users.iter().map(|u| u.lists[s].clone()).collect();

        let mut ci = BTreeMap::new();
        if config.bootstrap > 0 && n > 0 {
            let refs: Vec<&[f64]> = series.iter().map(Vec::as_slice).collect();
            let intervals = mean_intervals(&refs, config.bootstrap, config.seed ^ s as u64);
            for (name, interval) in USER_METRICS.iter().zip(intervals) {
                ci.insert(*name, interval);
            }
        }
        let mut at_k = BTreeMap::new();
        for (c, k) in config.ks.iter().enumerate() {
            let mean_at = |m: usize| {
                if n == 0 {
                    0.0
                } else {
                    users.iter().map(|u| u.at_k[s][c][m]).sum::<f64>() / n as f64
                }
            };
            at_k.insert(
                k.to_string(),
                AccuracyAtK {
                    precision: mean_at(0),
                    recall: mean_at(1),
                    ndcg: mean_at(2),
                    map: mean_at(3),
                    mrr: mean_at(4),
                    hit_rate: mean_at(5),
                },
            );
        }
        table.insert(
            strategy.name(),
            StrategyMetrics {
                precision: mean(0),
                recall: mean(1),
                ndcg: mean(2),
                map: mean(3),
                mrr: mean(4),
                hit_rate: mean(5),
                coverage: catalog_coverage(&lists, items),
                diversity: mean(6),
                novelty: mean(7),
                popularity_bias: mean(8),
                users: n,
                ci,
                at_k,
            },
        );
    }
    table
}

/// How many training users interacted with each product, and the products' popularity
/// ranks (1 = most users, ties by index).
struct TrainingPopularity {
    item_users: Vec<u32>,
    rank: Vec<u32>,
    users: usize,
}

impl TrainingPopularity {
    fn new(catalog: &Catalog, events: &[crate::catalog::Interaction]) -> Self {
        let items = catalog.products().len();
        let mut pairs: Vec<(u32, u32)> = events.iter().map(|e| (e.product, e.user)).collect();
        pairs.sort_unstable();
        pairs.dedup();
        let mut item_users = vec![0u32; items];
        for &(item, _) in &pairs {
            item_users[item as usize] += 1;
        }
        let mut users: Vec<u32> = events.iter().map(|e| e.user).collect();
        users.sort_unstable();
        users.dedup();
        let mut order: Vec<u32> = (0..items as u32).collect();
        order.sort_by(|&a, &b| {
            item_users[b as usize]
                .cmp(&item_users[a as usize])
                .then(a.cmp(&b))
        });
        let mut rank = vec![0u32; items];
        for (position, &item) in order.iter().enumerate() {
            rank[item as usize] = position as u32 + 1;
        }
        TrainingPopularity {
            item_users,
            rank,
            users: users.len(),
        }
    }
}

/// Returns the evaluated users of the window with their sorted relevant products and segment
/// (0 cold, 1 new, 2 active), and the count of users skipped for having none.
fn window_users(
    catalog: &Catalog,
    models: &Models,
    split: &Split,
    config: &EvaluationConfig,
) -> (Vec<(usize, Vec<u32>, usize)>, usize) {
    let user_count = catalog.users().len();
    let mut relevant: Vec<Vec<u32>> = vec![Vec::new(); user_count];
    let mut active_in_window = vec![false; user_count];
    for event in &catalog.interactions()[split.train_end..split.window_end] {
        let user = event.user as usize;
        active_in_window[user] = true;
        let intent = match event.kind {
            InteractionKind::Cart | InteractionKind::Purchase => true,
            InteractionKind::Rating => event.value.unwrap_or(0.0) >= 4.0,
            InteractionKind::View | InteractionKind::NotInterested => false,
        };
        if intent
            && !models.interactions.purchased(user, event.product)
            && !relevant[user].contains(&event.product)
        {
            relevant[user].push(event.product);
        }
    }
    let mut training_events = vec![0usize; user_count];
    for event in &catalog.interactions()[..split.train_end] {
        training_events[event.user as usize] += 1;
    }

    let skipped = (0..user_count)
        .filter(|&u| active_in_window[u] && relevant[u].is_empty())
        .count();
    let mut users: Vec<(usize, Vec<u32>, usize)> = relevant
        .into_iter()
        .enumerate()
        .filter(|(_, items)| !items.is_empty())
        .map(|(user, mut items)| {
            items.sort_unstable();
            let segment = match training_events[user] {
                0 => 0,
                1..=4 => 1,
                _ => 2,
            };
            (user, items, segment)
        })
        .collect();
    if users.len() > config.max_users {
        Rng::new(config.seed).shuffle(&mut users);
        users.truncate(config.max_users);
        users.sort_by_key(|(user, _, _)| *user);
    }
    (users, skipped)
}
