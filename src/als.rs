//! Implicit-feedback matrix factorization by alternating least squares.
//!
//! The model of Hu, Koren and Volinsky, "Collaborative Filtering for Implicit Feedback
//! Datasets" (ICDM 2008): every user-item cell has a preference `p_ui = [r_ui > 0]` and a
//! confidence `c_ui = 1 + alpha * |r_ui|` (a negative strength, from "not interested",
//! is a confident `p_ui = 0`), and the factors minimize
//!
//! ```text
//! sum_{u,i} c_ui (p_ui - x_u . y_i)^2 + lambda (sum_u |x_u|^2 + sum_i |y_i|^2)
//! ```
//!
//! Each half-step solves, for every user, `(Y^T C^u Y + lambda I) x_u = Y^T C^u p_u` with
//! `Y^T C^u Y = Y^T Y + Y^T (C^u - I) Y`, so only the user's own items are visited. The
//! solve is a few warm-started conjugate-gradient steps instead of a Cholesky
//! factorization (Takács, Pilászy and Tikk, "Applications of the conjugate gradient
//! method for implicit feedback collaborative filtering", RecSys 2011), which makes an
//! iteration linear in the number of factors per stored entry.
//!
//! Factors are `f32`, stored row-major and contiguous (`rows x factors`).

use nalgebra::{DMatrix, DMatrixView, DVector};
use serde::{Deserialize, Serialize};

use crate::error::{check_finite_at_least, check_range, Error, Result};
use crate::parallel::{for_each_row_block, map_row_blocks};
use crate::rng::Rng;
use crate::sparse::CsrMatrix;

/// ALS hyperparameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AlsConfig {
    /// Latent factors per user and item.
    pub factors: usize,
    /// L2 penalty `lambda` on the factors.
    pub regularization: f32,
    /// Confidence slope: `c = 1 + alpha * r`.
    pub alpha: f32,
    /// Full alternations (users, then items).
    pub iterations: usize,
    /// Conjugate-gradient steps per row and half-step.
    pub cg_steps: usize,
    /// Seed of the random initial factors.
    pub seed: u64,
    /// Whether to compute the training loss after each iteration (about a tenth of an
    /// iteration's time); when off, the reported losses are NaN.
    pub compute_loss: bool,
}

impl Default for AlsConfig {
    fn default() -> Self {
        AlsConfig {
            factors: 64,
            regularization: 0.05,
            alpha: 2.0,
            iterations: 15,
            cg_steps: 3,
            seed: 42,
            compute_loss: true,
        }
    }
}

impl AlsConfig {
    /// Rejects settings outside their documented ranges.
    pub fn validate(&self) -> Result<()> {
        check_range("factors", self.factors, 1, 1024)?;
        check_range("iterations", self.iterations, 1, 1000)?;
        check_range("cgSteps", self.cg_steps, 1, 1024)?;
        check_finite_at_least("regularization", self.regularization as f64, 0.0)?;
        check_finite_at_least("alpha", self.alpha as f64, 0.0)
    }
}

/// The most memory that the user and item factor matrices may take in a wasm build, in
/// bytes, or `None` for no limit beyond the allocator's.
///
/// NOTE: a quarter of wasm32's 4 GiB address space, which leaves room for the catalog,
/// the interaction matrices and the other models. The threaded build caps its memory at
/// 1 GiB, so it can still run out below this; that surfaces as the allocation error of
/// [`zeroed_factors`] or, in a later allocation, as a wasm trap.
#[cfg(target_arch = "wasm32")]
const MAX_FACTOR_BYTES: Option<u64> = Some(1 << 30);
#[cfg(not(target_arch = "wasm32"))]
const MAX_FACTOR_BYTES: Option<u64> = None;

/// Rejects a factor count whose factor matrices would not fit in `limit` bytes, naming
/// the largest count that fits, because a wasm allocation failure would trap and poison
/// the module instead of returning an error.
fn check_factor_memory(
    users: usize,
    items: usize,
    factors: usize,
    limit: Option<u64>,
) -> Result<()> {
    let Some(limit) = limit else {
        return Ok(());
    };
    let row_bytes = (users as u64 + items as u64) * std::mem::size_of::<f32>() as u64;
    let needed = row_bytes * factors as u64;
    if needed <= limit {
        return Ok(());
    }
    let megabytes = |bytes: u64| bytes / (1 << 20);
    Err(Error::invalid(
        "factors",
        factors,
        format!(
            "at most {} for {users} users and {items} products, because the factor matrices \
             would take {} MB and this build allows {} MB",
            limit / row_bytes.max(1),
            megabytes(needed),
            megabytes(limit)
        ),
    ))
}

/// Allocates a zeroed `rows x factors` matrix, returning an error instead of aborting
/// when the memory is not available.
fn zeroed_factors(rows: usize, factors: usize) -> Result<Vec<f32>> {
    let len = rows.saturating_mul(factors);
    let mut matrix = Vec::new();
    if matrix.try_reserve_exact(len).is_err() {
        return Err(Error::invalid(
            "factors",
            factors,
            format!("fewer: {rows} rows of {factors} factors could not be allocated"),
        ));
    }
    matrix.resize(len, 0.0);
    Ok(matrix)
}

