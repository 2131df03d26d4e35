//! Ranking metrics at a cutoff `k`, with binary relevance.
//!
//! For a list `L` of at most `k` products and a non-empty relevant set `R`:
//!
//! ```text
//! precision@k = |L ∩ R| / k
//! recall@k    = |L ∩ R| / |R|
//! DCG@k       = sum over positions p (1-based) of L with L_p in R of 1 / log2(p + 1)
//! NDCG@k      = DCG@k / IDCG@k, IDCG@k = sum_{p=1}^{min(k, |R|)} 1 / log2(p + 1)
//!
//! AP@k        = (1 / |R|) * sum over positions p of L with L_p in R of precision@p
//! RR@k        = 1 / (position of the first L_p in R), 0 without a hit
//! hit@k       = 1 if L ∩ R is not empty, else 0
//! ```
//!
//! Precision divides by `k` even when the list is shorter, the convention of
//! `trec_eval` and most libraries, so a short list is not rewarded. AP divides by `|R|`
//! as `trec_eval`'s `map_cut` and `ranx`'s `map@k` do. Their means over users are MAP,
//! MRR and the hit rate. `tests/reference_metrics.rs` checks all six against values
//! computed by `ranx`.
//!
//! Beyond accuracy: novelty is the mean self-information `-log2 p_i` of the recommended
//! products, with `p_i` the smoothed share of training users who interacted with product
//! `i`, `(users_i + 1) / (users + 1)` (Zhou et al., "Solving the apparent diversity-accuracy
//! dilemma of recommender systems", PNAS 2010). Popularity bias is the mean popularity
//! rank (1 = most interacted-with product in training) of the recommended products.

/// Precision at `k`.
pub fn precision_at_k(list: &[u32], relevant: &[u32], k: usize) -> f64 {
    if k == 0 {
        return 0.0;
    }
    hits(list, relevant, k) as f64 / k as f64
}

/// Recall at `k`; zero for an empty relevant set.
pub fn recall_at_k(list: &[u32], relevant: &[u32], k: usize) -> f64 {
    if relevant.is_empty() {
        return 0.0;
    }
    hits(list, relevant, k) as f64 / relevant.len() as f64
}

/// NDCG at `k` with binary gains and a `log2` discount; zero for an empty relevant set.
pub fn ndcg_at_k(list: &[u32], relevant: &[u32], k: usize) -> f64 {
    let discount = |position: usize| 1.0 / (position as f64 + 2.0).log2();
    let dcg: f64 = list
        .iter()
        .take(k)
        .enumerate()
        .filter(|(_, item)| relevant.contains(item))
        .map(|(p, _)| discount(p))
        .sum();
    let ideal: f64 = (0..k.min(relevant.len())).map(discount).sum();
    if ideal == 0.0 {
        0.0
    } else {
        dcg / ideal
    }
}

/// Average precision at `k`, normalized by `|R|`; zero for an empty relevant set.
pub fn average_precision_at_k(list: &[u32], relevant: &[u32], k: usize) -> f64 {
    if relevant.is_empty() {
        return 0.0;
    }
    let mut hits = 0usize;
    let mut sum = 0.0;
    for (p, item) in list.iter().take(k).enumerate() {
        if relevant.contains(item) {
            hits += 1;
            sum += hits as f64 / (p + 1) as f64;
        }
    }
    sum / relevant.len() as f64
}

/// Reciprocal rank of the first hit within `k`; zero without a hit.
pub fn reciprocal_rank_at_k(list: &[u32], relevant: &[u32], k: usize) -> f64 {
    list.iter()
        .take(k)
        .position(|item| relevant.contains(item))
        .map_or(0.0, |p| 1.0 / (p + 1) as f64)
}

/// 1 when the top `k` contains a relevant product, else 0.
pub fn hit_at_k(list: &[u32], relevant: &[u32], k: usize) -> f64 {
    if hits(list, relevant, k) > 0 {
        1.0
    } else {
        0.0
    }
}

/// Mean self-information `-log2((users_i + 1) / (users + 1))` of the listed products,
/// where `users_i` is how many of `users` training users interacted with product `i`;
/// zero for an empty list.
pub fn novelty(list: &[u32], item_users: &[u32], users: usize) -> f64 {
    if list.is_empty() {
        return 0.0;
    }
    let total = users as f64 + 1.0;
    let information: f64 = list
        .iter()
        .map(|&i| -((item_users[i as usize] as f64 + 1.0) / total).log2())
        .sum();
    information / list.len() as f64
}

/// Mean 1-based popularity rank of the listed products; zero for an empty list.
pub fn mean_popularity_rank(list: &[u32], rank: &[u32]) -> f64 {
    if list.is_empty() {
        return 0.0;
    }
    list.iter().map(|&i| rank[i as usize] as f64).sum::<f64>() / list.len() as f64
}

/// Returns the share of the catalog's `items` products that appear in at least one list.
pub fn catalog_coverage(lists: &[Vec<u32>], items: usize) -> f64 {
    if items == 0 {
        return 0.0;
    }
    let mut seen = vec![false; items];
    for &item in lists.iter().flatten() {
        seen[item as usize] = true;
    }
    seen.iter().filter(|&&s| s).count() as f64 / items as f64
}

