//! Tokenization and TF-IDF weighting of product descriptions.
//!
//! Term frequency is the raw count in the document; inverse document frequency is the
//! smoothed `idf(t) = ln((1 + n) / (1 + df(t))) + 1`, the convention of scikit-learn's
//! `TfidfVectorizer`, so a term in every document still weighs 1. Each document vector
//! is L2-normalized. The vocabulary keeps the `max_terms` terms with the highest count
//! over the whole corpus (ties broken alphabetically), dropping English stop words,
//! tokens shorter than two characters and terms in more than `max_document_share` of the
//! documents (scikit-learn's `max_df`): boilerplate that every description repeats
//! separates nothing, and its long posting lists would dominate the neighbour search.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::sparse::SparseVector;

/// Common English words that carry no product signal.
const STOP_WORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
    "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both",
    "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "even",
    "every", "few", "for", "from", "further", "get", "gets", "had", "has", "have", "having", "he",
    "her", "here", "hers", "him", "his", "how", "if", "in", "into", "is", "it", "its", "itself",
    "just", "let", "made", "make", "makes", "may", "me", "more", "most", "much", "must", "my",
    "no", "nor", "not", "now", "of", "off", "on", "once", "one", "only", "or", "other", "our",
    "ours", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than", "that",
    "the", "their", "theirs", "them", "then", "there", "these", "they", "this", "those", "through",
    "to", "too", "under", "until", "up", "us", "very", "was", "we", "were", "what", "when",
    "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your",
    "yours",
];

/// Returns whether `token` (lowercase) is an English stop word.
pub fn is_stop_word(token: &str) -> bool {
    STOP_WORDS.binary_search(&token).is_ok()
}

/// Splits text into lowercase alphanumeric tokens of at least two characters that are
/// not stop words.
pub fn tokenize(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|piece| piece.chars().count() >= 2)
        .map(str::to_lowercase)
        .filter(|token| !is_stop_word(token))
        .collect()
}

/// A fitted vocabulary with its IDF weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "TfIdfData", into = "TfIdfData")]
pub struct TfIdf {
    terms: Vec<String>,
    index: HashMap<String, u32>,
    idf: Vec<f32>,
}

/// The stored form of [`TfIdf`]: the term index is rebuilt on load.
#[derive(Clone, Serialize, Deserialize)]
struct TfIdfData {
    terms: Vec<String>,
    idf: Vec<f32>,
}

impl From<TfIdfData> for TfIdf {
    fn from(data: TfIdfData) -> Self {
        let index = data
            .terms
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i as u32))
            .collect();
        TfIdf {
            terms: data.terms,
            index,
            idf: data.idf,
        }
    }
}

impl From<TfIdf> for TfIdfData {
    fn from(model: TfIdf) -> Self {
        TfIdfData {
            terms: model.terms,
            idf: model.idf,
        }
    }
}

impl TfIdf {
    /// Learns the vocabulary and IDF from `documents`, keeping at most `max_terms` terms
    /// that occur in at most `max_document_share` (0 to 1) of the documents.
    pub fn fit<S: AsRef<str>>(documents: &[S], max_terms: usize, max_document_share: f64) -> TfIdf {
        let mut corpus_counts: HashMap<String, (u64, u32)> = HashMap::new();
        for document in documents {
            let tokens = tokenize(document.as_ref());
            let mut seen: Vec<&String> = Vec::new();
            for token in &tokens {
                let entry = corpus_counts.entry(token.clone()).or_insert((0, 0));
                entry.0 += 1;
                if !seen.contains(&token) {
                    seen.push(token);
                    entry.1 += 1;
                }
            }
        }
        let max_df = max_document_share * documents.len() as f64;
        let mut ranked: Vec<(String, u64, u32)> = corpus_counts
            .into_iter()
            .filter(|&(_, (_, df))| df as f64 <= max_df)
            .map(|(t, (count, df))| (t, count, df))
            .collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        ranked.truncate(max_terms);
        ranked.sort_by(|a, b| a.0.cmp(&b.0));

        let n = documents.len() as f64;
        let idf = ranked
            .iter()
            .map(|&(_, _, df)| ((1.0 + n) / (1.0 + df as f64)).ln() as f32 + 1.0)
            .collect();
        let index = ranked
            .iter()
            .enumerate()
            .map(|(i, (t, _, _))| (t.clone(), i as u32))
            .collect();
        let terms = ranked.into_iter().map(|(t, _, _)| t).collect();
        TfIdf { terms, index, idf }
    }

