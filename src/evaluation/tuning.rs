//! Hyperparameter search scored on the validation window.
//!
//! Every combination of the ALS grid is trained on the data before the validation window
//! (the content model is built once: it does not depend on interactions), and the hybrid
//! with each weight setting of the grid is scored on the validation window by NDCG@k.
//! The test window is never looked at, so [`super::evaluate`] stays an honest estimate
//! for the chosen setting.

use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::content::ContentModel;
use crate::error::{check_range, Error, Result};
use crate::hybrid::{rank, Query};
use crate::metrics::{ndcg_at_k, precision_at_k, recall_at_k};
use crate::training::{Hooks, Progress, Stage, TrainConfig};
use crate::weights::Weights;

use super::{train_before, window_users, EvaluationConfig, Split};

/// The values tried for each setting; the search tries every combination.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct TuningGrid {
    /// ALS factors.
    pub factors: Vec<usize>,
    /// ALS regularization.
    pub regularization: Vec<f32>,
    /// ALS confidence slope.
    pub alpha: Vec<f32>,
    /// ALS iterations.
    pub iterations: Vec<usize>,
    /// Hybrid weights, applied to every user.
    pub weights: Vec<Weights>,
}

impl Default for TuningGrid {
    fn default() -> Self {
        TuningGrid {
            factors: vec![32, 64],
            regularization: vec![0.05],
            alpha: vec![1.0, 2.0],
            iterations: vec![10],
            weights: vec![
                Weights::new(0.7, 0.2, 0.1),
                Weights::new(0.5, 0.3, 0.2),
                Weights::new(0.9, 0.05, 0.05),
            ],
        }
    }
}

/// The maximum number of runs in one search.
const MAX_RUNS: usize = 500;

/// One scored combination.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TuningRun {
    /// ALS factors.
    pub factors: usize,
    /// ALS regularization.
    pub regularization: f32,
    /// ALS confidence slope.
    pub alpha: f32,
    /// ALS iterations.
    pub iterations: usize,
    /// Hybrid weights.
    pub weights: Weights,
    /// NDCG@k on the validation window.
    pub ndcg: f64,
    /// Precision@k on the validation window.
    pub precision: f64,
    /// Recall@k on the validation window.
    pub recall: f64,
    /// Users scored.
    pub users: usize,
}

/// The result of [`tune`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TuningReport {
    /// The run with the highest validation NDCG.
    pub best: TuningRun,
    /// Every run, in grid order.
    pub runs: Vec<TuningRun>,
}

/// Tries every combination of `grid` on `base`'s other settings and scores it on the
/// validation window of `config`.
pub fn tune(
    catalog: &Catalog,
    base: &TrainConfig,
    grid: &TuningGrid,
    config: &EvaluationConfig,
    hooks: &mut Hooks,
) -> Result<TuningReport> {
    config.validate()?;
    let settings = als_settings(grid);
    let runs_total = settings.len() * grid.weights.len();
    if runs_total == 0 {
        return Err(Error::invalid(
            "grid",
            "an empty list",
            "at least one value for every setting",
        ));
    }
    check_range("grid size", runs_total, 1, MAX_RUNS)?;
    for weights in &grid.weights {
        weights.validate()?;
    }

    let split = Split::new(catalog, config.validation_days, config.test_days)?;
    let content = ContentModel::build(catalog.products(), &base.content)?;
    let mut runs = Vec::with_capacity(runs_total);
    for (done, &(factors, regularization, alpha, iterations)) in settings.iter().enumerate() {
        let mut train = base.clone();
        train.als.factors = factors;
        train.als.regularization = regularization;
        train.als.alpha = alpha;
        train.als.iterations = iterations;
        let progress = &mut *hooks.progress;
        let share = |p: f64| (done as f64 + p) / settings.len() as f64;
        let mut inner =
            |p: Progress| progress(Progress::stage(Stage::Evaluation, share(0.9 * p.fraction)));
        let models = train_before(
            catalog,
            split.train_end,
            &train,
            Some(content.clone()),
            &mut Hooks {
                clock: hooks.clock,
                progress: &mut inner,
            },
        )?;
        let (users, _) = window_users(catalog, &models, &split, config);
        if users.is_empty() {
            return Err(Error::NothingToEvaluate(
                "no user has a cart, purchase or rating of 4+ in the validation window".to_string(),
            ));
        }
        for weights in &grid.weights {
            let (mut precision, mut recall, mut ndcg) = (0.0, 0.0, 0.0);
            for (user, relevant, _) in &users {
                let mut query = Query::homepage(Some(*user), *weights, config.k);
                if models.user_row(*user).0.is_empty() {
                    query.group_popularity = models.popularity.group_scores(*user);
                }
                let list: Vec<u32> = rank(&models, &query).iter().map(|r| r.item).collect();
                precision += precision_at_k(&list, relevant, config.k);
                recall += recall_at_k(&list, relevant, config.k);
                ndcg += ndcg_at_k(&list, relevant, config.k);
            }
            let n = users.len() as f64;
            runs.push(TuningRun {
                factors,
                regularization,
                alpha,
                iterations,
                weights: *weights,
                ndcg: ndcg / n,
                precision: precision / n,
                recall: recall / n,
                users: users.len(),
            });
        }
        (hooks.progress)(Progress::stage(Stage::Evaluation, share(1.0)));
    }
    let best = runs
        .iter()
        .max_by(|a, b| a.ndcg.total_cmp(&b.ndcg))
        .cloned()
        .ok_or_else(|| Error::NothingToEvaluate("the grid produced no run".to_string()))?;
    Ok(TuningReport { best, runs })
}

