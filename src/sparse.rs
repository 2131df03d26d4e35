//! Compressed sparse row (CSR) matrices and sparse vectors with `f32` values.

use serde::{Deserialize, Serialize};

/// A CSR matrix: row `r` has the column indices `indices[indptr[r]..indptr[r + 1]]`,
/// sorted ascending and distinct, with the matching `data`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CsrMatrix {
    rows: usize,
    cols: usize,
    indptr: Vec<usize>,
    indices: Vec<u32>,
    data: Vec<f32>,
}

impl CsrMatrix {
    /// Builds a `rows x cols` matrix from `(row, col, value)` triplets; duplicates are
    /// summed. Triplets must be inside the shape.
    pub fn from_triplets(rows: usize, cols: usize, triplets: &[(u32, u32, f32)]) -> Self {
        // Counting sort by row, then sort and merge each row by column.
        let mut indptr = vec![0usize; rows + 1];
        for &(r, _, _) in triplets {
            indptr[r as usize + 1] += 1;
        }
        for r in 0..rows {
            indptr[r + 1] += indptr[r];
        }
        let mut next = indptr.clone();
        let mut entries = vec![(0u32, 0f32); triplets.len()];
        for &(r, c, v) in triplets {
            entries[next[r as usize]] = (c, v);
            next[r as usize] += 1;
        }

        let mut merged_indptr = Vec::with_capacity(rows + 1);
        let mut indices = Vec::with_capacity(triplets.len());
        let mut data = Vec::with_capacity(triplets.len());
        merged_indptr.push(0);
        for r in 0..rows {
            let row = &mut entries[indptr[r]..indptr[r + 1]];
            row.sort_unstable_by_key(|&(c, _)| c);
            for &(c, v) in row.iter() {
                if indices.len() > *merged_indptr.last().unwrap_or(&0) && indices.last() == Some(&c)
                {
                    if let Some(last) = data.last_mut() {
                        *last += v;
                    }
                } else {
                    indices.push(c);
                    data.push(v);
                }
            }
            merged_indptr.push(indices.len());
        }
        CsrMatrix {
            rows,
            cols,
            indptr: merged_indptr,
            indices,
            data,
        }
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of columns.
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Number of stored entries.
    pub fn nnz(&self) -> usize {
        self.indices.len()
    }

    /// Returns the column indices and values of row `r`.
    pub fn row(&self, r: usize) -> (&[u32], &[f32]) {
        let range = self.indptr[r]..self.indptr[r + 1];
        (&self.indices[range.clone()], &self.data[range])
    }

    /// Returns the position of row `r`'s first entry in the flat entry arrays, for callers that
    /// keep per-entry data parallel to this matrix.
    pub fn row_start(&self, r: usize) -> usize {
        self.indptr[r]
    }

    /// Returns the value at `(r, c)`, zero when not stored.
    pub fn get(&self, r: usize, c: u32) -> f32 {
        let (cols, values) = self.row(r);
        cols.binary_search(&c).map(|k| values[k]).unwrap_or(0.0)
    }

    /// Returns the transpose, also in CSR form (that is, this matrix in CSC form).
    pub fn transpose(&self) -> CsrMatrix {
        let mut triplets = Vec::with_capacity(self.nnz());
        for r in 0..self.rows {
            let (cols, values) = self.row(r);
            for (&c, &v) in cols.iter().zip(values) {
                triplets.push((c, r as u32, v));
            }
        }
        CsrMatrix::from_triplets(self.cols, self.rows, &triplets)
    }

    /// Appends an empty column.
    pub fn push_empty_column(&mut self) {
        self.cols += 1;
    }

    /// Appends an empty row.
    pub fn push_empty_row(&mut self) {
        let end = *self.indptr.last().unwrap_or(&0);
        if self.indptr.is_empty() {
            self.indptr.push(0);
        }
        self.indptr.push(end);
        self.rows += 1;
    }

    /// Checks the structure: `rows + 1` non-decreasing offsets ending at the entry count,
    /// column indices below `cols` and strictly increasing within each row, and as many
    /// values as indices. Returns a description of the first problem.
    pub fn check(&self) -> std::result::Result<(), String> {
        if self.indptr.len() != self.rows + 1 || self.indptr.first() != Some(&0) {
            return Err(format!(
                "{} row offsets for {} rows",
                self.indptr.len(),
                self.rows
            ));
        }
        if self.indptr.last() != Some(&self.indices.len()) || self.data.len() != self.indices.len()
        {
            return Err("row offsets, indices and values disagree in length".to_string());
        }
        for r in 0..self.rows {
            let (start, end) = (self.indptr[r], self.indptr[r + 1]);
            if start > end || end > self.indices.len() {
                return Err(format!("row {r} has invalid offsets"));
            }
            let row = &self.indices[start..end];
            if row.iter().any(|&c| c as usize >= self.cols) || row.windows(2).any(|w| w[0] >= w[1])
            {
                return Err(format!("row {r} has column indices out of order or range"));
            }
        }
        Ok(())
    }

    /// Applies `f` to every stored value.
    pub fn map_values(&mut self, f: impl Fn(f32) -> f32) {
        for v in &mut self.data {
            *v = f(*v);
        }
    }
}

/// A sparse vector: sorted, distinct indices with their values.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SparseVector {
    /// Sorted, distinct dimension indices.
    pub indices: Vec<u32>,
    /// Values, parallel to `indices`.
    pub values: Vec<f32>,
}