/// Progress of one finished ALS iteration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IterationReport {
    /// 1-based iteration number.
    pub iteration: usize,
    /// Total iterations of this fit.
    pub iterations: usize,
    /// Training loss after the iteration (see [`AlsModel::loss`]).
    pub loss: f64,
}

/// Trained user and item factors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlsModel {
    factors: usize,
    regularization: f32,
    alpha: f32,
    user_factors: Vec<f32>,
    item_factors: Vec<f32>,
    item_norms: Vec<f32>,
    item_gram: Vec<f32>,
    loss: Vec<f64>,
}

impl AlsModel {
    /// Fits factors to `user_items` (strengths `r_ui`, users x items) and its transpose
    /// `item_users`. Rows without entries get zero factors. Calls `on_iteration` after
    /// every iteration.
    ///
    /// Fails with [`Error::NonFiniteFactors`] if the factors stop being finite, naming
    /// the setting to change.
    pub fn fit(
        user_items: &CsrMatrix,
        item_users: &CsrMatrix,
        config: &AlsConfig,
        on_iteration: &mut dyn FnMut(IterationReport),
    ) -> Result<AlsModel> {
        config.validate()?;
        let f = config.factors;
        check_factor_memory(user_items.rows(), item_users.rows(), f, MAX_FACTOR_BYTES)?;
        let mut rng = Rng::new(config.seed);
        let mut init = |rows: usize, matrix: &CsrMatrix| -> Result<Vec<f32>> {
            let mut factors = zeroed_factors(rows, f)?;
            for r in 0..rows {
                if matrix.row(r).0.is_empty() {
                    continue;
                }
                for value in &mut factors[r * f..(r + 1) * f] {
                    *value = (rng.normal() * 0.01) as f32;
                }
            }
            Ok(factors)
        };
        let mut user_factors = init(user_items.rows(), user_items)?;
        let mut item_factors = init(item_users.rows(), item_users)?;

        let mut losses = Vec::with_capacity(config.iterations);
        let mut yty = gram(&item_factors, f);
        for iteration in 1..=config.iterations {
            // Users against fixed items, then items against fixed users.
            update_rows(&mut user_factors, &item_factors, &yty, user_items, config);
            let xtx = gram(&user_factors, f);
            update_rows(&mut item_factors, &user_factors, &xtx, item_users, config);

            if let Some(side) = first_non_finite(&user_factors, &item_factors) {
                return Err(non_finite_error(side, config, user_items));
            }
            // The new Y^T Y serves both the loss and the next iteration's user step.
            yty = gram(&item_factors, f);
            let loss = if config.compute_loss {
                training_loss(&user_factors, &item_factors, &yty, user_items, config)
            } else {
                f64::NAN
            };
            losses.push(loss);
            on_iteration(IterationReport {
                iteration,
                iterations: config.iterations,
                loss,
            });
        }

        let item_norms = row_norms(&item_factors, f);
        let item_gram = yty;
        Ok(AlsModel {
            factors: f,
            regularization: config.regularization,
            alpha: config.alpha,
            user_factors,
            item_factors,
            item_norms,
            item_gram,
            loss: losses,
        })
    }

    /// Wraps factors trained elsewhere (row-major, `factors` per row), computing the item
    /// norms and Gram matrix that scoring, fold-in and explanations use. Rows of zeros
    /// mark users and items without a signal. The loss history is empty.
    pub(crate) fn from_factors(
        factors: usize,
        regularization: f32,
        alpha: f32,
        user_factors: Vec<f32>,
        item_factors: Vec<f32>,
    ) -> AlsModel {
        AlsModel {
            factors,
            regularization,
            alpha,
            item_norms: row_norms(&item_factors, factors),
            item_gram: gram(&item_factors, factors),
            user_factors,
            item_factors,
            loss: Vec::new(),
        }
    }

    /// Replaces the stored factors of `user`, for users folded in after an import; does
    /// nothing for a user beyond the stored rows or a vector of another length.
    pub(crate) fn set_user_vector(&mut self, user: usize, vector: &[f32]) {
        let f = self.factors;
        let row = user
            .checked_mul(f)
            .and_then(|start| self.user_factors.get_mut(start..start + f));
        if let Some(row) = row.filter(|row| row.len() == vector.len()) {
            row.copy_from_slice(vector);
        }
    }

    /// Checks the shapes against `users` and `items` and that every value is finite, for
    /// models read from bytes. Returns a description of the first problem.
    pub fn check(&self, users: usize, items: usize) -> std::result::Result<(), String> {
        let f = self.factors;
        if f == 0 || self.item_factors.len() != items * f || self.item_norms.len() != items {
            return Err(format!(
                "item factors do not match {items} products of {f} factors"
            ));
        }
        if !self.user_factors.len().is_multiple_of(f) || self.user_factors.len() > users * f {
            return Err(format!(
                "user factors do not match {users} users of {f} factors"
            ));
        }
        if self.item_gram.len() != f * f {
            return Err("the Gram matrix has the wrong size".to_string());
        }
        let values = self
            .user_factors
            .iter()
            .chain(&self.item_factors)
            .chain(&self.item_gram)
            .chain(&self.item_norms);
        if values.clone().any(|v| !v.is_finite())
            || !self.alpha.is_finite()
            || !self.regularization.is_finite()
        {
            return Err("non-finite factors or settings".to_string());
        }
        Ok(())
    }

