//! The wasm API as JS sees it, in headless Chromium: `wasm-pack test --headless --chrome -- --test wasm_api_browser`.
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
include!("support/wasm_api_cases.rs");
