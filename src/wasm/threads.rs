//! The training thread count, and in the threaded build (feature `threads`) the
//! `initThreadPool(count)` export of wasm-bindgen-rayon, which starts `count` Web Workers
//! that share this module's memory and serve as rayon's pool.

use wasm_bindgen::prelude::*;

#[cfg(feature = "threads")]
pub use wasm_bindgen_rayon::init_thread_pool;

/// Returns the number of threads that training runs on: the pool size after
/// `initThreadPool` in the threaded build, 1 in the other builds.
#[wasm_bindgen(js_name = trainingThreads)]
pub fn training_threads() -> usize {
    crate::parallel::current_threads()
}
