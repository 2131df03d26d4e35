//! Percentile bootstrap confidence intervals for means over users.

use crate::rng::Rng;

/// Returns the 95% percentile-bootstrap interval of the mean of each series, resampling
/// users (the same resample for every series) `resamples` times with `seed`. All series
/// must have the same length; an empty input gives `[0, 0]`.
pub fn mean_intervals(series: &[&[f64]], resamples: usize, seed: u64) -> Vec<[f64; 2]> {
    let n = series.first().map_or(0, |s| s.len());
    if n == 0 || resamples == 0 {
        return vec![[0.0, 0.0]; series.len()];
    }
    let mut rng = Rng::new(seed);
    let mut means: Vec<Vec<f64>> = vec![Vec::with_capacity(resamples); series.len()];
    let mut sums = vec![0.0; series.len()];
    for _ in 0..resamples {
        sums.fill(0.0);
        for _ in 0..n {
            let user = rng.below(n);
            for (sum, values) in sums.iter_mut().zip(series) {
                *sum += values[user];
            }
        }
        for (m, sum) in means.iter_mut().zip(&sums) {
            m.push(sum / n as f64);
        }
    }
    means
        .into_iter()
        .map(|mut m| {
            m.sort_by(f64::total_cmp);
            [percentile(&m, 0.025), percentile(&m, 0.975)]
        })
        .collect()
}

/// Linear interpolation between closest ranks of a sorted, non-empty slice.
fn percentile(sorted: &[f64], q: f64) -> f64 {
    let position = q * (sorted.len() - 1) as f64;
    let low = position.floor() as usize;
    let high = position.ceil() as usize;
    let weight = position - low as f64;
    sorted[low] * (1.0 - weight) + sorted[high] * weight
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_series_has_zero_width() {
        let values = [0.5; 40];
        let intervals = mean_intervals(&[&values], 200, 1);
        assert_eq!(intervals, vec![[0.5, 0.5]]);
    }

    #[test]
    fn interval_covers_the_mean_and_matches_normal_theory() {
        // Bernoulli(0.3) over 2000 users: standard error sqrt(0.3 * 0.7 / 2000) = 0.01025,
        // so the 95% interval is about mean +- 0.0201.
        let mut rng = Rng::new(5);
        let values: Vec<f64> = (0..2000)
            .map(|_| if rng.bernoulli(0.3) { 1.0 } else { 0.0 })
            .collect();
        let mean = values.iter().sum::<f64>() / 2000.0;
        let [low, high] = mean_intervals(&[&values], 1000, 7)[0];
        assert!(low < mean && mean < high);
        let half_width = (high - low) / 2.0;
        assert!(
            (half_width - 0.0201).abs() < 0.003,
            "half width {half_width}"
        );
    }

    #[test]
    fn percentile_interpolates() {
        assert_eq!(percentile(&[0.0, 10.0], 0.25), 2.5);
        assert_eq!(percentile(&[1.0, 2.0, 3.0], 0.5), 2.0);
    }

    #[test]
    fn empty_input_gives_zeros() {
        assert_eq!(mean_intervals(&[&[]], 10, 1), vec![[0.0, 0.0]]);
    }
}
