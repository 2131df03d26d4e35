//! Imported factor files must be rejected with an error, never a panic or a huge
//! allocation, whatever their bytes. The payload decoder is also called directly so the
//! fuzzer reaches it without forging a checksum, and the bytes are tried as JSON text.
#![no_main]

use hybrid_recommender::factors::binary::decode_payload;
use hybrid_recommender::ImportedFactors;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = ImportedFactors::from_bytes(data);
    let _ = decode_payload(data);
    let _ = ImportedFactors::from_json(&String::from_utf8_lossy(data));
});
