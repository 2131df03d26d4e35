//! Loading saved models must reject any corrupted bytes with an error. The second call
//! skips the checksum so the fuzzer also reaches the payload decoder and the catalog
//! validation behind it.
#![no_main]

use hybrid_recommender::persistence::{decode_payload, load};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = load(data);
    let _ = decode_payload(data);
});
