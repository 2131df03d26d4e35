//! The hybrid ranker: per-request normalized component scores, a weighted blend, and a
//! cascade that fills short lists.
//!
//! Each component scores every eligible product:
//!
//! | component     | homepage                      | product page              | cart                                 |
//! |---------------|-------------------------------|---------------------------|--------------------------------------|
//! | collaborative | `x_u . y_i`                   | cosine of ALS item factors with the product | mean ALS item cosine with the cart items |
//! | content       | cosine with the user's confidence-weighted content profile | content cosine with the product | cosine with the cart's content profile |
//! | popularity    | trending score                | trending score            | trending score                       |
//!
//! A component's candidates are the eligible products for which it has evidence (ALS
//! factors, a positive content similarity, a positive trending score). Its scores are
//! min-max normalized to [0, 1] over those candidates, so a weight means the same for
//! every component. The blend is `sum_c w_c s_c / sum_c w_c` over the components with a
//! positive weight and any evidence. When the candidates number fewer than `k`, the list
//! is filled from the trending ranking, then from the catalog in order, so a request
//! gets `k` distinct products whenever that many are eligible.
//!
//! Before the fill, the best `3k` candidates can be re-ranked by MMR and the top `k`
//! made to span a minimum number of categories (see [`crate::diversity`]).
//!
//! Cold start: a user without history gets popularity among their demographic group when
//! the catalog has their age band or region and the group has enough events, and the
//! candidates can be restricted to categories the user picked (`preferred_categories`).

use crate::catalog::InteractionKind;
use crate::diversity::{ensure_categories, mmr_order_by_rows};
use crate::popularity::GroupPopularity;
use crate::training::Models;
use crate::weights::{Context, Weights};

/// One of the three recommenders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Component {
    /// ALS.
    Collaborative,
    /// Content similarity.
    Content,
    /// Trending.
    Popularity,
}

impl Component {
    /// All components in the order of [`Weights::as_array`].
    pub const ALL: [Component; 3] = [
        Component::Collaborative,
        Component::Content,
        Component::Popularity,
    ];
}

/// The source of a product's place in the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Ranked by the blend; the component contributed most.
    Blend(Component),
    /// Filled from the trending ranking.
    TrendingFill,
    /// Filled from the catalog order.
    CatalogFill,
}

/// A resolved request, in indices.
#[derive(Debug, Clone)]
pub struct Query<'a> {
    /// The user's index in the trained data, `None` for a visitor without history.
    pub user: Option<usize>,
    /// Page context.
    pub context: Context,
    /// The product on the page (product page context).
    pub anchor: Option<u32>,
    /// The products in the cart (cart context).
    pub cart: &'a [u32],
    /// Further products never to recommend.
    pub excluded: &'a [u32],
    /// Blend weights.
    pub weights: Weights,
    /// Length of the list.
    pub k: usize,
    /// Whether products the user bought are left out.
    pub exclude_purchased: bool,
    /// MMR trade-off in [0, 1]; 1 keeps the blended order.
    pub mmr_lambda: f32,
    /// The top `k` must span this many categories when the candidates allow; 0 is off.
    pub min_categories: usize,
    /// For a user without history: only products of these category indices are
    /// candidates (the fill may still go beyond them). Empty means no restriction.
    pub preferred_categories: &'a [u32],
    /// Popularity among the user's demographic group, replacing the overall trending
    /// scores (cold start).
    pub group_popularity: Option<GroupPopularity>,
    /// Collaborative scores computed in a batch, used instead of `x_u . y_i`.
    pub collaborative_scores: Option<&'a [f32]>,
    /// Homepage content scores of the user's profile computed once for several queries,
    /// used instead of [`ContentModel::profile_scores`](crate::content::ContentModel::profile_scores).
    pub content_scores: Option<&'a [f32]>,
}

impl<'a> Query<'a> {
    /// Builds a homepage query for `user` with the given weights and no re-ranking.
    pub fn homepage(user: Option<usize>, weights: Weights, k: usize) -> Query<'a> {
        Query {
            user,
            context: Context::Homepage,
            anchor: None,
            cart: &[],
            excluded: &[],
            weights,
            k,
            exclude_purchased: true,
            mmr_lambda: 1.0,
            min_categories: 0,
            preferred_categories: &[],
            group_popularity: None,
            collaborative_scores: None,
            content_scores: None,
        }
    }
}

