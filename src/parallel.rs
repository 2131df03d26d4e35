//! Work split into fixed blocks of rows, run on rayon's thread pool with the `parallel`
//! feature and in order on the calling thread without it.
//!
//! The blocks depend only on the row count and the block size, never on the number of
//! threads, and results come back in block order. So a caller that keeps each block's
//! arithmetic independent of the others (and combines partial results in block order)
//! gets the same bits on one thread as on many.

use std::ops::Range;

#[cfg(feature = "parallel")]
use rayon::prelude::*;

/// Calls `work(first_row, rows)` for consecutive blocks of `block_rows` rows of
/// `row_len` values each in `data`. The last block may be shorter.
pub(crate) fn for_each_row_block<T, F>(data: &mut [T], row_len: usize, block_rows: usize, work: F)
where
    T: Send,
    F: Fn(usize, &mut [T]) + Sync + Send,
{
    let block_len = (row_len * block_rows).max(1);
    #[cfg(feature = "parallel")]
    if rayon::current_num_threads() > 1 {
        data.par_chunks_mut(block_len)
            .enumerate()
            .for_each(|(block, rows)| work(block * block_rows, rows));
        return;
    }
    for (block, rows) in data.chunks_mut(block_len).enumerate() {
        work(block * block_rows, rows);
    }
}

/// Returns `work(range)` for consecutive ranges of `block_rows` rows out of `rows`, in
/// order.
pub(crate) fn map_row_blocks<R, F>(rows: usize, block_rows: usize, work: F) -> Vec<R>
where
    R: Send,
    F: Fn(Range<usize>) -> R + Sync + Send,
{
    let block_rows = block_rows.max(1);
    let blocks = rows.div_ceil(block_rows);
    let range = move |block: usize| block * block_rows..((block + 1) * block_rows).min(rows);
    #[cfg(feature = "parallel")]
    if rayon::current_num_threads() > 1 {
        return (0..blocks)
            .into_par_iter()
            .map(|block| work(range(block)))
            .collect();
    }
    (0..blocks).map(|block| work(range(block))).collect()
}

/// Returns the number of threads that training uses: rayon's current pool size with the
/// `parallel` feature, otherwise 1.
pub fn current_threads() -> usize {
    #[cfg(feature = "parallel")]
    {
        rayon::current_num_threads()
    }
    #[cfg(not(feature = "parallel"))]
    {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_blocks_cover_rows_in_order() {
        let mut data = vec![0usize; 7 * 2];
        for_each_row_block(&mut data, 2, 3, |first_row, rows| {
            for (offset, row) in rows.chunks_exact_mut(2).enumerate() {
                row.fill(first_row + offset);
            }
        });
        assert_eq!(data, vec![0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6]);
    }

    #[test]
    fn mapped_blocks_keep_order() {
        let ranges = map_row_blocks(7, 3, |range| range);
        assert_eq!(ranges, vec![0..3, 3..6, 6..7]);
        assert!(map_row_blocks(0, 3, |range| range).is_empty());
    }
}
