//! A seeded synthetic shop whose users have hidden tastes.
//!
//! Every product gets a category, a brand, a log-normal price, a description built from
//! its category's and brand's vocabulary, a latent style vector, an appeal (which gives a
//! mild popularity skew) and a launch day (a fifth of the catalog arrives during the
//! period with a short launch boost). Every user gets category affinities that drift
//! during the period, favourite brands, a preferred price band, a latent vector, an age
//! band and region that shift the category tastes, and an activity level.
//!
//! Users shop in sessions. A session picks a category from the user's current category
//! affinities and views products drawn with probability proportional to
//! `exp(utility)`, where utility adds the brand bonus, the latent match, the price-band
//! fit, the appeal and the launch boost. Viewed products with high utility are put in the
//! cart and bought more often; some purchases are rated 1-5 a few days later, and a
//! purchase often leads to a product of the complementary category (a phone and a
//! charger). The tastes are kept in [`GroundTruth`] so evaluation can compare models
//! against what users really like.

mod vocabulary;

use serde::{Deserialize, Serialize};

use crate::catalog::{
    Catalog, Interaction, InteractionKind, Product, Timestamp, User, SECONDS_PER_DAY,
};
use crate::error::{check_range, Result};
use crate::rng::{CumulativeTable, Rng};
use vocabulary::{AGE_BANDS, BRAND_STYLES, CATEGORIES, REGIONS, SERIES};

/// Dimensions of the hidden latent taste vectors.
const LATENT_DIMENSIONS: usize = 8;

/// The first moment of the synthetic period: 2026-06-01T00:00:00Z.
pub const START_TIMESTAMP: Timestamp = 1_780_272_000;

/// Synthetic catalog settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SyntheticConfig {
    /// Number of users.
    pub users: usize,
    /// Number of products.
    pub products: usize,
    /// Length of the period, in days.
    pub days: usize,
    /// Seed; the same seed gives the same catalog on every platform.
    pub seed: u64,
}

impl Default for SyntheticConfig {
    fn default() -> Self {
        SyntheticConfig {
            users: 10_000,
            products: 5_000,
            days: 90,
            seed: 42,
        }
    }
}

impl SyntheticConfig {
    /// Rejects sizes outside their documented ranges.
    pub fn validate(&self) -> Result<()> {
        check_range("users", self.users, 1, 1_000_000)?;
        check_range("products", self.products, 1, 500_000)?;
        check_range("days", self.days, 1, 3650)
    }
}

