//! The record (JSON) loader must return a catalog or an error for any document.
#![no_main]

use hybrid_recommender::loader::{load_records, LoadOptions, RecordInput};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(input) = serde_json::from_slice::<RecordInput>(data) {
        let _ = load_records(&input, &LoadOptions::default());
    }
});
