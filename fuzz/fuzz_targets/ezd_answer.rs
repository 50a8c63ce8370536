//! libFuzzer over `skladnica_tests::fuzz::ezd_answer` (see tests/src/fuzz.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(
    // libFuzzer's hook aborts on any panic, even one the product catches (its import guard
    // turns a parser's panic into the file's rejection); a panic that escapes still aborts.
    init: std::panic::set_hook(Box::new(|_| {})),
    |data: &[u8]| skladnica_tests::fuzz::ezd_answer(data)
);
