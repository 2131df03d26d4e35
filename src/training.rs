//! Training every model from a catalog's interactions, with progress and stage timings.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::als::{AlsConfig, AlsModel};
use crate::catalog::{Catalog, Interaction, Timestamp};
use crate::confidence::{ConfidenceConfig, InteractionMatrix};
use crate::content::{ContentConfig, ContentModel};
use crate::error::{Error, Result};
use crate::online::UserUpdate;
use crate::popularity::{Popularity, PopularityConfig};

/// Settings of all models, with documented defaults.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TrainConfig {
    /// Event weights and time decay.
    pub confidence: ConfidenceConfig,
    /// ALS hyperparameters.
    pub als: AlsConfig,
    /// Content model settings.
    pub content: ContentConfig,
    /// Trending window.
    pub popularity: PopularityConfig,
}

/// A training stage, as reported in progress events and timings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Building the user-item confidence matrix.
    Confidence,
    /// ALS.
    Collaborative,
    /// TF-IDF and neighbours.
    Content,
    /// Trending counts.
    Popularity,
    /// Offline evaluation.
    Evaluation,
}

/// One progress event of long work.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Progress {
    /// The stage running.
    pub stage: Stage,
    /// Share of the stage done, in [0, 1].
    pub fraction: f64,
    /// The ALS iteration just finished, for [`Stage::Collaborative`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iteration: Option<usize>,
    /// The ALS loss after that iteration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loss: Option<f64>,
}

impl Progress {
    /// Returns a progress event without ALS details.
    pub fn stage(stage: Stage, fraction: f64) -> Self {
        Progress {
            stage,
            fraction,
            iteration: None,
            loss: None,
        }
    }
}

/// What the caller supplies to observe long work: a millisecond clock (the core has no
/// clock of its own, because `std::time` is unavailable in the browser) and a progress
/// callback.
pub struct Hooks<'a> {
    /// Returns a monotonic time in milliseconds.
    pub clock: &'a dyn Fn() -> f64,
    /// Receives progress events.
    pub progress: &'a mut dyn FnMut(Progress),
}

/// Milliseconds spent in each stage of [`Models::train`].
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct StageMillis {
    /// Confidence matrix.
    pub confidence: f64,
    /// ALS.
    pub collaborative: f64,
    /// Content model.
    pub content: f64,
    /// Popularity.
    pub popularity: f64,
}

impl std::fmt::Display for StageMillis {
    /// Writes whole milliseconds per stage, e.g. "confidence 14, ALS 583, content 128,
    /// popularity 5".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "confidence {:.0}, ALS {:.0}, content {:.0}, popularity {:.0}",
            self.confidence, self.collaborative, self.content, self.popularity
        )
    }
}

/// The result of training.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrainReport {
    /// Time per stage.
    pub stage_millis: StageMillis,
    /// Total time.
    pub total_millis: f64,
    /// ALS loss after each iteration.
    pub loss: Vec<f64>,
    /// Users in the catalog.
    pub users: usize,
    /// Products in the catalog.
    pub products: usize,
    /// Interactions trained on.
    pub interactions: usize,
}

/// Makes the ALS model from the interaction matrix, reporting progress: fitting it, or
/// installing imported factors.
pub(crate) type CollaborativeStep<'a> =
    dyn FnMut(&InteractionMatrix, &mut dyn FnMut(Progress)) -> Result<AlsModel> + 'a;

/// All trained models of one catalog.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Models {
    /// User-item strengths of the training events.
    pub interactions: InteractionMatrix,
    /// Collaborative factors.
    pub als: AlsModel,
    /// Content vectors and neighbours.
    pub content: ContentModel,
    /// Trending scores.
    pub popularity: Popularity,
    /// The time the models see as "now": the newest training event.
    pub reference: Timestamp,
    /// Users whose history changed since training, with their folded-in factors.
    pub(crate) updates: BTreeMap<u32, UserUpdate>,
}

impl Models {
    /// Trains every model on `events` (a time-sorted slice of `catalog`'s interactions).
    /// A `content` model built from the same products with `config.content` is reused
    /// instead of rebuilt, since it does not depend on interactions.
    pub fn train(
        catalog: &Catalog,
        events: &[Interaction],
        config: &TrainConfig,
        content: Option<ContentModel>,
        hooks: &mut Hooks,
    ) -> Result<(Models, TrainReport)> {
        Models::build(
            catalog,
            events,
            config,
            content,
            hooks,
            &mut |interactions, progress| {
                AlsModel::fit(
                    &interactions.user_items,
                    &interactions.item_users,
                    &config.als,
                    &mut |report| {
                        progress(Progress {
                            stage: Stage::Collaborative,
                            fraction: report.iteration as f64 / report.iterations as f64,
                            iteration: Some(report.iteration),
                            loss: Some(report.loss),
                        })
                    },
                )
            },
        )
    }

    /// Builds every model, with `collaborative` making the ALS model from the interaction
    /// matrix (fitting it, or installing imported factors).
    pub(crate) fn build(
        catalog: &Catalog,
        events: &[Interaction],
        config: &TrainConfig,
        content: Option<ContentModel>,
        hooks: &mut Hooks,
        collaborative: &mut CollaborativeStep,
    ) -> Result<(Models, TrainReport)> {
        if catalog.products().is_empty() {
            return Err(Error::EmptyCatalog("products"));
        }
        config.confidence.validate()?;
        config.als.validate()?;
        config.content.validate()?;
        config.popularity.validate()?;
        let start = (hooks.clock)();
        let reference = events.last().map(|e| e.timestamp).unwrap_or(0);
        let (users, items) = (catalog.users().len(), catalog.products().len());

        (hooks.progress)(Progress::stage(Stage::Confidence, 0.0));
        let interactions =
            InteractionMatrix::build(users, items, events, &config.confidence, reference);
        let after_confidence = (hooks.clock)();

        (hooks.progress)(Progress::stage(Stage::Collaborative, 0.0));
        let als = collaborative(&interactions, &mut *hooks.progress)?;
        let after_als = (hooks.clock)();

        (hooks.progress)(Progress::stage(Stage::Content, 0.0));
        let content = match content {
            Some(content) => content,
            None => ContentModel::build(catalog.products(), &config.content)?,
        };
        let after_content = (hooks.clock)();

        (hooks.progress)(Progress::stage(Stage::Popularity, 0.0));
        let popularity = Popularity::build(
            catalog,
            events,
            &config.confidence,
            reference,
            &config.popularity,
        )?;
        let end = (hooks.clock)();
        (hooks.progress)(Progress::stage(Stage::Popularity, 1.0));

        let report = TrainReport {
            stage_millis: StageMillis {
                confidence: after_confidence - start,
                collaborative: after_als - after_confidence,
                content: after_content - after_als,
                popularity: end - after_content,
            },
            total_millis: end - start,
            loss: als.loss().to_vec(),
            users,
            products: items,
            interactions: events.len(),
        };
        Ok((
            Models {
                interactions,
                als,
                content,
                popularity,
                reference,
                updates: BTreeMap::new(),
            },
            report,
        ))
    }
}
