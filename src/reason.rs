//! Human-readable reasons that name the evidence behind each recommendation.
//!
//! The reason follows the component that contributed most to the blended score:
//!
//! - collaborative on the homepage: the history product with the largest term in the
//!   ALS score decomposition ("Because you bought ..."), or "Popular with shoppers like
//!   you" when no history product contributes positively;
//! - collaborative on a product page or in the cart: the product (or cart product) whose
//!   ALS item factors are closest ("Often viewed with ..." or "Often bought with ...");
//! - content: the history, page or cart product with the largest confidence-weighted
//!   content similarity ("Similar to ...");
//! - popularity led by the user's demographic group (cold start): "Popular with shoppers
//!   like you";
//! - popularity and the trending fill: `Trending in <category>`;
//! - the catalog fill: `More from <category>`.

use crate::als::dot;
use crate::catalog::{Catalog, InteractionKind};
use crate::hybrid::{Component, Origin, Query, Ranked};
use crate::training::Models;
use crate::weights::Context;

/// Returns one reason per ranked product, in order.
pub fn reasons(
    models: &Models,
    catalog: &Catalog,
    query: &Query,
    ranked: &[Ranked],
) -> Vec<String> {
    let (history, strengths, kinds): (&[u32], &[f32], &[u8]) = match query.user {
        Some(user) => models.user_row(user),
        None => (&[], &[], &[]),
    };
    let needs_explainer = query.context == Context::Homepage
        && ranked
            .iter()
            .any(|r| r.origin == Origin::Blend(Component::Collaborative));
    let explainer = if needs_explainer {
        models.als.explainer(history, strengths)
    } else {
        None
    };
    let products = catalog.products();
    let name = |item: u32| products[item as usize].name.as_str();

    ranked
        .iter()
        .map(|r| {
            let item = r.item as usize;
            match r.origin {
                Origin::Blend(Component::Collaborative) => match query.context {
                    Context::Homepage => {
                        let best = explainer.as_ref().and_then(|e| {
                            e.contributions(item)
                                .into_iter()
                                .filter(|&(_, c)| c > 0.0)
                                .max_by(|a, b| a.1.total_cmp(&b.1))
                        });
                        match best {
                            Some((source, _)) => {
                                let position = history.binary_search(&source).unwrap_or(0);
                                let kinds = kinds.get(position).copied().unwrap_or(0);
                                if source as usize == item {
                                    again(kinds)
                                } else {
                                    because_you(kinds, name(source))
                                }
                            }
                            None => "Popular with shoppers like you".to_string(),
                        }
                    }
                    Context::ProductPage | Context::Cart => {
                        let sources = query.anchor.as_slice().iter().chain(query.cart).copied();
                        let closest = sources.max_by(|&a, &b| {
                            let ya = models.als.item_vector(a as usize);
                            let yb = models.als.item_vector(b as usize);
                            let y = models.als.item_vector(item);
                            dot(ya, y).total_cmp(&dot(yb, y))
                        });
                        let verb = if query.context == Context::Cart {
                            "bought"
                        } else {
                            "viewed"
                        };
                        match closest {
                            Some(source) => format!("Often {verb} with {}", name(source)),
                            None => "Popular with shoppers like you".to_string(),
                        }
                    }
                },
                Origin::Blend(Component::Content) => {
                    let weighted: Vec<(u32, f32)> = match query.context {
                        Context::Homepage => history
                            .iter()
                            .copied()
                            .zip(strengths.iter().copied())
                            .collect(),
                        Context::ProductPage => query.anchor.iter().map(|&a| (a, 1.0)).collect(),
                        Context::Cart => query.cart.iter().map(|&c| (c, 1.0)).collect(),
                    };
                    let closest = weighted
                        .iter()
                        .map(|&(source, w)| {
                            (source, w * models.content.similarity(source as usize, item))
                        })
                        .max_by(|a, b| a.1.total_cmp(&b.1));
                    match closest {
                        Some((source, _)) => format!("Similar to {}", name(source)),
                        None => trending(catalog, item),
                    }
                }
                Origin::Blend(Component::Popularity)
                    if query
                        .group_popularity
                        .as_ref()
                        .is_some_and(|g| g.is_group_led()) =>
                {
                    "Popular with shoppers like you".to_string()
                }
                Origin::Blend(Component::Popularity) | Origin::TrendingFill => {
                    trending(catalog, item)
                }
                Origin::CatalogFill => {
                    in_category("More from", catalog, item, "More from the catalog")
                }
            }
        })
        .collect()
}

/// "Because you bought X", with the verb of the strongest interaction with X.
fn because_you(kinds: u8, name: &str) -> String {
    if kinds & InteractionKind::Purchase.bit() != 0 {
        format!("Because you bought {name}")
    } else if kinds & InteractionKind::Rating.bit() != 0 {
        format!("Because you rated {name}")
    } else if kinds & InteractionKind::Cart.bit() != 0 {
        format!("Because you added {name} to your cart")
    } else {
        format!("Because you viewed {name}")
    }
}

/// Returns the reason for a product whose own history explains its score best.
fn again(kinds: u8) -> String {
    let text = if kinds & InteractionKind::Purchase.bit() != 0 {
        "You bought this before"
    } else if kinds & InteractionKind::Rating.bit() != 0 {
        "You rated this before"
    } else if kinds & InteractionKind::Cart.bit() != 0 {
        "You added this to your cart before"
    } else {
        "You viewed this before"
    };
    text.to_string()
}

fn trending(catalog: &Catalog, item: usize) -> String {
    in_category("Trending in", catalog, item, "Trending now")
}

fn in_category(prefix: &str, catalog: &Catalog, item: usize, without_category: &str) -> String {
    let category = &catalog.products()[item].category;
    if category.is_empty() {
        without_category.to_string()
    } else {
        format!("{prefix} {category}")
    }
}