    /// Returns the number of latent factors.
    pub fn factors(&self) -> usize {
        self.factors
    }

    /// Returns the loss after each iteration: the objective above divided by the total weight
    /// `sum c_ui` over all cells, so values are comparable across data sizes.
    pub fn loss(&self) -> &[f64] {
        &self.loss
    }

    /// Returns the factor vector of `user` (all zeros for a user without training data).
    pub fn user_vector(&self, user: usize) -> &[f32] {
        &self.user_factors[user * self.factors..(user + 1) * self.factors]
    }

    /// Returns all item factors, row-major (`items x factors`).
    pub fn item_factors(&self) -> &[f32] {
        &self.item_factors
    }

    /// Returns the factor vector of `item` (all zeros for an item without training data).
    pub fn item_vector(&self, item: usize) -> &[f32] {
        &self.item_factors[item * self.factors..(item + 1) * self.factors]
    }

    /// Appends an item without training data (zero factors), for a product added after
    /// training.
    pub fn add_item(&mut self) {
        self.item_factors
            .extend(std::iter::repeat_n(0.0, self.factors));
        self.item_norms.push(0.0);
    }

    /// Returns whether `item` had training data, so that its factors carry a signal.
    pub fn has_item_signal(&self, item: usize) -> bool {
        self.item_norms[item] > 0.0
    }

    /// Writes `x . y_i` for every item into `scores` for the user vector `x`.
    pub fn score_all(&self, x: &[f32], scores: &mut [f32]) {
        for (score, y) in scores
            .iter_mut()
            .zip(self.item_factors.chunks_exact(self.factors))
        {
            *score = dot(x, y);
        }
    }

    /// Writes the cosine of every item's factors with `item`'s into `scores` (zero for
    /// items without a signal).
    pub fn item_cosines(&self, item: usize, scores: &mut [f32]) {
        let anchor = self.item_vector(item);
        let anchor_norm = self.item_norms[item];
        for ((score, y), &norm) in scores
            .iter_mut()
            .zip(self.item_factors.chunks_exact(self.factors))
            .zip(&self.item_norms)
        {
            *score = if norm > 0.0 && anchor_norm > 0.0 {
                dot(anchor, y) / (norm * anchor_norm)
            } else {
                0.0
            };
        }
    }

    /// Prepares the score decomposition for a user whose row of strengths is
    /// `(items, strengths)`, or `None` when the user has no items.
    pub fn explainer(&self, items: &[u32], strengths: &[f32]) -> Option<Explainer<'_>> {
        if items.is_empty() {
            return None;
        }
        let system = user_system(&self.fixed_items(), items, strengths);
        let cholesky = system.cholesky()?;
        Some(Explainer {
            model: self,
            cholesky,
            items: items.to_vec(),
            strengths: strengths.to_vec(),
        })
    }

    /// Solves one user's least-squares problem exactly against the current item factors
    /// (Cholesky). This is the reference the CG update approximates, and the fold-in of
    /// a user whose history changed after training.
    pub fn solve_user(&self, items: &[u32], strengths: &[f32]) -> Vec<f32> {
        solve_exact(&self.fixed_items(), items, strengths)
    }

    fn fixed_items(&self) -> FixedSide<'_> {
        FixedSide {
            factors: &self.item_factors,
            gram: &self.item_gram,
            f: self.factors,
            alpha: self.alpha,
            lambda: self.regularization,
        }
    }
}

/// The score decomposition of Hu, Koren and Volinsky (section 5): with
/// `W^u = (Y^T C^u Y + lambda I)^-1`, the predicted preference is
/// `x_u . y_i = sum_j (y_i^T W^u y_j) c_uj`, so history item `j` contributes
/// `c_uj * y_i^T W^u y_j` to the score of item `i`.
pub struct Explainer<'a> {
    model: &'a AlsModel,
    cholesky: nalgebra::Cholesky<f64, nalgebra::Dyn>,
    items: Vec<u32>,
    strengths: Vec<f32>,
}

impl Explainer<'_> {
    /// Returns each history item with its contribution to `item`'s score, in history order.
    pub fn contributions(&self, item: usize) -> Vec<(u32, f64)> {
        let y_i = DVector::from_iterator(
            self.model.factors,
            self.model.item_vector(item).iter().map(|&v| v as f64),
        );
        let weighted = self.cholesky.solve(&y_i);
        self.items
            .iter()
            .zip(&self.strengths)
            .map(|(&j, &r)| {
                // A negative entry has p = 0 and adds nothing to b, so it explains nothing.
                let c = if r > 0.0 {
                    1.0 + self.model.alpha as f64 * r as f64
                } else {
                    0.0
                };
                let y_j = self.model.item_vector(j as usize);
                let similarity: f64 = weighted.iter().zip(y_j).map(|(a, &b)| a * b as f64).sum();
                (j, c * similarity)
            })
            .collect()
    }
}