/// One ranked product.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    /// Product index.
    pub item: u32,
    /// Blended score in [0, 1].
    pub score: f32,
    /// Normalized component scores, in [`Component::ALL`] order; zero where a component
    /// had no evidence.
    pub components: [f32; 3],
    /// The source of the product's place in the list.
    pub origin: Origin,
}

/// Normalized scores of one component over the eligible products.
struct ComponentScores {
    normalized: Vec<f32>,
    candidate: Vec<bool>,
}

/// Ranks products for `query`: at most `query.k` distinct, eligible products.
pub fn rank(models: &Models, query: &Query) -> Vec<Ranked> {
    let items = models.content.len();
    let eligible = eligibility(models, query, items);
    let weights = query.weights.as_array();

    let preferred = preferred_mask(models, query, &eligible);
    let components: Vec<Option<ComponentScores>> = Component::ALL
        .iter()
        .zip(weights)
        .map(|(&component, weight)| {
            if weight <= 0.0 {
                return None;
            }
            let raw = raw_scores(models, query, component, items)?;
            normalize(raw, preferred.as_deref().unwrap_or(&eligible), component)
        })
        .collect();
    let total_weight: f32 = components
        .iter()
        .zip(weights)
        .filter(|(c, _)| c.is_some())
        .map(|(_, w)| w)
        .sum();

    // Blend every candidate's score, then build full entries only for the pool that the
    // re-rankers read, because a catalog has thousands of candidates and a list needs k.
    let mut blended = vec![0f32; items];
    let mut candidates: Vec<u32> = Vec::with_capacity(items);
    if total_weight > 0.0 {
        for (item, score) in blended.iter_mut().enumerate() {
            let mut is_candidate = false;
            let mut sum = 0.0;
            for (component, weight) in components.iter().zip(weights) {
                if let Some(c) = component {
                    is_candidate |= c.candidate[item];
                    sum += c.normalized[item] * weight;
                }
            }
            if is_candidate {
                *score = sum / total_weight;
                candidates.push(item as u32);
            }
        }
    }
    let pool = pool_size(query, candidates.len());
    let order = |a: &u32, b: &u32| {
        blended[*b as usize]
            .total_cmp(&blended[*a as usize])
            .then(a.cmp(b))
    };
    if candidates.len() > pool {
        candidates.select_nth_unstable_by(pool, order);
        candidates.truncate(pool);
    }
    let mut ranked: Vec<Ranked> = candidates
        .iter()
        .map(|&item| blended_entry(&components, weights, item, blended[item as usize]))
        .collect();
    diversify(models, query, &mut ranked);
    ranked.truncate(query.k);
    fill(models, &eligible, query.k, &mut ranked);
    ranked
}

/// Builds the entry of a blended candidate, led by the component with the largest
/// weighted contribution (the earlier component on ties).
fn blended_entry(
    components: &[Option<ComponentScores>],
    weights: [f32; 3],
    item: u32,
    score: f32,
) -> Ranked {
    let mut parts = [0f32; 3];
    for (part, component) in parts.iter_mut().zip(components) {
        if let Some(c) = component {
            *part = c.normalized[item as usize];
        }
    }
    let contributions = [0, 1, 2].map(|c| parts[c] * weights[c]);
    let lead = (0..3)
        .filter(|&c| components[c].is_some())
        .max_by(|&a, &b| {
            contributions[a]
                .total_cmp(&contributions[b])
                .then(b.cmp(&a))
        })
        .unwrap_or(2);
    Ranked {
        item,
        score,
        components: parts,
        origin: Origin::Blend(Component::ALL[lead]),
    }
}

/// Returns how many of the best candidates the re-rankers need: all of them for a
/// category minimum, which may reach deep into the list, the best `3k` for MMR, else `k`.
fn pool_size(query: &Query, candidates: usize) -> usize {
    let k = query.k;
    let requested = match (query.min_categories > 0, query.mmr_lambda < 1.0) {
        (true, _) => candidates,
        (false, true) => 3 * k,
        (false, false) => k,
    };
    requested.min(candidates)
}

