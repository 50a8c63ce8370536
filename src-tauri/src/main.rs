//! The `skladnica-app` binary: the desktop window on a library (the default one in the OS data
//! folder, or `--library DIR` / `SKLADNICA_LIBRARY`).
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    skladnica_app::started();
    // Before anything loads libtesseract: one OpenMP thread per engine (see the function).
    skladnica_core::ocr::limit_openmp_threads();
    skladnica_app::run();
}