impl SparseVector {
    /// Builds a vector from `(index, value)` pairs in any order; duplicates are summed
    /// and zeros dropped.
    pub fn from_pairs(mut pairs: Vec<(u32, f32)>) -> Self {
        pairs.sort_unstable_by_key(|&(i, _)| i);
        let mut merged: Vec<(u32, f32)> = Vec::with_capacity(pairs.len());
        for (i, v) in pairs {
            match merged.last_mut() {
                Some(last) if last.0 == i => last.1 += v,
                _ => merged.push((i, v)),
            }
        }
        let (indices, values) = merged.into_iter().filter(|&(_, v)| v != 0.0).unzip();
        SparseVector { indices, values }
    }

    /// Returns the Euclidean norm.
    pub fn norm(&self) -> f32 {
        self.values.iter().map(|v| v * v).sum::<f32>().sqrt()
    }

    /// Scales to unit norm; a zero vector stays zero.
    pub fn normalize(&mut self) {
        let norm = self.norm();
        if norm > 0.0 {
            for v in &mut self.values {
                *v /= norm;
            }
        }
    }

    /// Returns the dot product with another sparse vector (merge of sorted indices).
    pub fn dot(&self, other: &SparseVector) -> f32 {
        let (mut a, mut b, mut sum) = (0, 0, 0.0);
        while a < self.indices.len() && b < other.indices.len() {
            match self.indices[a].cmp(&other.indices[b]) {
                std::cmp::Ordering::Less => a += 1,
                std::cmp::Ordering::Greater => b += 1,
                std::cmp::Ordering::Equal => {
                    sum += self.values[a] * other.values[b];
                    a += 1;
                    b += 1;
                }
            }
        }
        sum
    }

    /// Returns the dot product with a dense vector that covers every index.
    pub fn dot_dense(&self, dense: &[f32]) -> f32 {
        self.indices
            .iter()
            .zip(&self.values)
            .map(|(&i, &v)| v * dense[i as usize])
            .sum()
    }

    /// Zeroes this vector's entries in a dense vector that covers every index, undoing
    /// [`SparseVector::add_to_dense`] on a zero vector without touching the rest.
    pub fn clear_in_dense(&self, dense: &mut [f32]) {
        for &i in &self.indices {
            dense[i as usize] = 0.0;
        }
    }

    /// Adds `scale * self` into a dense vector that covers every index.
    pub fn add_to_dense(&self, scale: f32, dense: &mut [f32]) {
        for (&i, &v) in self.indices.iter().zip(&self.values) {
            dense[i as usize] += scale * v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triplets_sum_duplicates_and_sort() {
        let m =
            CsrMatrix::from_triplets(2, 3, &[(1, 2, 1.0), (0, 1, 2.0), (1, 0, 3.0), (1, 2, 4.0)]);
        assert_eq!(m.nnz(), 3);
        assert_eq!(m.row(0), (&[1u32][..], &[2.0f32][..]));
        assert_eq!(m.row(1), (&[0u32, 2][..], &[3.0f32, 5.0][..]));
        assert_eq!(m.get(1, 2), 5.0);
        assert_eq!(m.get(0, 0), 0.0);
    }

    #[test]
    fn transpose_swaps_rows_and_columns() {
        let m = CsrMatrix::from_triplets(2, 3, &[(0, 2, 1.0), (1, 2, 2.0), (1, 0, 3.0)]);
        let t = m.transpose();
        assert_eq!((t.rows(), t.cols()), (3, 2));
        assert_eq!(t.row(0), (&[1u32][..], &[3.0f32][..]));
        assert_eq!(t.row(1), (&[][..], &[][..]));
        assert_eq!(t.row(2), (&[0u32, 1][..], &[1.0f32, 2.0][..]));
    }

    #[test]
    fn sparse_vector_dot_and_norm() {
        let a = SparseVector::from_pairs(vec![(3, 1.0), (1, 2.0), (3, 1.0), (5, 0.0)]);
        assert_eq!(a.indices, vec![1, 3]);
        assert_eq!(a.values, vec![2.0, 2.0]);
        let b = SparseVector::from_pairs(vec![(3, 0.5), (4, 9.0)]);
        assert_eq!(a.dot(&b), 1.0);
        assert_eq!(a.norm(), 8f32.sqrt());
        assert_eq!(a.dot_dense(&[0.0, 1.0, 0.0, 3.0]), 8.0);
    }
}
