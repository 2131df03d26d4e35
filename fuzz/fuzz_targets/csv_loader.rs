//! The CSV loader must return a catalog or an error for any text and options, never panic.
#![no_main]

use hybrid_recommender::loader::{load_csv, CsvInput, LoadOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    // The first byte picks the delimiter, the header setting and whether a products file
    // (the text before the first NUL) is given.
    let mut options = LoadOptions {
        delimiter: [',', '\t', '|', ';'][(flags & 3) as usize],
        has_header: flags & 4 == 0,
        ..LoadOptions::default()
    };
    if flags & 8 != 0 {
        options.default_type = Some(hybrid_recommender::InteractionKind::Purchase);
    }
    let (products, interactions) = match text.split_once('\0') {
        Some((products, interactions)) if flags & 16 != 0 => (Some(products), interactions),
        _ => (None, text.as_ref()),
    };
    let _ = load_csv(CsvInput { products, interactions, users: None }, &options);
});