/// The hidden tastes behind the synthetic interactions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroundTruth {
    days: f64,
    users: Vec<UserTaste>,
    items: Vec<ItemTraits>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct UserTaste {
    start_categories: Vec<f64>,
    end_categories: Vec<f64>,
    brands: Vec<u32>,
    price_center: f64,
    price_sensitivity: f64,
    latent: [f64; LATENT_DIMENSIONS],
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ItemTraits {
    category: usize,
    brand: u32,
    price_z: f64,
    appeal: f64,
    launch_day: f64,
    latent: [f64; LATENT_DIMENSIONS],
}

impl GroundTruth {
    /// Returns the user's true affinity for a product at the end of the period, on a log scale:
    /// `ln(category affinity) + utility`. Higher is better; only differences matter.
    pub fn affinity(&self, user: usize, product: usize) -> f64 {
        self.affinity_at(user, product, self.days)
    }

    /// Returns the user's true affinity for a product on `day` of the period.
    pub fn affinity_at(&self, user: usize, product: usize, day: f64) -> f64 {
        let taste = &self.users[user];
        let item = &self.items[product];
        let weights = taste.categories_at(day / self.days);
        weights[item.category].ln() + utility(taste, item, day)
    }

    /// Returns whether the tastes cover at most `users` users and exactly `items`
    /// products with valid categories, brands and finite values.
    pub fn covers(&self, users: usize, items: usize) -> bool {
        let categories = vocabulary::CATEGORIES.len();
        let users_ok = self.users.len() <= users
            && self.users.iter().all(|u| {
                u.start_categories.len() == categories && u.end_categories.len() == categories
            });
        let items_ok = self.items.len() == items
            && self
                .items
                .iter()
                .all(|i| i.category < categories && i.appeal.is_finite());
        users_ok && items_ok && self.days.is_finite() && self.days > 0.0
    }

    /// Returns whether the truth covers `user` (users added later have no known tastes).
    pub fn has_user(&self, user: usize) -> bool {
        user < self.users.len()
    }

    /// Returns the category indices (into [`Catalog::categories`]) that the user likes most at
    /// the end of the period, best first.
    pub fn favourite_categories(&self, user: usize) -> Vec<usize> {
        let weights = &self.users[user].end_categories;
        let mut order: Vec<usize> = (0..weights.len()).collect();
        order.sort_by(|&a, &b| weights[b].total_cmp(&weights[a]));
        order
    }
}

impl UserTaste {
    /// Category probabilities at `progress` in [0, 1] through the period.
    fn categories_at(&self, progress: f64) -> Vec<f64> {
        self.start_categories
            .iter()
            .zip(&self.end_categories)
            .map(|(a, b)| a + (b - a) * progress)
            .collect()
    }
}

/// Returns the utility of a product for a user within its category on `day`.
fn utility(taste: &UserTaste, item: &ItemTraits, day: f64) -> f64 {
    standing_utility(taste, item) + launch_boost(item, day)
}

/// Returns the part of [`utility`] that does not change with the day: brand, latent
/// match, price fit and appeal. `utility` adds the launch boost last, so this sum plus
/// the boost gives the same bits.
fn standing_utility(taste: &UserTaste, item: &ItemTraits) -> f64 {
    let brand = if taste.brands.contains(&item.brand) {
        1.2
    } else {
        0.0
    };
    let latent: f64 = taste
        .latent
        .iter()
        .zip(&item.latent)
        .map(|(a, b)| a * b)
        .sum();
    let price = -0.5 * taste.price_sensitivity * (item.price_z - taste.price_center).powi(2);
    brand + 1.6 * latent + price + item.appeal
}

/// Returns the extra utility of a new product: 1 on its launch day, falling linearly to 0
/// ten days later.
fn launch_boost(item: &ItemTraits, day: f64) -> f64 {
    let since_launch = day - item.launch_day;
    if (0.0..10.0).contains(&since_launch) {
        1.0 - since_launch / 10.0
    } else {
        0.0
    }
}

/// A generated catalog with its ground truth.
pub struct SyntheticShop {
    /// Products, users and interactions.
    pub catalog: Catalog,
    /// The tastes that produced the interactions.
    pub truth: GroundTruth,
}

/// Generates a shop from `config`.
pub fn generate(config: &SyntheticConfig) -> Result<SyntheticShop> {
    config.validate()?;
    let mut rng = Rng::new(config.seed);
    let days = config.days as f64;
    let mut product_rng = rng.fork(1);
    let mut user_rng = rng.fork(2);
    let mut session_rng = rng.fork(3);

    let (products, items) = generate_products(config.products, days, &mut product_rng);
    let (users, tastes) = generate_users(config.users, &mut user_rng);
    let truth = GroundTruth {
        days,
        users: tastes,
        items,
    };

    let by_category = products_by_category(&truth.items);
    let complements: Vec<usize> = CATEGORIES
        .iter()
        .map(|c| {
            CATEGORIES
                .iter()
                .position(|o| o.name == c.complement)
                .unwrap_or(0)
        })
        .collect();
    let mut interactions = Vec::new();
    for user in 0..config.users {
        let mut rng = session_rng.fork(user as u64);
        simulate_user(
            user,
            &truth,
            &by_category,
            &complements,
            days,
            &mut rng,
            &mut interactions,
        );
    }

    let catalog = Catalog::new(products, users, interactions)?;
    Ok(SyntheticShop { catalog, truth })
}

fn generate_products(count: usize, days: f64, rng: &mut Rng) -> (Vec<Product>, Vec<ItemTraits>) {
    // Mildly uneven category sizes.
    let category_weights: Vec<f64> = (0..CATEGORIES.len())
        .map(|c| 1.0 / (1.0 + 0.08 * c as f64))
        .collect();
    let category_table = CumulativeTable::new(&category_weights);
    let brand_offsets: Vec<u32> = CATEGORIES
        .iter()
        .scan(0u32, |offset, c| {
            let start = *offset;
            *offset += c.brands.len() as u32;
            Some(start)
        })
        .collect();

    let mut products = Vec::with_capacity(count);
    let mut items = Vec::with_capacity(count);
    for index in 0..count {
        let category = category_table.sample(rng);
        let spec = &CATEGORIES[category];
        let brand_in_category =
            rng.weighted_index(&[3.0, 2.0, 1.5, 1.0, 0.7][..spec.brands.len().min(5)]);
        let brand_id = brand_offsets[category] + brand_in_category as u32;
        let brand = spec.brands[brand_in_category];
        let noun = spec.nouns[rng.below(spec.nouns.len())];
        let style = BRAND_STYLES[brand_id as usize % BRAND_STYLES.len()];
        let second_style = BRAND_STYLES[(brand_id as usize * 7 + 3) % BRAND_STYLES.len()];

        // Brands sit at different price tiers around the category median.
        let tier = 0.75 + 0.15 * brand_in_category as f64;
        let price_z = rng.normal();
        let price =
            (spec.median_price * tier * libm::exp(spec.price_sigma * price_z)).floor() + 0.99;

        let word = |rng: &mut Rng| spec.words[rng.below(spec.words.len())];
        let name = format!(
            "{brand} {} {} {}",
            capitalize(word(rng)),
            title_case(noun),
            SERIES[index % SERIES.len()]
        );
        let description = format!(
            "The {name} is a {style} {noun} for {} and {} use. It features {} {} and a {second_style} finish. \
             {brand} designs every {noun} with {} {} in mind.",
            word(rng),
            word(rng),
            word(rng),
            word(rng),
            word(rng),
            word(rng),
        );
        products.push(Product {
            id: format!("p{:05}", index + 1),
            name,
            category: spec.name.to_string(),
            brand: brand.to_string(),
            price,
            description,
        });

        let launch_day = if rng.bernoulli(0.2) {
            rng.uniform() * days * 0.9
        } else {
            0.0
        };
        items.push(ItemTraits {
            category,
            brand: brand_id,
            price_z,
            appeal: 0.6 * rng.normal(),
            launch_day,
            latent: latent_vector(rng),
        });
    }
    (products, items)
}

fn generate_users(count: usize, rng: &mut Rng) -> (Vec<User>, Vec<UserTaste>) {
    let brand_counts: Vec<usize> = CATEGORIES.iter().map(|c| c.brands.len()).collect();
    let mut users = Vec::with_capacity(count);
    let mut tastes = Vec::with_capacity(count);
    for index in 0..count {
        let age = rng.below(AGE_BANDS.len());
        let region = rng.below(REGIONS.len());

        // A few favourite categories dominate; the age band and region each lift one more.
        let n = CATEGORIES.len();
        let mut start: Vec<f64> = (0..n).map(|_| libm::exp(0.8 * rng.normal())).collect();
        let favourites = [rng.below(n), rng.below(n)];
        for &f in &favourites {
            start[f] *= 10.0;
        }
        start[(age * 3) % n] *= 3.0;
        start[(region * 4 + 1) % n] *= 2.0;
        // Drift: one favourite fades and another category rises over the period.
        let mut end = start.clone();
        let rising = rng.below(n);
        end[rising] = end[rising].max(start[favourites[0]]);
        end[favourites[0]] = start[rising];
        normalize(&mut start);
        normalize(&mut end);

        let mut brands: Vec<u32> = Vec::new();
        for &f in &favourites {
            let offset: usize = brand_counts[..f].iter().sum();
            brands.push((offset + rng.below(brand_counts[f])) as u32);
        }

        users.push(User {
            id: format!("u{:05}", index + 1),
            age_band: Some(AGE_BANDS[age].to_string()),
            region: Some(REGIONS[region].to_string()),
        });
        tastes.push(UserTaste {
            start_categories: start,
            end_categories: end,
            brands,
            price_center: 0.8 * rng.normal(),
            price_sensitivity: 0.5 + rng.uniform(),
            latent: latent_vector(rng),
        });
    }
    (users, tastes)
}

fn products_by_category(items: &[ItemTraits]) -> Vec<Vec<u32>> {
    let mut lists = vec![Vec::new(); CATEGORIES.len()];
    for (index, item) in items.iter().enumerate() {
        lists[item.category].push(index as u32);
    }
    lists
}

/// Simulates one user's sessions and appends their events.
fn simulate_user(
    user: usize,
    truth: &GroundTruth,
    by_category: &[Vec<u32>],
    complements: &[usize],
    days: f64,
    rng: &mut Rng,
    out: &mut Vec<Interaction>,
) {
    let taste = &truth.users[user];
    // Activity: a twentieth of users are brand-new; the rest have a heavy-tailed session
    // count, so many users are light and a few are very active.
    if rng.bernoulli(0.05) {
        return;
    }
    let sessions = (libm::exp(0.9 + 1.2 * rng.normal()) * days / 90.0)
        .round()
        .clamp(1.0, 400.0) as usize;
    let join_day = if rng.bernoulli(0.7) {
        0.0
    } else {
        rng.uniform() * days * 0.8
    };

    let mut times: Vec<f64> = (0..sessions)
        .map(|_| join_day + rng.uniform() * (days - join_day))
        .collect();
    times.sort_by(f64::total_cmp);
    // Active users return to the same categories, so the standing utilities of a
    // category's products are computed on the first visit and kept.
    let mut standing: Vec<Option<Vec<f64>>> = vec![None; by_category.len()];
    let mut visit = |category: usize, day: f64, rng: &mut Rng, out: &mut Vec<Interaction>| {
        let candidates = &by_category[category];
        let utilities = standing[category].get_or_insert_with(|| {
            candidates
                .iter()
                .map(|&i| standing_utility(taste, &truth.items[i as usize]))
                .collect()
        });
        let visit = Visit {
            user: user as u32,
            items: &truth.items,
            candidates,
            standing: utilities,
        };
        browse(&visit, day, days, rng, out)
    };
    for day in times {
        let weights = taste.categories_at(day / days);
        let category = rng.weighted_index(&weights);
        let bought = visit(category, day, rng, out);
        if bought && rng.bernoulli(0.4) {
            visit(complements[category], day + 0.01, rng, out);
        }
    }
}

/// The products one browsing visit chooses from.
struct Visit<'a> {
    user: u32,
    items: &'a [ItemTraits],
    /// Product indices of the visited category.
    candidates: &'a [u32],
    /// [`standing_utility`] of each candidate, in the same order.
    standing: &'a [f64],
}

