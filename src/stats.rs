//! Serving statistics: request count, cache hit rate and latency percentiles.

use serde::Serialize;

/// Latency samples kept for the percentiles (the most recent ones).
const LATENCY_WINDOW: usize = 10_000;

/// Latency percentiles in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct LatencyPercentiles {
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
}

/// A snapshot of the serving statistics.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    /// `recommend` calls answered, cached or not.
    pub requests: u64,
    /// Share of requests answered from the cache.
    pub cache_hit_rate: f64,
    /// Latency of `recommend` over the last 10,000 requests, measured with the
    /// recommender's clock.
    pub latency_ms: LatencyPercentiles,
    /// Interactions recorded since the last training.
    pub interactions_since_training: u64,
    /// Entries in the response cache.
    pub cache_entries: usize,
}

/// Running counters behind [`Stats`].
#[derive(Debug, Clone, Default)]
pub struct ServingStats {
    requests: u64,
    cache_hits: u64,
    latencies: Vec<f64>,
    next: usize,
}

impl ServingStats {
    /// Counts one request and its latency.
    pub fn record(&mut self, latency_ms: f64, cache_hit: bool) {
        self.requests += 1;
        if cache_hit {
            self.cache_hits += 1;
        }
        if self.latencies.len() < LATENCY_WINDOW {
            self.latencies.push(latency_ms);
        } else {
            self.latencies[self.next] = latency_ms;
        }
        self.next = (self.next + 1) % LATENCY_WINDOW;
    }

    /// Returns the request count.
    pub fn requests(&self) -> u64 {
        self.requests
    }

    /// Returns the share of cache hits, 0 before any request.
    pub fn hit_rate(&self) -> f64 {
        if self.requests == 0 {
            0.0
        } else {
            self.cache_hits as f64 / self.requests as f64
        }
    }

    /// Nearest-rank percentiles of the kept latencies; zeros before any request.
    pub fn percentiles(&self) -> LatencyPercentiles {
        let mut sorted = self.latencies.clone();
        sorted.sort_by(f64::total_cmp);
        let at = |p: f64| {
            if sorted.is_empty() {
                return 0.0;
            }
            // Nearest rank: the ceil(p * n)-th smallest, 1-based.
            let rank = (p * sorted.len() as f64).ceil().max(1.0) as usize;
            sorted[rank.min(sorted.len()) - 1]
        };
        LatencyPercentiles {
            p50: at(0.50),
            p95: at(0.95),
            p99: at(0.99),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let mut stats = ServingStats::default();
        for ms in 1..=100 {
            stats.record(ms as f64, ms % 4 == 0);
        }
        assert_eq!(stats.requests(), 100);
        assert_eq!(stats.hit_rate(), 0.25);
        let p = stats.percentiles();
        assert_eq!((p.p50, p.p95, p.p99), (50.0, 95.0, 99.0));
    }

    #[test]
    fn window_keeps_recent_samples() {
        let mut stats = ServingStats::default();
        for _ in 0..LATENCY_WINDOW {
            stats.record(100.0, false);
        }
        for _ in 0..LATENCY_WINDOW {
            stats.record(1.0, false);
        }
        assert_eq!(stats.percentiles().p99, 1.0);
        assert_eq!(stats.requests(), 2 * LATENCY_WINDOW as u64);
    }

    #[test]
    fn empty_stats_are_zero() {
        let stats = ServingStats::default();
        assert_eq!(stats.hit_rate(), 0.0);
        assert_eq!(stats.percentiles(), LatencyPercentiles::default());
    }
}