/// Lists every ALS combination of the grid, in grid order.
fn als_settings(grid: &TuningGrid) -> Vec<(usize, f32, f32, usize)> {
    let mut settings = Vec::new();
    for &factors in &grid.factors {
        for &regularization in &grid.regularization {
            for &alpha in &grid.alpha {
                for &iterations in &grid.iterations {
                    settings.push((factors, regularization, alpha, iterations));
                }
            }
        }
    }
    settings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{generate, SyntheticConfig};

    #[test]
    fn tuning_scores_every_combination() {
        let shop = generate(&SyntheticConfig {
            users: 800,
            products: 300,
            days: 60,
            seed: 3,
        })
        .unwrap();
        let grid = TuningGrid {
            factors: vec![8, 16],
            regularization: vec![0.05],
            alpha: vec![2.0],
            iterations: vec![4],
            weights: vec![Weights::new(1.0, 0.0, 0.0), Weights::new(0.0, 0.0, 1.0)],
        };
        let config = EvaluationConfig {
            test_days: 10.0,
            validation_days: 10.0,
            ..Default::default()
        };
        let mut fractions = Vec::new();
        let report = tune(
            &shop.catalog,
            &TrainConfig::default(),
            &grid,
            &config,
            &mut Hooks {
                clock: &|| 0.0,
                progress: &mut |p| fractions.push(p.fraction),
            },
        )
        .unwrap();
        assert_eq!(report.runs.len(), 4);
        let factors: Vec<usize> = report.runs.iter().map(|r| r.factors).collect();
        assert_eq!(factors, vec![8, 8, 16, 16]);
        let best_ndcg = report.runs.iter().map(|r| r.ndcg).fold(0.0, f64::max);
        assert_eq!(report.best.ndcg, best_ndcg);
        assert!(report
            .runs
            .iter()
            .all(|r| r.users > 0 && (0.0..=1.0).contains(&r.ndcg)));
        assert_eq!(fractions.last().copied(), Some(1.0));
        assert!(
            fractions.windows(2).all(|w| w[0] <= w[1] + 1e-12),
            "{fractions:?}"
        );
    }

    #[test]
    fn empty_grid_rejected() {
        let shop = generate(&SyntheticConfig {
            users: 50,
            products: 30,
            days: 30,
            seed: 3,
        })
        .unwrap();
        let grid = TuningGrid {
            factors: vec![],
            ..Default::default()
        };
        let err = tune(
            &shop.catalog,
            &TrainConfig::default(),
            &grid,
            &EvaluationConfig::default(),
            &mut Hooks {
                clock: &|| 0.0,
                progress: &mut |_| {},
            },
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid grid: an empty list, expected at least one value for every setting"
        );
    }
}