/// `a . b` for equal-length slices.
///
/// Eight independent partial sums let the compiler vectorize the loop: a single running
/// sum fixes the order of the floating-point additions and keeps it scalar.
#[inline(always)]
pub(crate) fn dot(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut lanes = [0f32; 8];
    let chunks = n / 8;
    for (x, y) in a.chunks_exact(8).zip(b.chunks_exact(8)) {
        for lane in 0..8 {
            lanes[lane] += x[lane] * y[lane];
        }
    }
    let mut sum = lanes.iter().sum::<f32>();
    for i in chunks * 8..n {
        sum += a[i] * b[i];
    }
    sum
}

/// `V^T V` (factors x factors, row-major) for a row-major `rows x factors` matrix `V`.
///
/// NOTE: nalgebra's matrix product picks SIMD kernels at run time, so trained factors
/// can differ in the last bits between CPUs (and between native and wasm builds); on
/// one machine and build, training is deterministic.
///
/// Blocks of rows form partial products, which are added in block order, so the result
/// does not depend on the number of threads.
fn gram(rows: &[f32], factors: usize) -> Vec<f32> {
    let count = rows.len() / factors;
    let partials = map_row_blocks(count, GRAM_ROWS_PER_TASK, |range| {
        let block = &rows[range.start * factors..range.end * factors];
        // Row-major rows x f is column-major f x rows, which nalgebra views without a copy.
        let view = DMatrixView::from_slice(block, factors, range.len());
        let product = view * view.transpose();
        product.as_slice().to_vec()
    });
    let mut sum = vec![0f32; factors * factors];
    for partial in partials {
        for (total, value) in sum.iter_mut().zip(partial) {
            *total += value;
        }
    }
    sum
}

fn row_norms(rows: &[f32], factors: usize) -> Vec<f32> {
    rows.chunks_exact(factors)
        .map(|row| dot(row, row).sqrt())
        .collect()
}

/// Rows per partial product of the Gram matrix: enough rows for nalgebra's blocked
/// product to run at full speed, and few partial sums to add.
const GRAM_ROWS_PER_TASK: usize = 2048;

/// Rows per task of a half-step: small enough to balance rows of uneven length across
/// threads, large enough that the per-task scratch and dispatch cost nothing.
const ROWS_PER_TASK: usize = 64;

/// Runs one CG half-step: updates every row of `solve` against the fixed `fixed` factors.
/// Rows are independent, so blocks of rows run in parallel with the `parallel` feature
/// and give the same bits as a serial run.
fn update_rows(
    solve: &mut [f32],
    fixed: &[f32],
    gram: &[f32],
    matrix: &CsrMatrix,
    config: &AlsConfig,
) {
    let f = config.factors;
    for_each_row_block(solve, f, ROWS_PER_TASK, |first_row, rows| {
        update_row_block(rows, first_row, fixed, gram, matrix, config);
    });
}

/// Updates the rows `first_row..` held in `solve`, with the widest kernel the CPU runs.
fn update_row_block(
    solve: &mut [f32],
    first_row: usize,
    fixed: &[f32],
    gram: &[f32],
    matrix: &CsrMatrix,
    config: &AlsConfig,
) {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU supports AVX2, checked just above.
        unsafe { update_rows_avx2(solve, first_row, fixed, gram, matrix, config) };
        return;
    }
    update_rows_portable(solve, first_row, fixed, gram, matrix, config);
}

/// [`update_rows_portable`] compiled for AVX2, so the vectorized dot products and
/// updates run eight `f32` lanes wide instead of four. The lanes and the order of their
/// additions are fixed in the source (and Rust never fuses a multiply and an add), so
/// the results are the same bits as the portable build's.
///
/// # Safety
/// The CPU must support AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn update_rows_avx2(
    solve: &mut [f32],
    first_row: usize,
    fixed: &[f32],
    gram: &[f32],
    matrix: &CsrMatrix,
    config: &AlsConfig,
) {
    update_rows_portable(solve, first_row, fixed, gram, matrix, config);
}

#[inline(always)]
fn update_rows_portable(
    solve: &mut [f32],
    first_row: usize,
    fixed: &[f32],
    gram: &[f32],
    matrix: &CsrMatrix,
    config: &AlsConfig,
) {
    let f = config.factors;
    let mut scratch = CgScratch::new(f);
    for (offset, x) in solve.chunks_exact_mut(f).enumerate() {
        let (cols, strengths) = matrix.row(first_row + offset);
        if cols.is_empty() {
            x.fill(0.0);
            continue;
        }
        cg_update(x, fixed, gram, cols, strengths, config, &mut scratch);
    }
}

struct CgScratch {
    r: Vec<f32>,
    p: Vec<f32>,
    ap: Vec<f32>,
}