/// Intra-list diversity: the mean of `1 - similarity` over all unordered pairs of the
/// list, with the similarity clamped to [0, 1] so that the result lies in [0, 1] (content
/// cosines can be slightly negative through the signed price feature); zero for lists
/// shorter than two.
pub fn intra_list_diversity(list: &[u32], similarity: impl Fn(u32, u32) -> f32) -> f64 {
    let mut total = 0.0;
    let mut pairs = 0usize;
    for (a, &first) in list.iter().enumerate() {
        for &second in &list[a + 1..] {
            total += 1.0 - similarity(first, second).clamp(0.0, 1.0) as f64;
            pairs += 1;
        }
    }
    if pairs == 0 {
        0.0
    } else {
        total / pairs as f64
    }
}

fn hits(list: &[u32], relevant: &[u32], k: usize) -> usize {
    list.iter()
        .take(k)
        .filter(|item| relevant.contains(item))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    // List [5, 1, 7, 3] against relevant {1, 3, 9}, k = 3: one hit at position 2.
    const LIST: [u32; 4] = [5, 1, 7, 3];
    const RELEVANT: [u32; 3] = [1, 3, 9];

    #[test]
    fn precision_counts_hits_over_k() {
        assert!((precision_at_k(&LIST, &RELEVANT, 3) - 1.0 / 3.0).abs() < 1e-12);
        assert!((precision_at_k(&LIST, &RELEVANT, 4) - 0.5).abs() < 1e-12);
        // A short list is still divided by k.
        assert!((precision_at_k(&[1], &RELEVANT, 5) - 0.2).abs() < 1e-12);
    }

    #[test]
    fn recall_counts_hits_over_relevant() {
        assert!((recall_at_k(&LIST, &RELEVANT, 3) - 1.0 / 3.0).abs() < 1e-12);
        assert!((recall_at_k(&LIST, &RELEVANT, 4) - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(recall_at_k(&LIST, &[], 4), 0.0);
    }

    #[test]
    fn ndcg_worked_example() {
        // k = 3: DCG = 1/log2(3) = 0.63093; IDCG = 1 + 1/log2(3) + 1/log2(4) = 2.13093.
        let expected = 0.630_929_753_571_457_4 / 2.130_929_753_571_457;
        assert!((ndcg_at_k(&LIST, &RELEVANT, 3) - expected).abs() < 1e-12);
        // k = 4: DCG adds 1/log2(5) = 0.43068.
        let expected = (0.630_929_753_571_457_4 + 0.430_676_558_073_393) / 2.130_929_753_571_457;
        assert!((ndcg_at_k(&LIST, &RELEVANT, 4) - expected).abs() < 1e-12);
        assert_eq!(ndcg_at_k(&[1, 3, 9], &RELEVANT, 3), 1.0);
        assert_eq!(ndcg_at_k(&[2, 4], &RELEVANT, 3), 0.0);
    }

    #[test]
    fn average_precision_worked_example() {
        // Hits at positions 2 and 4 (k = 4): (1/2 + 2/4) / |R| = 1 / 3.
        assert!((average_precision_at_k(&LIST, &RELEVANT, 4) - 1.0 / 3.0).abs() < 1e-12);
        // k = 3 keeps only the hit at 2: (1/2) / 3.
        assert!((average_precision_at_k(&LIST, &RELEVANT, 3) - 1.0 / 6.0).abs() < 1e-12);
        assert_eq!(average_precision_at_k(&[1, 3, 9], &RELEVANT, 3), 1.0);
    }

    #[test]
    fn reciprocal_rank_and_hit() {
        assert_eq!(reciprocal_rank_at_k(&LIST, &RELEVANT, 4), 0.5);
        assert_eq!(reciprocal_rank_at_k(&LIST, &RELEVANT, 1), 0.0);
        assert_eq!(hit_at_k(&LIST, &RELEVANT, 2), 1.0);
        assert_eq!(hit_at_k(&LIST, &RELEVANT, 1), 0.0);
    }

    #[test]
    fn novelty_and_popularity_rank() {
        // 3 training users; product 0 was used by 3 of them, product 1 by none:
        // -log2(4/4) = 0 and -log2(1/4) = 2, mean 1.
        let item_users = [3, 0];
        assert!((novelty(&[0, 1], &item_users, 3) - 1.0).abs() < 1e-12);
        assert_eq!(novelty(&[], &item_users, 3), 0.0);
        assert_eq!(mean_popularity_rank(&[0, 1], &[1, 2]), 1.5);
    }

    #[test]
    fn coverage_counts_distinct_items() {
        let lists = vec![vec![0, 1], vec![1, 2]];
        assert_eq!(catalog_coverage(&lists, 10), 0.3);
    }

    #[test]
    fn diversity_averages_pairs() {
        // Pairs (1,2): sim 1 -> 0; (1,3) and (2,3): sim 0 -> 1. Mean 2/3.
        let similarity = |a: u32, b: u32| if a + b == 3 { 1.0 } else { 0.0 };
        assert!((intra_list_diversity(&[1, 2, 3], similarity) - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(intra_list_diversity(&[1], similarity), 0.0);
        // A negative cosine counts as 0, so the result stays at most 1.
        assert_eq!(intra_list_diversity(&[1, 5], |_, _| -0.3), 1.0);
    }
}
