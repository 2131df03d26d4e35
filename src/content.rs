//! Content-based item representation and item-item similarity.
//!
//! Each product becomes one L2-normalized sparse vector that concatenates weighted
//! blocks: the TF-IDF vector of its name and description, a one-hot category, a one-hot
//! brand and its standardized log price `(ln(1 + price) - mean) / std`. Similarity is
//! the cosine, which for unit vectors is the dot product. Only the top-k neighbours of
//! each item are stored; no items x items matrix is ever built.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::catalog::Product;
use crate::error::{check_finite_at_least, check_range, Result};
use crate::parallel::map_row_blocks;
use crate::sparse::SparseVector;
use crate::tfidf::TfIdf;

/// Content model settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContentConfig {
    /// Vocabulary cap of the TF-IDF block.
    pub max_terms: usize,
    /// Terms in a larger share of the descriptions than this (0 to 1) are ignored.
    pub max_document_share: f64,
    /// Neighbours kept per item.
    pub neighbours: usize,
    /// Weight of the TF-IDF block.
    pub text_weight: f32,
    /// Weight of the one-hot category block.
    pub category_weight: f32,
    /// Weight of the one-hot brand block.
    pub brand_weight: f32,
    /// Weight of the standardized log-price dimension.
    pub price_weight: f32,
}

impl Default for ContentConfig {
    fn default() -> Self {
        ContentConfig {
            max_terms: 1000,
            max_document_share: 0.5,
            neighbours: 50,
            text_weight: 1.0,
            category_weight: 0.6,
            brand_weight: 0.4,
            price_weight: 0.3,
        }
    }
}

impl ContentConfig {
    /// Rejects settings outside their documented ranges.
    pub fn validate(&self) -> Result<()> {
        check_range("maxTerms", self.max_terms, 1, 1_000_000)?;
        check_range("neighbours", self.neighbours, 1, 10_000)?;
        if !(self.max_document_share > 0.0 && self.max_document_share <= 1.0) {
            return Err(crate::error::Error::invalid(
                "maxDocumentShare",
                self.max_document_share,
                "a number above 0 and at most 1",
            ));
        }
        check_finite_at_least("textWeight", self.text_weight as f64, 0.0)?;
        check_finite_at_least("categoryWeight", self.category_weight as f64, 0.0)?;
        check_finite_at_least("brandWeight", self.brand_weight as f64, 0.0)?;
        check_finite_at_least("priceWeight", self.price_weight as f64, 0.0)
    }
}

/// Item content vectors and their top-k neighbour lists.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ContentModel {
    vectors: Vec<SparseVector>,
    neighbours: Vec<Vec<(u32, f32)>>,
    space: VectorSpace,
}

/// The mapping from a product to its vector: the fitted vocabulary, the label dimensions and
/// the price standardization, kept so that products added later land in the same space.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct VectorSpace {
    config: ContentConfig,
    tfidf: TfIdf,
    categories: BTreeMap<String, usize>,
    brands: BTreeMap<String, usize>,
    /// Mean and standard deviation of `ln(1 + price)` over priced products.
    price_mean: f64,
    price_std: f64,
}

impl VectorSpace {
    fn category_offset(&self) -> usize {
        self.tfidf.terms().len()
    }

    fn brand_offset(&self) -> usize {
        self.category_offset() + self.categories.len()
    }

    fn price_dimension(&self) -> usize {
        self.brand_offset() + self.brands.len()
    }

    /// Returns the product's L2-normalized vector. A category or brand unseen when the space was
    /// fitted has no dimension and is left out.
    fn vectorize(&self, product: &Product) -> SparseVector {
        let config = &self.config;
        let text = self.tfidf.transform(&product_text(product));
        let mut pairs: Vec<(u32, f32)> = text
            .indices
            .iter()
            .zip(&text.values)
            .map(|(&i, &v)| (i, v * config.text_weight))
            .collect();
        if let Some(&c) = self.categories.get(&product.category) {
            pairs.push(((self.category_offset() + c) as u32, config.category_weight));
        }
        if let Some(&b) = self.brands.get(&product.brand) {
            pairs.push(((self.brand_offset() + b) as u32, config.brand_weight));
        }
        let price = if product.price > 0.0 && self.price_std > 0.0 {
            ((product.price.ln_1p() - self.price_mean) / self.price_std) as f32
        } else {
            0.0
        };
        pairs.push((self.price_dimension() as u32, price * config.price_weight));
        let mut vector = SparseVector::from_pairs(pairs);
        vector.normalize();
        vector
    }
}

