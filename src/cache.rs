//! A least-recently-used cache of recommendation lists with a time to live.
//!
//! Keys are whole requests, so two requests share an entry only when every field
//! matches. Entries of a user are dropped when that user records an interaction; other
//! users' lists may lag behind popularity changes until their entry expires.

use std::collections::{BTreeMap, HashMap};

/// Cache settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CacheConfig {
    /// The most entries kept; 0 turns the cache off.
    pub capacity: usize,
    /// How long an entry is served, in milliseconds.
    pub ttl_ms: f64,
}

impl Default for CacheConfig {
    fn default() -> Self {
        CacheConfig {
            capacity: 1000,
            ttl_ms: 60_000.0,
        }
    }
}

#[derive(Debug, Clone)]
struct Entry<V> {
    value: V,
    user: Option<String>,
    stored_ms: f64,
    last_used: u64,
}

/// An LRU map from request keys to values, with expiry.
#[derive(Debug, Clone)]
pub struct ResponseCache<V> {
    config: CacheConfig,
    entries: HashMap<String, Entry<V>>,
    /// Last-use tick to key, oldest first.
    recency: BTreeMap<u64, String>,
    tick: u64,
}

impl<V: Clone> ResponseCache<V> {
    /// Creates an empty cache.
    pub fn new(config: CacheConfig) -> Self {
        ResponseCache {
            config,
            entries: HashMap::new(),
            recency: BTreeMap::new(),
            tick: 0,
        }
    }

    /// Returns the settings.
    pub fn config(&self) -> CacheConfig {
        self.config
    }

    /// Returns the number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Returns whether the cache is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Returns the fresh value under `key`, marking it used; an expired entry is dropped.
    pub fn get(&mut self, key: &str, now_ms: f64) -> Option<V> {
        let ttl = self.config.ttl_ms;
        let entry = self.entries.get_mut(key)?;
        if now_ms - entry.stored_ms > ttl {
            let last_used = entry.last_used;
            self.entries.remove(key);
            self.recency.remove(&last_used);
            return None;
        }
        self.recency.remove(&entry.last_used);
        self.tick += 1;
        entry.last_used = self.tick;
        self.recency.insert(self.tick, key.to_string());
        Some(entry.value.clone())
    }

    /// Stores `value` under `key` for `user`, evicting the least recently used entry when
    /// full.
    pub fn insert(&mut self, key: String, user: Option<String>, value: V, now_ms: f64) {
        if self.config.capacity == 0 {
            return;
        }
        if let Some(old) = self.entries.remove(&key) {
            self.recency.remove(&old.last_used);
        }
        while self.entries.len() >= self.config.capacity {
            let Some((_, oldest)) = self.recency.pop_first() else {
                break;
            };
            self.entries.remove(&oldest);
        }
        self.tick += 1;
        self.recency.insert(self.tick, key.clone());
        self.entries.insert(
            key,
            Entry {
                value,
                user,
                stored_ms: now_ms,
                last_used: self.tick,
            },
        );
    }

    /// Drops every entry of `user`.
    pub fn invalidate_user(&mut self, user: &str) {
        let stale: Vec<(String, u64)> = self
            .entries
            .iter()
            .filter(|(_, e)| e.user.as_deref() == Some(user))
            .map(|(k, e)| (k.clone(), e.last_used))
            .collect();
        for (key, last_used) in stale {
            self.entries.remove(&key);
            self.recency.remove(&last_used);
        }
    }

    /// Drops every entry.
    pub fn clear(&mut self) {
        self.entries.clear();
        self.recency.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache(capacity: usize) -> ResponseCache<u32> {
        ResponseCache::new(CacheConfig {
            capacity,
            ttl_ms: 100.0,
        })
    }

    #[test]
    fn evicts_least_recently_used() {
        let mut c = cache(2);
        c.insert("a".into(), None, 1, 0.0);
        c.insert("b".into(), None, 2, 0.0);
        assert_eq!(c.get("a", 1.0), Some(1)); // "b" is now the oldest
        c.insert("c".into(), None, 3, 2.0);
        assert_eq!(c.get("b", 3.0), None);
        assert_eq!(c.get("a", 3.0), Some(1));
        assert_eq!(c.get("c", 3.0), Some(3));
        assert_eq!(c.len(), 2);
    }

    #[test]
    fn entries_expire_after_ttl() {
        let mut c = cache(4);
        c.insert("a".into(), None, 1, 0.0);
        assert_eq!(c.get("a", 100.0), Some(1));
        assert_eq!(c.get("a", 100.5), None);
        assert!(c.is_empty());
    }

    #[test]
    fn invalidation_drops_only_that_user() {
        let mut c = cache(4);
        c.insert("u1-home".into(), Some("u1".into()), 1, 0.0);
        c.insert("u1-cart".into(), Some("u1".into()), 2, 0.0);
        c.insert("u2-home".into(), Some("u2".into()), 3, 0.0);
        c.invalidate_user("u1");
        assert_eq!(c.get("u1-home", 1.0), None);
        assert_eq!(c.get("u1-cart", 1.0), None);
        assert_eq!(c.get("u2-home", 1.0), Some(3));
        // The recency index stays consistent: filling up evicts only live entries.
        for key in ["x", "y", "z"] {
            c.insert(key.into(), None, 0, 1.0);
        }
        assert_eq!(c.len(), 4);
        assert_eq!(c.get("u2-home", 1.0), Some(3));
    }

    #[test]
    fn zero_capacity_stores_nothing() {
        let mut c = cache(0);
        c.insert("a".into(), None, 1, 0.0);
        assert_eq!(c.get("a", 0.0), None);
    }
}
