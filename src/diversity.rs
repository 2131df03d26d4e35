//! Re-ranking for diversity: maximal marginal relevance and a minimum number of
//! categories.
//!
//! MMR (Carbonell and Goldstein, "The use of MMR, diversity-based reranking for
//! reordering documents and producing summaries", SIGIR 1998) builds the list greedily,
//! each time taking the candidate that maximizes
//!
//! ```text
//! lambda * relevance(i) - (1 - lambda) * max_{j already chosen} similarity(i, j)
//! ```
//!
//! so `lambda = 1` keeps the relevance order and `lambda = 0` picks, after the most
//! relevant item, the one least similar to everything chosen so far. Ties go to the more
//! relevant candidate.

/// Orders `relevance.len()` candidates (given most relevant first) by MMR and returns
/// the first `k` positions chosen, as indices into `relevance`.
pub fn mmr_order(
    relevance: &[f32],
    k: usize,
    lambda: f32,
    similarity: impl Fn(usize, usize) -> f32,
) -> Vec<usize> {
    mmr_order_by_rows(relevance, k, lambda, |pick, row| {
        for (i, value) in row.iter_mut().enumerate() {
            *value = similarity(i, pick);
        }
    })
}

/// Does what [`mmr_order`] does, with the similarities given a row at a time:
/// `similarities_to(pick, row)` writes the similarity of every candidate `i` to the
/// candidate just chosen into `row[i]`. One row per choice lets the caller expand the
/// chosen item once (a sparse vector into a dense one, say) instead of once per pair.
pub fn mmr_order_by_rows(
    relevance: &[f32],
    k: usize,
    lambda: f32,
    mut similarities_to: impl FnMut(usize, &mut [f32]),
) -> Vec<usize> {
    let n = relevance.len();
    let mut chosen = Vec::with_capacity(k.min(n));
    let mut taken = vec![false; n];
    // The highest similarity of each candidate to the chosen ones; 0 before any choice.
    let mut max_similarity = vec![0f32; n];
    let mut row = vec![0f32; n];
    while chosen.len() < k.min(n) {
        let mut best: Option<(usize, f32)> = None;
        for i in (0..n).filter(|&i| !taken[i]) {
            let penalty = if chosen.is_empty() {
                0.0
            } else {
                max_similarity[i]
            };
            let score = lambda * relevance[i] - (1.0 - lambda) * penalty;
            // Strictly greater: on ties the earlier, more relevant candidate stays.
            if best.is_none_or(|(_, b)| score > b) {
                best = Some((i, score));
            }
        }
        let Some((pick, _)) = best else { break };
        taken[pick] = true;
        chosen.push(pick);
        if chosen.len() == k.min(n) {
            break;
        }
        similarities_to(pick, &mut row);
        for i in (0..n).filter(|&i| !taken[i]) {
            max_similarity[i] = max_similarity[i].max(row[i]);
        }
    }
    chosen
}

/// Makes the first `k` entries of `items` (ordered best first, possibly followed by
/// further candidates) span at least `min_categories` categories when the candidates
/// allow it, with as few replacements as possible: each replacement brings in the best
/// candidate of a category not yet shown, in place of the lowest-ranked shown item whose
/// category is shown more than once. Newcomers go to the end of the first `k`, in their
/// own order. Returns the number of replacements.
pub fn ensure_categories<T: Clone>(
    items: &mut Vec<T>,
    k: usize,
    min_categories: usize,
    category: impl Fn(&T) -> u32,
) -> usize {
    let k = k.min(items.len());
    let mut swaps = 0;
    loop {
        let mut counts: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
        for item in &items[..k] {
            *counts.entry(category(item)).or_insert(0) += 1;
        }
        if counts.len() >= min_categories {
            return swaps;
        }
        let Some(newcomer) = (k..items.len()).find(|&i| !counts.contains_key(&category(&items[i])))
        else {
            return swaps;
        };
        let Some(victim) = (0..k).rev().find(|&i| counts[&category(&items[i])] > 1) else {
            return swaps;
        };
        let incoming = items.remove(newcomer);
        let outgoing = items.remove(victim);
        items.insert(k - 1, incoming);
        // The displaced item stays a candidate, right after the list.
        items.insert(k, outgoing);
        swaps += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Items 0 and 1 are near-duplicates; item 2 is unlike both; 3 is like 2.
    fn similarity(a: usize, b: usize) -> f32 {
        let group = |i: usize| if i < 2 { 0 } else { 1 };
        if a == b {
            1.0
        } else if group(a) == group(b) {
            0.9
        } else {
            0.1
        }
    }

    #[test]
    fn lambda_one_keeps_relevance_order() {
        let relevance = [0.9, 0.8, 0.7, 0.6];
        assert_eq!(mmr_order(&relevance, 4, 1.0, similarity), vec![0, 1, 2, 3]);
    }

    #[test]
    fn lambda_zero_picks_most_dissimilar() {
        // After the most relevant item (0), the least similar to it is 2 (0.1; ties with 3
        // go to the more relevant), then 1 and 3 both have max similarity 0.9.
        let relevance = [0.9, 0.8, 0.7, 0.6];
        assert_eq!(mmr_order(&relevance, 2, 0.0, similarity), vec![0, 2]);
        assert_eq!(mmr_order(&relevance, 4, 0.0, similarity), vec![0, 2, 1, 3]);
    }

    #[test]
    fn balanced_lambda_trades_relevance_for_novelty() {
        // lambda 0.5: after 0, item 1 scores 0.4 - 0.45 = -0.05, item 2 0.35 - 0.05 = 0.3.
        let relevance = [0.9, 0.8, 0.7, 0.6];
        assert_eq!(mmr_order(&relevance, 2, 0.5, similarity), vec![0, 2]);
    }

    #[test]
    fn ties_keep_the_more_relevant() {
        let relevance = [0.5, 0.5, 0.5];
        assert_eq!(mmr_order(&relevance, 3, 1.0, |_, _| 0.0), vec![0, 1, 2]);
        assert_eq!(mmr_order(&[], 3, 0.7, |_, _| 0.0), Vec::<usize>::new());
    }

    #[test]
    fn categories_met_with_fewest_swaps() {
        // (item, category): top 4 are all category 0; candidates beyond hold 1, 1, 2.
        let mut items = vec![(0, 0), (1, 0), (2, 0), (3, 0), (4, 1), (5, 1), (6, 2)];
        let swaps = ensure_categories(&mut items, 4, 3, |&(_, c)| c);
        assert_eq!(swaps, 2);
        let top: Vec<u32> = items[..4].iter().map(|&(i, _)| i).collect();
        assert_eq!(top, vec![0, 1, 4, 6]);
    }

    #[test]
    fn categories_already_met_change_nothing() {
        let mut items = vec![(0, 0), (1, 1), (2, 0), (3, 2)];
        let before = items.clone();
        assert_eq!(ensure_categories(&mut items, 3, 2, |&(_, c)| c), 0);
        assert_eq!(items, before);
    }

    #[test]
    fn categories_limited_by_candidates() {
        // Only two categories exist, so a minimum of 3 stops at 2 after one swap.
        let mut items = vec![(0, 0), (1, 0), (2, 0), (3, 1)];
        assert_eq!(ensure_categories(&mut items, 3, 3, |&(_, c)| c), 1);
        let top: Vec<u32> = items[..3].iter().map(|&(i, _)| i).collect();
        assert_eq!(top, vec![0, 1, 3]);
    }
}