/// Orders the blended candidates best first, applies MMR to the best `3k` and the
/// category minimum to the top `k`. Leaves at least the top `k` at the front.
fn diversify(models: &Models, query: &Query, ranked: &mut Vec<Ranked>) {
    let k = query.k;
    let rerank = query.mmr_lambda < 1.0;
    top_k(ranked, pool_size(query, ranked.len()));

    if rerank {
        let pool = ranked.len().min(3 * k);
        let relevance: Vec<f32> = ranked[..pool].iter().map(|r| r.score).collect();
        let items: Vec<u32> = ranked[..pool].iter().map(|r| r.item).collect();
        let mut dense = Vec::new();
        let order = mmr_order_by_rows(&relevance, k, query.mmr_lambda, |pick, row| {
            models
                .content
                .similarities_to(items[pick] as usize, &items, &mut dense, row)
        });
        let mut reordered: Vec<Ranked> = order.iter().map(|&i| ranked[i].clone()).collect();
        let mut chosen = vec![false; ranked.len()];
        for &i in &order {
            chosen[i] = true;
        }
        reordered.extend(
            ranked
                .iter()
                .enumerate()
                .filter(|(i, _)| !chosen[*i])
                .map(|(_, r)| r.clone()),
        );
        *ranked = reordered;
    }
    if query.min_categories > 0 {
        let categories = models.popularity.categories();
        ensure_categories(ranked, k, query.min_categories, |r| {
            categories[r.item as usize]
        });
    }
}

/// Returns the eligibility mask narrowed to the preferred categories, for a user without
/// history who picked some; `None` when no restriction applies.
fn preferred_mask(models: &Models, query: &Query, eligible: &[bool]) -> Option<Vec<bool>> {
    let has_history = query.user.is_some_and(|u| !models.user_row(u).0.is_empty());
    if query.preferred_categories.is_empty() || has_history {
        return None;
    }
    let categories = models.popularity.categories();
    Some(
        eligible
            .iter()
            .zip(categories)
            .map(|(&e, c)| e && query.preferred_categories.contains(c))
            .collect(),
    )
}

/// Marks which products may be recommended: not the anchor, not in the cart, and not bought
/// by the user when the query excludes purchases.
fn eligibility(models: &Models, query: &Query, items: usize) -> Vec<bool> {
    let mut eligible = vec![true; items];
    if let Some(anchor) = query.anchor {
        eligible[anchor as usize] = false;
    }
    for &item in query.cart.iter().chain(query.excluded) {
        eligible[item as usize] = false;
    }
    if let (Some(user), true) = (query.user, query.exclude_purchased) {
        let (history, _, kinds) = models.user_row(user);
        for (&item, &kind) in history.iter().zip(kinds) {
            if kind & InteractionKind::Purchase.bit() != 0 {
                eligible[item as usize] = false;
            }
        }
    }
    // "Not interested" hides a product from its user whatever the request contains.
    if let Some(user) = query.user {
        let (history, _, kinds) = models.user_row(user);
        for (&item, &kind) in history.iter().zip(kinds) {
            if kind & InteractionKind::NotInterested.bit() != 0 {
                eligible[item as usize] = false;
            }
        }
    }
    eligible
}

/// Returns the component's raw score per product, or `None` when it has no evidence at all for
/// this query (a visitor without history, a product without interactions).
fn raw_scores(
    models: &Models,
    query: &Query,
    component: Component,
    items: usize,
) -> Option<Vec<f32>> {
    let mut scores = vec![0f32; items];
    let history: (&[u32], &[f32]) = match query.user {
        Some(user) => {
            let (items, strengths, _) = models.user_row(user);
            (items, strengths)
        }
        None => (&[], &[]),
    };
    match (component, query.context) {
        (Component::Popularity, _) => match &query.group_popularity {
            Some(group) => scores.copy_from_slice(&group.scores),
            None => scores.copy_from_slice(models.popularity.scores()),
        },
        (Component::Collaborative, Context::Homepage) => {
            let x = models.user_factors(query.user?)?;
            match query.collaborative_scores {
                Some(batch) => scores.copy_from_slice(batch),
                None => models.als.score_all(x, &mut scores),
            }
        }
        (Component::Collaborative, Context::ProductPage) => {
            let anchor = query.anchor? as usize;
            if !models.als.has_item_signal(anchor) {
                return None;
            }
            models.als.item_cosines(anchor, &mut scores);
        }
        (Component::Collaborative, Context::Cart) => {
            let with_signal: Vec<u32> = query
                .cart
                .iter()
                .copied()
                .filter(|&i| models.als.has_item_signal(i as usize))
                .collect();
            if with_signal.is_empty() {
                return None;
            }
            let mut cosines = vec![0f32; items];
            for &item in &with_signal {
                models.als.item_cosines(item as usize, &mut cosines);
                for (s, c) in scores.iter_mut().zip(&cosines) {
                    *s += c / with_signal.len() as f32;
                }
            }
        }
        (Component::Content, Context::Homepage) => {
            if history.0.is_empty() {
                return None;
            }
            match (query.content_scores, query.user) {
                (Some(batch), _) => scores.copy_from_slice(batch),
                (None, Some(user)) => user_profile_scores(models, user, &mut scores),
                (None, None) => return None,
            }
        }
        (Component::Content, Context::ProductPage) => {
            let anchor = query.anchor?;
            models.content.profile_scores(&[(anchor, 1.0)], &mut scores);
        }
        (Component::Content, Context::Cart) => {
            if query.cart.is_empty() {
                return None;
            }
            let weighted: Vec<(u32, f32)> = query.cart.iter().map(|&i| (i, 1.0)).collect();
            models.content.profile_scores(&weighted, &mut scores);
        }
    }
    Some(scores)
}

