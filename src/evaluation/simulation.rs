//! A simulated online A/B test on the synthetic shop, whose users' true tastes are known.
//!
//! Users with history are split into control and treatment by a stable hash of their id
//! (FNV-1a, 64 bit), so a user always lands in the same arm. Each user sees the arm's
//! top `k` homepage recommendations once. A shown product is clicked with probability
//! `sigmoid(1.5 a - 3)` and a clicked one bought with probability `sigmoid(a - 1)`, where
//! `a` is the user's true affinity for it; the draws are seeded per user. Conversion is
//! the share of users who bought anything; the two-proportion z-test compares the arms'
//! conversion rates.

use serde::{Deserialize, Serialize};

use crate::error::{check_range, Error, Result};
use crate::recommender::Recommender;
use crate::request::{RecommendRequest, DEFAULT_MMR_LAMBDA, MAX_K};
use crate::rng::Rng;
use crate::synthetic::GroundTruth;
use crate::weights::Weights;

/// The request template of one arm.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct AbArm {
    /// Blend weights; `None` picks the automatic ones.
    pub weights: Option<Weights>,
    /// MMR trade-off; `None` is the default 0.7.
    pub mmr_lambda: Option<f32>,
    /// Category minimum; `None` is off.
    pub min_categories: Option<usize>,
}

/// A/B test settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct AbTestConfig {
    /// The current behaviour.
    pub control: AbArm,
    /// The change under test.
    pub treatment: AbArm,
    /// Share of users in the treatment arm, in (0, 1).
    pub split: f64,
    /// Seed of the click and purchase draws.
    pub seed: u64,
    /// Recommendations shown per user.
    pub k: usize,
    /// The maximum number of users simulated (the first by index among users with history).
    pub users: usize,
}

impl Default for AbTestConfig {
    fn default() -> Self {
        AbTestConfig {
            control: AbArm::default(),
            treatment: AbArm {
                weights: Some(Weights::new(0.0, 0.0, 1.0)),
                ..AbArm::default()
            },
            split: 0.5,
            seed: 42,
            k: 10,
            users: 4000,
        }
    }
}

/// The outcome of one arm.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct ArmResult {
    /// Users in the arm.
    pub users: usize,
    /// Clicks per shown product.
    pub ctr: f64,
    /// Share of users who bought anything.
    pub conversion: f64,
    /// Mean revenue per converted user.
    pub aov: f64,
    /// Total revenue.
    pub revenue: f64,
}

/// Treatment minus control.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct ArmDifference {
    /// Difference in CTR.
    pub ctr: f64,
    /// Difference in conversion.
    pub conversion: f64,
    /// Difference in average order value.
    pub aov: f64,
}

/// The result of [`simulate_ab_test`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AbTestReport {
    /// The control arm.
    pub control: ArmResult,
    /// The treatment arm.
    pub treatment: ArmResult,
    /// Treatment minus control.
    pub difference: ArmDifference,
    /// The z statistic of the conversion difference.
    pub z: f64,
    /// Two-sided p-value of the two-proportion z-test on conversion.
    pub p_value: f64,
}

/// Runs the simulated test for the recommender's users against their true tastes.
pub fn simulate_ab_test(
    recommender: &Recommender,
    truth: &GroundTruth,
    config: &AbTestConfig,
) -> Result<AbTestReport> {
    check_range("k", config.k, 1, MAX_K)?;
    check_range("users", config.users, 1, usize::MAX)?;
    if !(config.split > 0.0 && config.split < 1.0) {
        return Err(Error::invalid(
            "split",
            config.split,
            "a share between 0 and 1, exclusive",
        ));
    }
    let models = recommender.models().ok_or(Error::NotTrained)?;
    let catalog = recommender.catalog();

    let mut tallies = [Tally::default(), Tally::default()];
    let candidates = (0..catalog.users().len())
        .filter(|&u| !models.user_row(u).0.is_empty() && truth.has_user(u));
    for user in candidates.take(config.users) {
        let id = &catalog.users()[user].id;
        let hash = fnv1a(id.as_bytes());
        let treated = (hash % 10_000) as f64 / 10_000.0 < config.split;
        let arm = if treated {
            &config.treatment
        } else {
            &config.control
        };
        let request = RecommendRequest {
            user_id: Some(id.clone()),
            k: config.k,
            weights: arm.weights,
            mmr_lambda: arm.mmr_lambda.unwrap_or(DEFAULT_MMR_LAMBDA),
            min_categories: arm.min_categories.unwrap_or(0),
            ..Default::default()
        };
        let list = recommender.recommend_uncached(&request)?;
        let mut rng = Rng::new(config.seed ^ hash);
        let tally = &mut tallies[treated as usize];
        tally.users += 1;
        let mut order_value = 0.0;
        for item in &list {
            let product = catalog.product_index(&item.product_id)? as usize;
            let affinity = truth.affinity(user, product);
            tally.impressions += 1;
            if rng.bernoulli(sigmoid(1.5 * affinity - 3.0)) {
                tally.clicks += 1;
                if rng.bernoulli(sigmoid(affinity - 1.0)) {
                    order_value += item.price;
                }
            }
        }
        if order_value > 0.0 {
            tally.conversions += 1;
            tally.revenue += order_value;
        }
    }

    let control = tallies[0].result();
    let treatment = tallies[1].result();
    let (z, p_value) = two_proportion_z_test(
        tallies[0].conversions,
        tallies[0].users,
        tallies[1].conversions,
        tallies[1].users,
    );
    Ok(AbTestReport {
        control,
        treatment,
        difference: ArmDifference {
            ctr: treatment.ctr - control.ctr,
            conversion: treatment.conversion - control.conversion,
            aov: treatment.aov - control.aov,
        },
        z,
        p_value,
    })
}

