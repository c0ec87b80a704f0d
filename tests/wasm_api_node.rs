//! The wasm API as JS sees it, in Node: `wasm-pack test --node -- --test wasm_api_node`.
#![cfg(target_arch = "wasm32")]

include!("support/wasm_api_cases.rs");
