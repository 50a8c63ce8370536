//! libFuzzer over `skladnica_tests::fuzz::package` (see tests/src/fuzz.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(
    // libFuzzer's hook aborts on any panic, even one the product catches; a panic that escapes
    // still aborts.
    init: std::panic::set_hook(Box::new(|_| {})),
    |data: &[u8]| skladnica_tests::fuzz::package(data)
);