fn product_text(product: &Product) -> String {
    format!("{} {}", product.name, product.description)
}

impl ContentModel {
    /// Builds the vectors and neighbour lists of `products`.
    pub fn build(products: &[Product], config: &ContentConfig) -> Result<ContentModel> {
        config.validate()?;
        let texts: Vec<String> = products.iter().map(product_text).collect();
        let (price_mean, price_std) = log_price_moments(products);
        let space = VectorSpace {
            config: config.clone(),
            tfidf: TfIdf::fit(&texts, config.max_terms, config.max_document_share),
            categories: index_labels(products.iter().map(|p| p.category.as_str())),
            brands: index_labels(products.iter().map(|p| p.brand.as_str())),
            price_mean,
            price_std,
        };
        let vectors: Vec<SparseVector> = products.iter().map(|p| space.vectorize(p)).collect();
        let neighbours =
            top_neighbours(&vectors, space.price_dimension() as u32, config.neighbours);
        Ok(ContentModel {
            vectors,
            neighbours,
            space,
        })
    }

    /// Adds a product after training: its vector in the fitted space, its neighbours by
    /// a scan of every item, and itself in the lists of the items it is now among the
    /// closest to. Returns its index.
    pub fn add_item(&mut self, product: &Product) -> usize {
        let vector = self.space.vectorize(product);
        let index = self.vectors.len();
        let k = self.space.config.neighbours;
        let mut candidates: Vec<(u32, f32)> = self
            .vectors
            .iter()
            .enumerate()
            .map(|(j, other)| (j as u32, vector.dot(other)))
            .collect();
        for &(j, similarity) in &candidates {
            insert_neighbour(
                &mut self.neighbours[j as usize],
                (index as u32, similarity),
                k,
            );
        }
        candidates.retain(|&(_, similarity)| similarity > 0.0);
        candidates.sort_by(by_similarity);
        candidates.truncate(k);
        self.vectors.push(vector);
        self.neighbours.push(candidates);
        index
    }

    /// Checks the vectors and neighbour lists against `items`, for models read from bytes.
    /// Returns a description of the first problem.
    pub fn check(&self, items: usize) -> std::result::Result<(), String> {
        if self.vectors.len() != items || self.neighbours.len() != items {
            return Err(format!("the content model does not have {items} products"));
        }
        if self.space.tfidf.idf().len() != self.space.tfidf.terms().len() {
            return Err("the vocabulary and its IDF differ in length".to_string());
        }
        let dimensions = self.space.price_dimension() + 1;
        for vector in &self.vectors {
            let sorted = vector.indices.windows(2).all(|w| w[0] < w[1]);
            if !sorted
                || vector.indices.len() != vector.values.len()
                || vector.indices.iter().any(|&d| d as usize >= dimensions)
            {
                return Err("a content vector has invalid dimensions".to_string());
            }
        }
        if self
            .neighbours
            .iter()
            .flatten()
            .any(|&(j, s)| j as usize >= items || !s.is_finite())
        {
            return Err("a neighbour list names an unknown product".to_string());
        }
        Ok(())
    }

    /// Returns the number of items.
    pub fn len(&self) -> usize {
        self.vectors.len()
    }

    /// Returns whether the model has no items.
    pub fn is_empty(&self) -> bool {
        self.vectors.is_empty()
    }

    /// Returns the size of the TF-IDF vocabulary.
    pub fn vocabulary_size(&self) -> usize {
        self.space.tfidf.terms().len()
    }

    /// Returns the cosine similarity of two items' content.
    pub fn similarity(&self, a: usize, b: usize) -> f32 {
        self.vectors[a].dot(&self.vectors[b])
    }