/// One browsing visit within a category; returns whether anything was bought.
fn browse(visit: &Visit, day: f64, days: f64, rng: &mut Rng, out: &mut Vec<Interaction>) -> bool {
    let Visit {
        user,
        items,
        candidates,
        standing,
    } = *visit;
    let available: Vec<(u32, f64)> = candidates
        .iter()
        .zip(standing)
        .filter(|(&i, _)| items[i as usize].launch_day <= day)
        .map(|(&i, &u)| (i, u + launch_boost(&items[i as usize], day)))
        .collect();
    if available.is_empty() {
        return false;
    }
    let max = available
        .iter()
        .map(|&(_, u)| u)
        .fold(f64::NEG_INFINITY, f64::max);
    let table = CumulativeTable::new(
        &available
            .iter()
            .map(|&(_, u)| libm::exp(u - max))
            .collect::<Vec<_>>(),
    );

    let at = |day: f64| START_TIMESTAMP + (day.min(days) * SECONDS_PER_DAY as f64) as Timestamp;
    let views = 1 + rng.poisson(2.5);
    let mut bought = false;
    let mut seen: Vec<u32> = Vec::new();
    for step in 0..views {
        let (item, u) = available[table.sample(rng)];
        let minute = day + step as f64 * 2.0 / 1440.0;
        out.push(Interaction {
            user,
            product: item,
            kind: InteractionKind::View,
            value: None,
            timestamp: at(minute),
        });
        if seen.contains(&item) {
            continue;
        }
        seen.push(item);
        let interest = 1.0 / (1.0 + libm::exp(-(u - 1.0)));
        if rng.bernoulli(0.08 + 0.35 * interest) {
            out.push(Interaction {
                user,
                product: item,
                kind: InteractionKind::Cart,
                value: None,
                timestamp: at(minute + 0.0005),
            });
            if rng.bernoulli(0.55) {
                bought = true;
                out.push(Interaction {
                    user,
                    product: item,
                    kind: InteractionKind::Purchase,
                    value: None,
                    timestamp: at(minute + 0.001),
                });
                if rng.bernoulli(0.3) {
                    let rating = (3.0 + 1.2 * (u - 1.0) + 0.7 * rng.normal())
                        .round()
                        .clamp(1.0, 5.0) as f32;
                    let later = minute + 2.0 + 5.0 * rng.uniform();
                    if later < days {
                        out.push(Interaction {
                            user,
                            product: item,
                            kind: InteractionKind::Rating,
                            value: Some(rating),
                            timestamp: at(later),
                        });
                    }
                }
            }
        }
    }
    bought
}