impl CgScratch {
    fn new(f: usize) -> Self {
        CgScratch {
            r: vec![0.0; f],
            p: vec![0.0; f],
            ap: vec![0.0; f],
        }
    }
}

/// `out = (G + lambda I) v + sum_i (c_i - 1) (y_i . v) y_i`, the product of one row's
/// normal-equation matrix with `v`.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn apply_system(
    out: &mut [f32],
    v: &[f32],
    fixed: &[f32],
    gram: &[f32],
    cols: &[u32],
    strengths: &[f32],
    alpha: f32,
    lambda: f32,
) {
    let f = v.len();
    for (k, o) in out.iter_mut().enumerate() {
        *o = dot(&gram[k * f..(k + 1) * f], v) + lambda * v[k];
    }
    for (&i, &r) in cols.iter().zip(strengths) {
        let y = &fixed[i as usize * f..(i as usize + 1) * f];
        let scale = alpha * r.abs() * dot(y, v);
        for (o, &yk) in out.iter_mut().zip(y) {
            *o += scale * yk;
        }
    }
}

/// Warm-started conjugate gradient on `A x = b`, where `A` is the row's normal-equation
/// matrix and `b = sum_i c_i p_i y_i` (only entries with a positive strength have p = 1).
#[inline(always)]
fn cg_update(
    x: &mut [f32],
    fixed: &[f32],
    gram: &[f32],
    cols: &[u32],
    strengths: &[f32],
    config: &AlsConfig,
    s: &mut CgScratch,
) {
    let f = x.len();
    let (alpha, lambda) = (config.alpha, config.regularization);

    // Residual r = b - A x.
    apply_system(&mut s.r, x, fixed, gram, cols, strengths, alpha, lambda);
    for v in s.r.iter_mut() {
        *v = -*v;
    }
    for (&i, &r_ui) in cols.iter().zip(strengths) {
        let y = &fixed[i as usize * f..(i as usize + 1) * f];
        if r_ui <= 0.0 {
            continue;
        }
        let c = 1.0 + alpha * r_ui;
        for (r, &yk) in s.r.iter_mut().zip(y) {
            *r += c * yk;
        }
    }

    s.p.copy_from_slice(&s.r);
    let mut rs_old = dot(&s.r, &s.r);
    for _ in 0..config.cg_steps {
        if rs_old < 1e-20 {
            break;
        }
        apply_system(&mut s.ap, &s.p, fixed, gram, cols, strengths, alpha, lambda);
        let p_ap = dot(&s.p, &s.ap);
        // A non-positive curvature means the residual is already negligible; NaN or
        // infinity passes through so that the finiteness check after the iteration
        // reports it instead of leaving stale factors.
        if p_ap <= 0.0 {
            break;
        }
        let step = rs_old / p_ap;
        for ((xk, rk), (&pk, &apk)) in x.iter_mut().zip(s.r.iter_mut()).zip(s.p.iter().zip(&s.ap)) {
            *xk += step * pk;
            *rk -= step * apk;
        }
        let rs_new = dot(&s.r, &s.r);
        let beta = rs_new / rs_old;
        for k in 0..f {
            s.p[k] = s.r[k] + beta * s.p[k];
        }
        rs_old = rs_new;
    }
}

/// The fixed factors of a half-step with their Gram matrix and the hyperparameters.
struct FixedSide<'a> {
    factors: &'a [f32],
    gram: &'a [f32],
    f: usize,
    alpha: f32,
    lambda: f32,
}

/// Builds the row's normal-equation matrix `Y^T C^u Y + lambda I` in `f64`.
fn user_system(side: &FixedSide, items: &[u32], strengths: &[f32]) -> DMatrix<f64> {
    let f = side.f;
    let mut system = DMatrix::from_iterator(f, f, side.gram.iter().map(|&v| v as f64));
    for (&i, &r) in items.iter().zip(strengths) {
        let row = &side.factors[i as usize * f..(i as usize + 1) * f];
        let y = DVector::from_iterator(f, row.iter().map(|&v| v as f64));
        system.ger(side.alpha as f64 * r.abs() as f64, &y, &y, 1.0);
    }
    for k in 0..f {
        system[(k, k)] += side.lambda as f64;
    }
    system
}

/// Solves one row's problem exactly; zero factors when the system is singular or the row
/// is empty.
fn solve_exact(side: &FixedSide, items: &[u32], strengths: &[f32]) -> Vec<f32> {
    let f = side.f;
    if items.is_empty() {
        return vec![0.0; f];
    }
    let system = user_system(side, items, strengths);
    // b = sum of c_i p_i y_i: only positive entries (p = 1) contribute.
    let mut b = DVector::zeros(f);
    for (&i, &r) in items.iter().zip(strengths) {
        if r <= 0.0 {
            continue;
        }
        let c = 1.0 + side.alpha as f64 * r as f64;
        for k in 0..f {
            b[k] += c * side.factors[i as usize * f + k] as f64;
        }
    }
    match system.cholesky() {
        Some(cholesky) => cholesky.solve(&b).iter().map(|&v| v as f32).collect(),
        None => vec![0.0; f],
    }
}