/// Writes into `scores` the content cosine of every product to the profile of the user's
/// history, each product weighted by its strength. Leaves zeros for an empty history.
pub(crate) fn user_profile_scores(models: &Models, user: usize, scores: &mut [f32]) {
    let (history, strengths, _) = models.user_row(user);
    let weighted: Vec<(u32, f32)> = history
        .iter()
        .copied()
        .zip(strengths.iter().copied())
        .collect();
    models.content.profile_scores(&weighted, scores);
}

/// Min-max normalizes `raw` over the component's candidates; `None` without candidates.
fn normalize(raw: Vec<f32>, eligible: &[bool], component: Component) -> Option<ComponentScores> {
    let has_evidence = |score: f32| match component {
        Component::Collaborative => score != 0.0,
        Component::Content | Component::Popularity => score > 0.0,
    };
    let candidate: Vec<bool> = raw
        .iter()
        .zip(eligible)
        .map(|(&s, &e)| e && s.is_finite() && has_evidence(s))
        .collect();
    let (mut min, mut max) = (f32::INFINITY, f32::NEG_INFINITY);
    for (&score, _) in raw.iter().zip(&candidate).filter(|(_, &c)| c) {
        min = min.min(score);
        max = max.max(score);
    }
    if min > max {
        return None;
    }
    let range = max - min;
    let normalized = raw
        .iter()
        .zip(&candidate)
        .map(|(&s, &c)| match (c, range > 0.0) {
            (false, _) => 0.0,
            (true, true) => (s - min) / range,
            (true, false) => 1.0,
        })
        .collect();
    Some(ComponentScores {
        normalized,
        candidate,
    })
}

/// Keeps the `k` best by score (ties by product index), best first.
fn top_k(ranked: &mut Vec<Ranked>, k: usize) {
    let order = |a: &Ranked, b: &Ranked| b.score.total_cmp(&a.score).then(a.item.cmp(&b.item));
    if ranked.len() > k {
        ranked.select_nth_unstable_by(k, order);
        ranked.truncate(k);
    }
    ranked.sort_by(order);
}

/// Appends trending, then catalog-order products until the list has `k` or no eligible
/// product is left.
fn fill(models: &Models, eligible: &[bool], k: usize, ranked: &mut Vec<Ranked>) {
    if ranked.len() >= k {
        return;
    }
    let mut taken = vec![false; eligible.len()];
    for r in ranked.iter() {
        taken[r.item as usize] = true;
    }
    let trending = models
        .popularity
        .ranking()
        .iter()
        .copied()
        .filter(|&i| models.popularity.scores()[i as usize] > 0.0);
    let sources = trending
        .map(|i| (i, Origin::TrendingFill))
        .chain((0..eligible.len() as u32).map(|i| (i, Origin::CatalogFill)));
    for (item, origin) in sources {
        if ranked.len() >= k {
            break;
        }
        if !eligible[item as usize] || taken[item as usize] {
            continue;
        }
        taken[item as usize] = true;
        ranked.push(Ranked {
            item,
            score: 0.0,
            components: [0.0; 3],
            origin,
        });
    }
}
