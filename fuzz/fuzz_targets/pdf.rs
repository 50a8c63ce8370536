//! libFuzzer over `skladnica_tests::fuzz::pdf` (see tests/src/fuzz.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| skladnica_tests::fuzz::pdf(data));
