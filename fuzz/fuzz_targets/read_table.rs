//! Any bytes: decoded, separator detected, read into a table — never a
//! panic, and the rows' line numbers only ever go up.
#![no_main]

use domain::csv_upload::{decode, read_table, Delimiter};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(decoded) = decode(bytes) else {
        return;
    };
    let delimiter = Delimiter::detect(&decoded.text);
    if let Ok(table) = read_table(&decoded.text, delimiter, 1_000) {
        assert!(table.rows.windows(2).all(|w| w[0].line < w[1].line));
    }
});