#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    users: usize,
    impressions: usize,
    clicks: usize,
    conversions: usize,
    revenue: f64,
}

impl Tally {
    fn result(&self) -> ArmResult {
        let ratio = |a: f64, b: usize| if b == 0 { 0.0 } else { a / b as f64 };
        ArmResult {
            users: self.users,
            ctr: ratio(self.clicks as f64, self.impressions),
            conversion: ratio(self.conversions as f64, self.users),
            aov: ratio(self.revenue, self.conversions),
            revenue: self.revenue,
        }
    }
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + libm::exp(-x))
}

/// FNV-1a, 64 bit: a stable hash of a user id for arm assignment.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in bytes {
        hash ^= byte as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Returns the pooled two-proportion z-test: returns `(z, two-sided p-value)`; `(0, 1)` when
/// either arm is empty or the pooled rate is 0 or 1.
pub fn two_proportion_z_test(
    successes_a: usize,
    n_a: usize,
    successes_b: usize,
    n_b: usize,
) -> (f64, f64) {
    if n_a == 0 || n_b == 0 {
        return (0.0, 1.0);
    }
    let (p_a, p_b) = (
        successes_a as f64 / n_a as f64,
        successes_b as f64 / n_b as f64,
    );
    let pooled = (successes_a + successes_b) as f64 / (n_a + n_b) as f64;
    let variance = pooled * (1.0 - pooled) * (1.0 / n_a as f64 + 1.0 / n_b as f64);
    if variance <= 0.0 {
        return (0.0, 1.0);
    }
    let z = (p_b - p_a) / variance.sqrt();
    // Two-sided: P(|Z| > |z|) = erfc(|z| / sqrt 2).
    (z, libm::erfc(z.abs() / std::f64::consts::SQRT_2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{generate, Hooks, SyntheticConfig, TrainConfig};

    #[test]
    fn fnv1a_known_values() {
        // Test vectors of the FNV reference: "" and "a".
        assert_eq!(fnv1a(b""), 0xcbf29ce484222325);
        assert_eq!(fnv1a(b"a"), 0xaf63dc4c8601ec8c);
    }

    #[test]
    fn z_test_matches_hand_computation() {
        // 100/1000 vs 130/1000: pooled 0.115, se = sqrt(0.115 * 0.885 * 0.002) = 0.014267,
        // z = 0.03 / 0.014267 = 2.1027, two-sided p = 0.03549.
        let (z, p) = two_proportion_z_test(100, 1000, 130, 1000);
        assert!((z - 2.1027).abs() < 1e-3, "z {z}");
        assert!((p - 0.03549).abs() < 1e-4, "p {p}");
        assert_eq!(two_proportion_z_test(0, 0, 5, 10), (0.0, 1.0));
    }

    #[test]
    fn personalized_arm_beats_popularity() {
        let shop = generate(&SyntheticConfig {
            users: 3000,
            products: 600,
            days: 60,
            seed: 8,
        })
        .unwrap();
        let truth = shop.truth;
        let mut recommender = Recommender::new(shop.catalog);
        let mut train = TrainConfig::default();
        train.als.factors = 32;
        recommender
            .train(
                train,
                &mut Hooks {
                    clock: &|| 0.0,
                    progress: &mut |_| {},
                },
            )
            .unwrap();
        let config = AbTestConfig {
            control: AbArm {
                weights: Some(Weights::new(0.0, 0.0, 1.0)),
                ..AbArm::default()
            },
            treatment: AbArm::default(),
            ..AbTestConfig::default()
        };
        let report = simulate_ab_test(&recommender, &truth, &config).unwrap();
        let users = report.control.users + report.treatment.users;
        assert!(users > 2000, "{users} users");
        let share = report.treatment.users as f64 / users as f64;
        assert!((share - 0.5).abs() < 0.05, "treatment share {share}");
        assert!(report.difference.ctr > 0.0, "{report:?}");
        assert!(report.difference.conversion > 0.0, "{report:?}");
        assert!(report.p_value < 0.05, "{report:?}");
        let again = simulate_ab_test(&recommender, &truth, &config).unwrap();
        assert_eq!(report, again, "same seed, same result");
    }
}