    /// Writes into `out[j]` the cosine between `item` and `others[j]`, equal to
    /// [`ContentModel::similarity`] bit for bit. `dense` is scratch that must be all
    /// zeros (or empty) on entry and is left all zeros.
    pub fn similarities_to(
        &self,
        item: usize,
        others: &[u32],
        dense: &mut Vec<f32>,
        out: &mut [f32],
    ) {
        dense.resize(self.space.price_dimension() + 1, 0.0);
        let vector = &self.vectors[item];
        vector.add_to_dense(1.0, dense);
        for (value, &other) in out.iter_mut().zip(others) {
            *value = self.vectors[other as usize].dot_dense(dense);
        }
        vector.clear_in_dense(dense);
    }

    /// Returns the stored neighbours of `item`, most similar first.
    pub fn neighbours(&self, item: usize) -> &[(u32, f32)] {
        &self.neighbours[item]
    }

    /// Writes into `scores` the cosine between every item and the profile
    /// `sum_j w_j v_j` of the weighted `items`. Leaves zeros when the profile is zero.
    pub fn profile_scores(&self, items: &[(u32, f32)], scores: &mut [f32]) {
        let mut profile = vec![0f32; self.space.price_dimension() + 1];
        for &(item, weight) in items {
            self.vectors[item as usize].add_to_dense(weight, &mut profile);
        }
        let norm = profile.iter().map(|v| v * v).sum::<f32>().sqrt();
        if norm == 0.0 || !norm.is_finite() {
            scores.fill(0.0);
            return;
        }
        for (score, vector) in scores.iter_mut().zip(&self.vectors) {
            *score = vector.dot_dense(&profile) / norm;
        }
    }
}

/// Gives each distinct non-empty label a dense index.
fn index_labels<'a>(labels: impl Iterator<Item = &'a str>) -> BTreeMap<String, usize> {
    let mut index = BTreeMap::new();
    for label in labels.filter(|l| !l.is_empty()) {
        let next = index.len();
        index.entry(label.to_string()).or_insert(next);
    }
    index
}

/// Returns the mean and standard deviation of `ln(1 + price)` over the products with a price;
/// an unknown (zero) price later maps to the mean, 0.
fn log_price_moments(products: &[Product]) -> (f64, f64) {
    let logs: Vec<f64> = products
        .iter()
        .filter(|p| p.price > 0.0)
        .map(|p| p.price.ln_1p())
        .collect();
    if logs.is_empty() {
        return (0.0, 0.0);
    }
    let mean = logs.iter().sum::<f64>() / logs.len() as f64;
    let variance = logs.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / logs.len() as f64;
    (mean, variance.sqrt())
}

/// Orders neighbours by similarity, best first, ties by index.
fn by_similarity(a: &(u32, f32), b: &(u32, f32)) -> std::cmp::Ordering {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
}

/// Inserts `candidate` into a sorted neighbour list of at most `k` if it belongs there.
fn insert_neighbour(list: &mut Vec<(u32, f32)>, candidate: (u32, f32), k: usize) {
    if candidate.1 <= 0.0 {
        return;
    }
    let position = list.partition_point(|existing| by_similarity(existing, &candidate).is_lt());
    if position < k {
        list.insert(position, candidate);
        list.truncate(k);
    }
}

/// Finds each item's `k` most similar items through an inverted index over the sparse
/// dimensions. Candidates are the items that share a term, category or brand; the dense
/// price dimension only adjusts their scores, so cost grows with shared postings, not
/// with items squared.
fn top_neighbours(
    vectors: &[SparseVector],
    price_dimension: u32,
    k: usize,
) -> Vec<Vec<(u32, f32)>> {
    let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); price_dimension as usize];
    let mut price = vec![0f32; vectors.len()];
    for (item, vector) in vectors.iter().enumerate() {
        for (&d, &v) in vector.indices.iter().zip(&vector.values) {
            if d == price_dimension {
                price[item] = v;
            } else {
                postings[d as usize].push((item as u32, v));
            }
        }
    }

    // Items are independent, so blocks of them run in parallel (with the `parallel`
    // feature), each with its own scratch accumulators.
    let blocks = map_row_blocks(vectors.len(), ITEMS_PER_TASK, |range| {
        let mut search = NeighbourSearch::new(vectors.len());
        range
            .map(|item| search.top(item, vectors, &postings, &price, price_dimension, k))
            .collect::<Vec<_>>()
    });
    blocks.into_iter().flatten().collect()
}