/// Computes the objective divided by `sum c_ui` over all cells (stored cells weigh `c`, the rest 1).
///
/// Blocks of users add up their own partial sums, which are then added in block order,
/// so the result does not depend on the number of threads.
fn training_loss(
    users: &[f32],
    items: &[f32],
    yty: &[f32],
    user_items: &CsrMatrix,
    config: &AlsConfig,
) -> f64 {
    let f = config.factors;
    let rows = users.len() / f;
    let partials = map_row_blocks(rows, ROWS_PER_TASK, |range| {
        let x_block = &users[range.start * f..range.end * f];
        block_loss(x_block, range.start, items, yty, user_items, config)
    });
    let mut loss = 0.0f64;
    let mut total_weight = (user_items.rows() * user_items.cols() - user_items.nnz()) as f64;
    for (partial_loss, partial_weight) in partials {
        loss += partial_loss;
        total_weight += partial_weight;
    }
    let squares = |v: &[f32]| v.iter().map(|&a| (a as f64) * (a as f64)).sum::<f64>();
    loss += config.regularization as f64 * (squares(users) + squares(items));
    if total_weight > 0.0 {
        loss / total_weight
    } else {
        0.0
    }
}

/// Returns the unregularized loss of the users `first_user..` held in `users`, and the
/// total confidence of their stored cells.
fn block_loss(
    users: &[f32],
    first_user: usize,
    items: &[f32],
    yty: &[f32],
    user_items: &CsrMatrix,
    config: &AlsConfig,
) -> (f64, f64) {
    let f = config.factors;
    let alpha = config.alpha as f64;
    let mut loss = 0.0f64;
    let mut weight = 0.0f64;
    let mut gx = vec![0f32; f];
    for (offset, x) in users.chunks_exact(f).enumerate() {
        // sum over all items of (x . y_i)^2 = x^T (Y^T Y) x
        for (k, g) in gx.iter_mut().enumerate() {
            *g = dot(&yty[k * f..(k + 1) * f], x);
        }
        loss += dot(x, &gx) as f64;
        // Stored cells: replace s^2 by c (1 - s)^2.
        let (cols, strengths) = user_items.row(first_user + offset);
        for (&i, &r) in cols.iter().zip(strengths) {
            let c = 1.0 + alpha * (r as f64).abs();
            let p = if r > 0.0 { 1.0 } else { 0.0 };
            let s = dot(x, &items[i as usize * f..(i as usize + 1) * f]) as f64;
            loss += c * (p - s) * (p - s) - s * s;
            weight += c;
        }
    }
    (loss, weight)
}

fn first_non_finite(users: &[f32], items: &[f32]) -> Option<&'static str> {
    if users.iter().any(|v| !v.is_finite()) {
        Some("user")
    } else if items.iter().any(|v| !v.is_finite()) {
        Some("item")
    } else {
        None
    }
}