    /// Returns the vocabulary, sorted alphabetically; a term's position is its dimension.
    pub fn terms(&self) -> &[String] {
        &self.terms
    }

    /// Returns the IDF of each term, parallel to [`TfIdf::terms`].
    pub fn idf(&self) -> &[f32] {
        &self.idf
    }

    /// Returns the L2-normalized TF-IDF vector of `text`; terms outside the vocabulary are ignored.
    pub fn transform(&self, text: &str) -> SparseVector {
        let pairs = tokenize(text)
            .into_iter()
            .filter_map(|token| self.index.get(&token).map(|&i| (i, self.idf[i as usize])))
            .collect();
        let mut vector = SparseVector::from_pairs(pairs);
        vector.normalize();
        vector
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_word_list_is_sorted() {
        assert!(
            STOP_WORDS.windows(2).all(|w| w[0] < w[1]),
            "binary search needs sorted stop words"
        );
    }

    #[test]
    fn tokenizer_drops_stop_words_short_tokens_and_punctuation() {
        assert_eq!(
            tokenize("The BEST e-reader, for 2 readers!"),
            vec!["best", "reader", "readers"]
        );
    }

    #[test]
    fn three_document_weights() {
        // Corpus counts: apple 3, banana 2, cherry 1; document frequencies: apple 2,
        // banana 2, cherry 1. With n = 3: idf(apple) = idf(banana) = ln(4/3) + 1 = 1.28768
        // and idf(cherry) = ln(4/2) + 1 = 1.69315.
        let docs = ["apple apple banana", "apple cherry", "banana"];
        let model = TfIdf::fit(&docs, 10, 1.0);
        assert_eq!(model.terms(), &["apple", "banana", "cherry"]);
        assert!((model.idf()[0] - 1.287_682).abs() < 1e-5);
        assert!((model.idf()[1] - 1.287_682).abs() < 1e-5);
        assert!((model.idf()[2] - 1.693_147).abs() < 1e-5);

        // Document 1: raw tf-idf (2 * 1.28768, 1.28768), normalized (2, 1) / sqrt(5).
        let v = model.transform(docs[0]);
        assert_eq!(v.indices, vec![0, 1]);
        assert!((v.values[0] - 0.894_427).abs() < 1e-5);
        assert!((v.values[1] - 0.447_214).abs() < 1e-5);

        // Document 2: (1.28768, 1.69315) / 2.12719 = (0.60534, 0.79597).
        let v = model.transform(docs[1]);
        assert_eq!(v.indices, vec![0, 2]);
        assert!((v.values[0] - 0.605_34).abs() < 1e-4);
        assert!((v.values[1] - 0.795_97).abs() < 1e-4);
    }

    #[test]
    fn vocabulary_cap_keeps_most_frequent_terms() {
        let docs = ["alpha alpha alpha beta beta gamma", "delta"];
        let model = TfIdf::fit(&docs, 2, 1.0);
        assert_eq!(model.terms(), &["alpha", "beta"]);
        assert!(model.transform("gamma delta").indices.is_empty());
    }

    #[test]
    fn document_share_cap_drops_boilerplate() {
        let docs = ["shop red", "shop blue", "shop red green"];
        // "shop" is in 3/3 documents, "red" in 2/3: a cap of 0.7 keeps "red" only.
        let model = TfIdf::fit(&docs, 10, 0.7);
        assert_eq!(model.terms(), &["blue", "green", "red"]);
    }
}
