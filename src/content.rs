//! Content-based item representation and item-item similarity.
//!
//! Each product becomes one L2-normalized sparse vector that concatenates weighted
//! blocks: the TF-IDF vector of its name and description, a one-hot category, a one-hot
//! brand and its standardized log price `(ln(1 + price) - mean) / std`. Similarity is
//! the cosine, which for unit vectors is the dot product. Only the top-k neighbours of
//! each item are stored; no items x items matrix is ever built.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::catalog::Product;
use crate::error::{check_finite_at_least, check_range, Result};
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
#[derive(Debug, Clone)]
pub struct ContentModel {
    vectors: Vec<SparseVector>,
    dimensions: usize,
    neighbours: Vec<Vec<(u32, f32)>>,
    vocabulary: usize,
}

impl ContentModel {
    /// Builds the vectors and neighbour lists of `products`.
    pub fn build(products: &[Product], config: &ContentConfig) -> Result<ContentModel> {
        config.validate()?;
        let texts: Vec<String> = products
            .iter()
            .map(|p| format!("{} {}", p.name, p.description))
            .collect();
        let tfidf = TfIdf::fit(&texts, config.max_terms, config.max_document_share);
        let vocabulary = tfidf.terms().len();

        let categories = index_labels(products.iter().map(|p| p.category.as_str()));
        let brands = index_labels(products.iter().map(|p| p.brand.as_str()));
        let category_offset = vocabulary;
        let brand_offset = category_offset + categories.len();
        let price_dimension = brand_offset + brands.len();
        let prices = standardized_log_prices(products);

        let vectors = products
            .iter()
            .zip(&texts)
            .zip(&prices)
            .map(|((product, text), &price)| {
                let text_vector = tfidf.transform(text);
                let mut pairs: Vec<(u32, f32)> = text_vector
                    .indices
                    .iter()
                    .zip(&text_vector.values)
                    .map(|(&i, &v)| (i, v * config.text_weight))
                    .collect();
                if let Some(&c) = categories.get(product.category.as_str()) {
                    pairs.push(((category_offset + c) as u32, config.category_weight));
                }
                if let Some(&b) = brands.get(product.brand.as_str()) {
                    pairs.push(((brand_offset + b) as u32, config.brand_weight));
                }
                pairs.push((price_dimension as u32, price * config.price_weight));
                let mut vector = SparseVector::from_pairs(pairs);
                vector.normalize();
                vector
            })
            .collect::<Vec<_>>();

        let neighbours = top_neighbours(&vectors, price_dimension as u32, config.neighbours);
        Ok(ContentModel {
            vectors,
            dimensions: price_dimension + 1,
            neighbours,
            vocabulary,
        })
    }

    /// The number of items.
    pub fn len(&self) -> usize {
        self.vectors.len()
    }

    /// Whether the model has no items.
    pub fn is_empty(&self) -> bool {
        self.vectors.is_empty()
    }

    /// The size of the TF-IDF vocabulary.
    pub fn vocabulary_size(&self) -> usize {
        self.vocabulary
    }

    /// The cosine similarity of two items' content.
    pub fn similarity(&self, a: usize, b: usize) -> f32 {
        self.vectors[a].dot(&self.vectors[b])
    }

    /// The stored neighbours of `item`, most similar first.
    pub fn neighbours(&self, item: usize) -> &[(u32, f32)] {
        &self.neighbours[item]
    }

    /// Writes into `scores` the cosine between every item and the profile
    /// `sum_j w_j v_j` of the weighted `items`. Leaves zeros when the profile is zero.
    pub fn profile_scores(&self, items: &[(u32, f32)], scores: &mut [f32]) {
        let mut profile = vec![0f32; self.dimensions];
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
fn index_labels<'a>(labels: impl Iterator<Item = &'a str>) -> HashMap<&'a str, usize> {
    let mut index = HashMap::new();
    for label in labels.filter(|l| !l.is_empty()) {
        let next = index.len();
        index.entry(label).or_insert(next);
    }
    index
}

/// Standardizes `ln(1 + price)` over the products with a price; an unknown (zero) price
/// maps to the mean, 0.
fn standardized_log_prices(products: &[Product]) -> Vec<f32> {
    let logs: Vec<f64> = products
        .iter()
        .filter(|p| p.price > 0.0)
        .map(|p| p.price.ln_1p())
        .collect();
    if logs.is_empty() {
        return vec![0.0; products.len()];
    }
    let mean = logs.iter().sum::<f64>() / logs.len() as f64;
    let variance = logs.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / logs.len() as f64;
    let std = variance.sqrt();
    products
        .iter()
        .map(|p| {
            if p.price > 0.0 && std > 0.0 {
                ((p.price.ln_1p() - mean) / std) as f32
            } else {
                0.0
            }
        })
        .collect()
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

    let mut scores = vec![0f32; vectors.len()];
    let mut is_touched = vec![false; vectors.len()];
    let mut touched: Vec<u32> = Vec::new();
    let mut result = Vec::with_capacity(vectors.len());
    for (item, vector) in vectors.iter().enumerate() {
        for (&d, &v) in vector.indices.iter().zip(&vector.values) {
            if d == price_dimension {
                continue;
            }
            for &(other, w) in &postings[d as usize] {
                if !is_touched[other as usize] {
                    is_touched[other as usize] = true;
                    touched.push(other);
                }
                scores[other as usize] += v * w;
            }
        }
        let mut candidates: Vec<(u32, f32)> = touched
            .iter()
            .filter(|&&other| other as usize != item)
            .map(|&other| {
                (
                    other,
                    scores[other as usize] + price[item] * price[other as usize],
                )
            })
            .collect();
        for &other in &touched {
            scores[other as usize] = 0.0;
            is_touched[other as usize] = false;
        }
        touched.clear();
        let by_score = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if candidates.len() > k {
            candidates.select_nth_unstable_by(k, by_score);
            candidates.truncate(k);
        }
        candidates.sort_by(by_score);
        result.push(candidates);
    }
    result
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
    fn standardized_prices_have_zero_mean_unit_variance() {
        let products: Vec<Product> = [1.0, 10.0, 100.0, 0.0]
            .iter()
            .map(|&p| product("p", "", "", p, ""))
            .collect();
        let z = standardized_log_prices(&products);
        let known = &z[..3];
        let mean: f32 = known.iter().sum::<f32>() / 3.0;
        let variance: f32 = known.iter().map(|v| (v - mean).powi(2)).sum::<f32>() / 3.0;
        assert!(mean.abs() < 1e-6);
        assert!((variance - 1.0).abs() < 1e-5);
        assert_eq!(z[3], 0.0);
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