fn non_finite_error(side: &str, config: &AlsConfig, user_items: &CsrMatrix) -> Error {
    let smallest = user_items.rows().min(user_items.cols());
    let advice = if config.regularization == 0.0 && config.factors > smallest {
        format!(
            "the {side} factors diverged because factors ({}) exceeds the number of users or items ({smallest}) \
             and regularization is 0; use at most {smallest} factors or a regularization above 0, such as 0.05",
            config.factors
        )
    } else if config.alpha > 1000.0 {
        format!(
            "the {side} factors diverged with alpha = {}; lower alpha to 100 or less",
            config.alpha
        )
    } else {
        format!(
            "the {side} factors diverged; raise regularization (now {}) or lower alpha (now {})",
            config.regularization, config.alpha
        )
    };
    Error::NonFiniteFactors { advice }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_progress() -> impl FnMut(IterationReport) {
        |_| {}
    }

    #[test]
    fn identity_preferences_are_reproduced() {
        // Three users who each touched one distinct item: with three factors the model
        // can represent P = I exactly, and a small penalty keeps it close to that.
        let m = CsrMatrix::from_triplets(3, 3, &[(0, 0, 1.0), (1, 1, 1.0), (2, 2, 1.0)]);
        let config = AlsConfig {
            factors: 3,
            regularization: 0.01,
            alpha: 10.0,
            iterations: 50,
            cg_steps: 3,
            compute_loss: true,
            seed: 1,
        };
        let model = AlsModel::fit(&m, &m.transpose(), &config, &mut no_progress()).unwrap();
        for u in 0..3 {
            for i in 0..3 {
                let s = dot(model.user_vector(u), model.item_vector(i));
                if u == i {
                    assert!(s > 0.9, "diagonal ({u},{i}) = {s}");
                } else {
                    assert!(s.abs() < 0.05, "off-diagonal ({u},{i}) = {s}");
                }
            }
        }
    }

    #[test]
    fn one_factor_update_matches_hand_computation() {
        // With one factor the user solve is scalar:
        // x = sum_i c_i y_i / (sum_all y_i^2 + sum_i (c_i - 1) y_i^2 + lambda).
        // Items y = [1, 2], the user touched item 1 with r = 1, alpha = 3 so c = 4:
        // x = 4 * 2 / (1 + 4 + 3 * 4 + 0.5) = 8 / 17.5.
        let fixed = vec![1.0f32, 2.0];
        let gram = gram(&fixed, 1);
        assert_eq!(gram, vec![5.0]);
        let config = AlsConfig {
            factors: 1,
            regularization: 0.5,
            alpha: 3.0,
            iterations: 1,
            cg_steps: 1,
            compute_loss: true,
            seed: 0,
        };
        let mut x = vec![0.0f32];
        cg_update(
            &mut x,
            &fixed,
            &gram,
            &[1],
            &[1.0],
            &config,
            &mut CgScratch::new(1),
        );
        assert!((x[0] - 8.0 / 17.5).abs() < 1e-6, "x = {}", x[0]);
        let side = FixedSide {
            factors: &fixed,
            gram: &gram,
            f: 1,
            alpha: 3.0,
            lambda: 0.5,
        };
        let exact = solve_exact(&side, &[1], &[1.0]);
        assert!((exact[0] - 8.0 / 17.5).abs() < 1e-6);
    }

    #[test]
    fn cg_with_full_steps_matches_cholesky() {
        // CG on an f-dimensional SPD system converges in f steps in exact arithmetic.
        let f = 4;
        let mut rng = Rng::new(9);
        let fixed: Vec<f32> = (0..6 * f).map(|_| rng.normal() as f32).collect();
        let items = [0u32, 2, 5];
        let strengths = [1.0f32, 3.0, 0.5];
        let config = AlsConfig {
            factors: f,
            regularization: 0.1,
            alpha: 2.0,
            iterations: 1,
            cg_steps: 8,
            compute_loss: true,
            seed: 0,
        };
        let mut x = vec![0.0f32; f];
        cg_update(
            &mut x,
            &fixed,
            &gram(&fixed, f),
            &items,
            &strengths,
            &config,
            &mut CgScratch::new(f),
        );
        let gram = gram(&fixed, f);
        let side = FixedSide {
            factors: &fixed,
            gram: &gram,
            f,
            alpha: 2.0,
            lambda: 0.1,
        };
        let exact = solve_exact(&side, &items, &strengths);
        for k in 0..f {
            assert!(
                (x[k] - exact[k]).abs() < 1e-4,
                "k={k}: cg {} exact {}",
                x[k],
                exact[k]
            );
        }
    }

    #[test]
    fn loss_decreases_and_is_reported() {
        let mut rng = Rng::new(5);
        let mut triplets = Vec::new();
        for u in 0..30u32 {
            for _ in 0..5 {
                triplets.push((u, rng.below(20) as u32, 1.0 + rng.below(3) as f32));
            }
        }
        let m = CsrMatrix::from_triplets(30, 20, &triplets);
        let mut reported = Vec::new();
        let config = AlsConfig {
            factors: 5,
            iterations: 8,
            ..Default::default()
        };
        let model =
            AlsModel::fit(&m, &m.transpose(), &config, &mut |r| reported.push(r.loss)).unwrap();
        assert_eq!(reported, model.loss());
        assert_eq!(reported.len(), 8);
        assert!(reported[7] < reported[0], "loss {reported:?}");
        for pair in reported.windows(2) {
            assert!(pair[1] <= pair[0] * 1.001, "loss rose: {reported:?}");
        }
    }

    #[test]
    fn decomposition_sums_to_exact_score() {
        let f = 3;
        let mut rng = Rng::new(11);
        let item_factors: Vec<f32> = (0..5 * f).map(|_| rng.normal() as f32).collect();
        let model = AlsModel {
            factors: f,
            regularization: 0.2,
            alpha: 1.5,
            user_factors: vec![],
            item_norms: row_norms(&item_factors, f),
            item_gram: gram(&item_factors, f),
            item_factors,
            loss: vec![],
        };
        let items = [1u32, 3];
        let strengths = [2.0f32, 1.0];
        let x = model.solve_user(&items, &strengths);
        let explainer = model.explainer(&items, &strengths).unwrap();
        for target in 0..5 {
            let total: f64 = explainer.contributions(target).iter().map(|(_, c)| c).sum();
            let score = dot(&x, model.item_vector(target)) as f64;
            assert!(
                (total - score).abs() < 1e-4,
                "item {target}: {total} vs {score}"
            );
        }
    }

    #[test]
    fn extreme_alpha_reports_advice() {
        let m = CsrMatrix::from_triplets(2, 2, &[(0, 0, 1.0), (1, 1, 1.0)]);
        let config = AlsConfig {
            factors: 2,
            alpha: 1e38,
            iterations: 2,
            ..Default::default()
        };
        let err = AlsModel::fit(&m, &m.transpose(), &config, &mut no_progress()).unwrap_err();
        let message = err.to_string();
        assert!(message.contains("lower alpha to 100 or less"), "{message}");
    }

    #[test]
    fn rows_without_data_get_zero_factors() {
        let m = CsrMatrix::from_triplets(3, 3, &[(0, 0, 1.0), (1, 0, 1.0)]);
        let config = AlsConfig {
            factors: 2,
            iterations: 3,
            ..Default::default()
        };
        let model = AlsModel::fit(&m, &m.transpose(), &config, &mut no_progress()).unwrap();
        assert_eq!(model.user_vector(2), &[0.0, 0.0]);
        assert_eq!(model.item_vector(1), &[0.0, 0.0]);
        assert!(!model.has_item_signal(2));
        assert!(model.has_item_signal(0));
    }

    #[cfg(feature = "parallel")]
    #[test]
    fn threads_give_identical_factors() {
        // Several row blocks per half-step, rows of uneven length and some empty rows.
        let (users, items) = (300, 200);
        let mut rng = Rng::new(21);
        let mut triplets = Vec::new();
        for u in 0..users as u32 {
            for _ in 0..rng.below(12) {
                let strength = if rng.below(10) == 0 {
                    -1.0
                } else {
                    1.0 + rng.below(4) as f32
                };
                triplets.push((u, rng.below(items) as u32, strength));
            }
        }
        let m = CsrMatrix::from_triplets(users, items, &triplets);

        let config = AlsConfig {
            factors: 12,
            iterations: 4,
            ..Default::default()
        };
        let fit_on = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| AlsModel::fit(&m, &m.transpose(), &config, &mut no_progress()).unwrap())
        };
        let serial = fit_on(1);
        let parallel = fit_on(3);

        assert!(serial.user_factors.iter().any(|&v| v != 0.0));
        assert_eq!(serial.user_factors, parallel.user_factors);
        assert_eq!(serial.item_factors, parallel.item_factors);
        assert_eq!(serial.item_gram, parallel.item_gram);
        let serial_loss: Vec<u64> = serial.loss.iter().map(|v| v.to_bits()).collect();
        let parallel_loss: Vec<u64> = parallel.loss.iter().map(|v| v.to_bits()).collect();
        assert_eq!(serial_loss, parallel_loss);
    }

    #[test]
    fn identical_interactions_give_equal_scores() {
        // Every user touched every item with the same strength, so P is all ones and
        // no item can rank above another for any user.
        let triplets: Vec<(u32, u32, f32)> = (0..4)
            .flat_map(|u| (0..3).map(move |i| (u, i, 1.0)))
            .collect();
        let m = CsrMatrix::from_triplets(4, 3, &triplets);
        let config = AlsConfig {
            factors: 3,
            iterations: 20,
            ..Default::default()
        };
        let model = AlsModel::fit(&m, &m.transpose(), &config, &mut no_progress()).unwrap();
        for u in 0..4 {
            let scores: Vec<f32> = (0..3)
                .map(|i| dot(model.user_vector(u), model.item_vector(i)))
                .collect();
            let spread = scores.iter().cloned().fold(f32::MIN, f32::max)
                - scores.iter().cloned().fold(f32::MAX, f32::min);
            assert!(spread < 1e-3, "user {u}: {scores:?}");
            assert!(scores[0] > 0.9, "user {u}: {scores:?}");
            assert!(scores[0] < 1.01, "user {u}: {scores:?}");
        }
    }

    #[test]
    fn huge_regularization_shrinks_scores_to_zero() {
        let m = CsrMatrix::from_triplets(2, 2, &[(0, 0, 1.0), (1, 1, 5.0)]);
        let config = AlsConfig {
            factors: 2,
            regularization: 1e6,
            iterations: 3,
            ..Default::default()
        };
        let model = AlsModel::fit(&m, &m.transpose(), &config, &mut no_progress()).unwrap();
        for u in 0..2 {
            for i in 0..2 {
                let score = dot(model.user_vector(u), model.item_vector(i));
                assert!(
                    score.is_finite() && score.abs() < 1e-6,
                    "({u},{i}) = {score}"
                );
            }
        }
    }

    #[test]
    fn factor_memory_limit_names_largest_fit() {
        // (2,000 + 500,000) rows x 4 bytes = 2,008,000 bytes per factor: 1,024 factors take
        // 2,056,192,000 bytes (1960.9 MB), and 2^30 bytes fit 534 factors.
        let limit = Some(1u64 << 30);
        assert_eq!(
            check_factor_memory(2_000, 500_000, 1024, limit)
                .unwrap_err()
                .to_string(),
            "invalid factors: 1024, expected at most 534 for 2000 users and 500000 products, \
             because the factor matrices would take 1960 MB and this build allows 1024 MB"
        );
        assert!(check_factor_memory(2_000, 500_000, 534, limit).is_ok());
        assert!(check_factor_memory(2_000, 500_000, 1024, None).is_ok());
    }

    #[test]
    fn invalid_factors_rejected() {
        let config = AlsConfig {
            factors: 0,
            ..Default::default()
        };
        assert_eq!(
            config.validate().unwrap_err().to_string(),
            "invalid factors: 0, expected an integer from 1 to 1024"
        );
    }
}