/// Items per task of the neighbour search.
const ITEMS_PER_TASK: usize = 128;

/// Scratch accumulators of the neighbour search, reset after every item.
struct NeighbourSearch {
    scores: Vec<f32>,
    is_touched: Vec<bool>,
    touched: Vec<u32>,
    candidates: Vec<(u32, f32)>,
}

impl NeighbourSearch {
    fn new(items: usize) -> Self {
        NeighbourSearch {
            scores: vec![0f32; items],
            is_touched: vec![false; items],
            touched: Vec::new(),
            candidates: Vec::new(),
        }
    }

    /// Returns the `k` items most similar to `item`, best first.
    fn top(
        &mut self,
        item: usize,
        vectors: &[SparseVector],
        postings: &[Vec<(u32, f32)>],
        price: &[f32],
        price_dimension: u32,
        k: usize,
    ) -> Vec<(u32, f32)> {
        let vector = &vectors[item];
        let scores = &mut self.scores;
        for (&d, &v) in vector.indices.iter().zip(&vector.values) {
            if d == price_dimension {
                continue;
            }
            for &(other, w) in &postings[d as usize] {
                if !self.is_touched[other as usize] {
                    self.is_touched[other as usize] = true;
                    self.touched.push(other);
                }
                scores[other as usize] += v * w;
            }
        }
        let candidates = &mut self.candidates;
        candidates.clear();
        candidates.extend(
            self.touched
                .iter()
                .filter(|&&other| other as usize != item)
                .map(|&other| {
                    (
                        other,
                        scores[other as usize] + price[item] * price[other as usize],
                    )
                }),
        );
        for &other in &self.touched {
            scores[other as usize] = 0.0;
            self.is_touched[other as usize] = false;
        }
        self.touched.clear();
        if candidates.len() > k {
            candidates.select_nth_unstable_by(k, by_similarity);
            candidates.truncate(k);
        }
        candidates.sort_by(by_similarity);
        // A fresh, exact-size list: the scratch buffer holds up to every item, and keeping
        // its capacity per item would cost items x items memory.
        candidates.to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(id: &str, category: &str, brand: &str, price: f64, description: &str) -> Product {
        Product {
            id: id.into(),
            name: String::new(),
            category: category.into(),
            brand: brand.into(),
            price,
            description: description.into(),
        }
    }

    #[test]
    fn neighbours_match_brute_force_cosine() {
        let products = vec![
            product("a", "books", "north", 10.0, "mystery novel detective"),
            product("b", "books", "north", 12.0, "mystery novel thriller"),
            product("c", "books", "south", 30.0, "cookbook recipes kitchen"),
            product("d", "garden", "green", 50.0, "garden hose kitchen"),
            product("e", "garden", "green", 45.0, "lawn mower garden"),
            product("f", "garden", "fern", 20.0, "seed tray"),
        ];
        let config = ContentConfig {
            neighbours: 2,
            ..Default::default()
        };
        let model = ContentModel::build(&products, &config).unwrap();
        for item in 0..products.len() {
            let mut brute: Vec<(u32, f32)> = (0..products.len())
                .filter(|&j| j != item)
                .map(|j| (j as u32, model.similarity(item, j)))
                .collect();
            brute.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let stored = model.neighbours(item);
            assert_eq!(stored.len(), 2);
            for (s, b) in stored.iter().zip(&brute) {
                assert_eq!(s.0, b.0, "item {item}");
                assert!((s.1 - b.1).abs() < 1e-6);
            }
        }
        assert_eq!(
            model.neighbours(0)[0].0,
            1,
            "the other mystery novel is nearest"
        );
    }

    #[cfg(feature = "parallel")]
    #[test]
    fn threads_give_identical_neighbours() {
        // Enough products for several blocks of the neighbour search.
        let words = [
            "red", "blue", "shoe", "coat", "wool", "silk", "lamp", "desk",
        ];
        let products: Vec<Product> = (0..400)
            .map(|i| {
                let description = format!("{} {}", words[i % 8], words[(i * 5 + 3) % 8]);
                let category = ["home", "wear", "office"][i % 3];
                product(&format!("p{i}"), category, "", 5.0 + i as f64, &description)
            })
            .collect();
        let build_on = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| ContentModel::build(&products, &ContentConfig::default()).unwrap())
        };
        let serial = build_on(1);
        let parallel = build_on(3);
        assert_eq!(serial.neighbours(0).len(), 50);
        assert_eq!(serial.neighbours, parallel.neighbours);
    }

    #[test]
    fn vectors_are_unit_length_and_self_similar() {
        let products = vec![
            product("a", "x", "y", 5.0, "red shoe"),
            product("b", "", "", 0.0, ""),
        ];
        let model = ContentModel::build(&products, &ContentConfig::default()).unwrap();
        assert!((model.similarity(0, 0) - 1.0).abs() < 1e-6);
        // A product with nothing but an unknown price has an all-zero vector.
        assert_eq!(model.similarity(1, 1), 0.0);
    }

    #[test]
    fn log_price_moments_skip_unknown_prices() {
        // ln(2), ln(11), ln(101): mean 2.568721, population std 1.605689.
        let products: Vec<Product> = [1.0, 10.0, 100.0, 0.0]
            .iter()
            .map(|&p| product("p", "", "", p, ""))
            .collect();
        let (mean, std) = log_price_moments(&products);
        assert!((mean - 2.568_721).abs() < 1e-5, "{mean}");
        assert!((std - 1.605_689).abs() < 1e-5, "{std}");
    }

    #[test]
    fn added_item_matches_a_full_rebuild() {
        let mut products = vec![
            product("a", "books", "north", 10.0, "mystery novel detective"),
            product("b", "books", "north", 12.0, "mystery novel thriller"),
            product("c", "garden", "green", 50.0, "garden hose kitchen"),
            product("d", "garden", "green", 45.0, "lawn mower garden"),
        ];
        let config = ContentConfig {
            neighbours: 2,
            max_document_share: 1.0,
            ..Default::default()
        };
        let mut model = ContentModel::build(&products, &config).unwrap();
        let new = product("n", "books", "north", 11.0, "mystery detective thriller");
        assert_eq!(model.add_item(&new), 4);
        products.push(new);

        // The new item's neighbours are the two mystery books, found by a full scan.
        let ids: Vec<u32> = model.neighbours(4).iter().map(|n| n.0).collect();
        assert_eq!(ids.len(), 2);
        assert!(ids.contains(&0) && ids.contains(&1), "{ids:?}");
        // It enters the lists of the books, which it is close to, and not the garden's.
        assert!(model.neighbours(0).iter().any(|n| n.0 == 4));
        assert!(!model.neighbours(2).iter().any(|n| n.0 == 4));
        for list in (0..5).map(|i| model.neighbours(i)) {
            assert!(list.windows(2).all(|w| w[0].1 >= w[1].1), "{list:?}");
            assert!(list.len() <= 2);
        }
    }

    #[test]
    fn profile_scores_favour_history_category() {
        let products = vec![
            product("a", "books", "north", 10.0, "mystery novel"),
            product("b", "books", "north", 11.0, "mystery thriller"),
            product("c", "garden", "green", 40.0, "garden hose"),
        ];
        let model = ContentModel::build(&products, &ContentConfig::default()).unwrap();
        let mut scores = vec![0f32; 3];
        model.profile_scores(&[(0, 2.0)], &mut scores);
        assert!((scores[0] - 1.0).abs() < 1e-6);
        assert!(scores[1] > scores[2]);
        model.profile_scores(&[], &mut scores);
        assert_eq!(scores, vec![0.0; 3]);
    }
}