fn latent_vector(rng: &mut Rng) -> [f64; LATENT_DIMENSIONS] {
    let scale = 1.0 / (LATENT_DIMENSIONS as f64).sqrt();
    std::array::from_fn(|_| rng.normal() * scale)
}

fn normalize(weights: &mut [f64]) {
    let total: f64 = weights.iter().sum();
    for w in weights {
        *w /= total;
    }
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn title_case(words: &str) -> String {
    words
        .split(' ')
        .map(capitalize)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> SyntheticShop {
        generate(&SyntheticConfig {
            users: 400,
            products: 300,
            days: 60,
            seed: 7,
        })
        .unwrap()
    }

    #[test]
    fn same_seed_same_catalog() {
        let a = small();
        let b = small();
        assert_eq!(a.catalog.products(), b.catalog.products());
        assert_eq!(a.catalog.interactions(), b.catalog.interactions());
        let c = generate(&SyntheticConfig {
            seed: 8,
            users: 400,
            products: 300,
            days: 60,
        })
        .unwrap();
        assert_ne!(a.catalog.interactions(), c.catalog.interactions());
    }

    #[test]
    fn every_vocabulary_complement_exists() {
        for spec in CATEGORIES {
            assert!(
                CATEGORIES.iter().any(|c| c.name == spec.complement),
                "{}",
                spec.complement
            );
        }
    }

    #[test]
    fn interactions_lie_in_period_with_all_kinds() {
        let shop = small();
        let events = shop.catalog.interactions();
        assert!(!events.is_empty());
        let end = START_TIMESTAMP + 60 * SECONDS_PER_DAY;
        assert!(events
            .iter()
            .all(|e| (START_TIMESTAMP..=end).contains(&e.timestamp)));
        let count = |kind| events.iter().filter(|e| e.kind == kind).count();
        let (views, carts, purchases, ratings) = (
            count(InteractionKind::View),
            count(InteractionKind::Cart),
            count(InteractionKind::Purchase),
            count(InteractionKind::Rating),
        );
        assert!(
            views > carts && carts > purchases && purchases > ratings && ratings > 0,
            "{views} {carts} {purchases} {ratings}"
        );
    }

    #[test]
    fn activity_has_new_light_and_active_users() {
        let shop = small();
        let counts = shop.catalog.interaction_counts();
        let new = counts.iter().filter(|&&c| c == 0).count();
        let light = counts.iter().filter(|&&c| (1..5).contains(&c)).count();
        let active = counts.iter().filter(|&&c| c >= 5).count();
        assert!(
            new > 5 && light > 20 && active > 100,
            "new {new} light {light} active {active}"
        );
    }

    #[test]
    fn purchases_follow_true_affinity() {
        // Users buy what they like: the mean true affinity of purchased products is well
        // above that of random products for the same users.
        let shop = small();
        let mut rng = Rng::new(1);
        let (mut bought, mut random, mut n) = (0.0, 0.0, 0.0);
        for event in shop
            .catalog
            .interactions()
            .iter()
            .filter(|e| e.kind == InteractionKind::Purchase)
        {
            bought += shop
                .truth
                .affinity(event.user as usize, event.product as usize);
            random += shop.truth.affinity(event.user as usize, rng.below(300));
            n += 1.0;
        }
        assert!(
            bought / n > random / n + 1.0,
            "bought {} random {}",
            bought / n,
            random / n
        );
    }

    #[test]
    fn descriptions_use_category_vocabulary() {
        let shop = small();
        for product in shop.catalog.products().iter().take(20) {
            let spec = CATEGORIES
                .iter()
                .find(|c| c.name == product.category)
                .unwrap();
            let text = product.description.to_lowercase();
            assert!(
                spec.words.iter().any(|w| text.contains(w)),
                "{}",
                product.description
            );
            assert!(product.description.contains(&product.brand));
            assert!(product.price > 0.0);
        }
    }
}
