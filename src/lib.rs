//! A hybrid e-commerce recommender that trains and serves in the browser.
//!
//! Three recommenders share one catalog: implicit-feedback ALS solved with conjugate
//! gradient ([`als`]), TF-IDF content similarity ([`content`]) and trending popularity
//! ([`popularity`]). The [`hybrid`] ranker blends their normalized scores with weights
//! chosen from the user's activity and the page context, fills short lists, and
//! [`reason`] names the evidence for every product. [`evaluation`] measures each strategy
//! on a time split, and [`synthetic`] generates a seeded shop whose users have known
//! tastes.
//!
//! The core is plain Rust with no browser dependency. The `wasm` module, built only for
//! `wasm32`, is the thin JS binding.
//!
//! ```
//! use hybrid_recommender::{generate, Hooks, RecommendRequest, Recommender, SyntheticConfig, TrainConfig};
//!
//! let shop = generate(&SyntheticConfig { users: 300, products: 200, days: 30, seed: 1 })?;
//! let mut recommender = Recommender::new(shop.catalog);
//! let mut config = TrainConfig::default();
//! config.als.factors = 16;
//! let clock = || 0.0;
//! recommender.train(config, &mut Hooks { clock: &clock, progress: &mut |_| {} })?;
//!
//! let request = RecommendRequest { user_id: Some("u00001".into()), k: 5, ..Default::default() };
//! let list = recommender.recommend(&request)?;
//! assert_eq!(list.len(), 5);
//! println!("{}: {}", list[0].name, list[0].reason);
//! # Ok::<(), hybrid_recommender::Error>(())
//! ```

#![deny(missing_docs)]

pub mod als;
pub mod cache;
pub mod catalog;
pub mod confidence;
pub mod content;
pub mod diversity;
pub mod error;
pub mod evaluation;
pub mod export;
pub mod factors;
pub mod hybrid;
pub mod loader;
pub mod metrics;
pub mod online;
pub mod parallel;
pub mod persistence;
pub mod popularity;
pub mod precompute;
pub mod reason;
pub mod recommender;
pub mod request;
pub mod rng;
pub mod sparse;
pub mod stats;
pub mod synthetic;
pub mod tfidf;
pub mod training;
pub mod weights;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use cache::CacheConfig;
pub use catalog::{Catalog, Interaction, InteractionKind, Product, Timestamp, User};
pub use error::{Error, Result};
pub use evaluation::{
    evaluate, evaluate_imported, simulate_ab_test, tune, AbArm, AbTestConfig, AbTestReport,
    EvaluationConfig, EvaluationReport, Strategy, StrategyMetrics, TuningGrid, TuningReport,
};
pub use factors::{FactorImportReport, ImportedFactors};
pub use recommender::{Clock, Recommender};
pub use request::{
    HistoryEntry, RecommendRequest, Recommendation, RecordedInteraction, SimilarItem, MAX_K,
};
pub use stats::Stats;
pub use synthetic::{generate, GroundTruth, SyntheticConfig, SyntheticShop};
pub use training::{Hooks, Models, Progress, Stage, TrainConfig, TrainReport};
pub use weights::{Context, Weights};
