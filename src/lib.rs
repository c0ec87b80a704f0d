//! pymemsim: a simulator of how CPython manages memory, version by version and arch by arch.
//!
//! Layers, each depending only on those above it: [`profile`] (a release and an arch: every constant and rule
//! switch) → [`alloc`] (pymalloc and the raw malloc region, `Objects/obmalloc.c`) → [`object`] (objects,
//! layouts, sizes, dict and set tables, `Objects/*object.c`) → [`gc`] (the cyclic collector's generations
//! and graph phases, `Modules/gcmodule.c`, `Python/gc.c`) → [`interp`] (a Python subset run as CPython's
//! bytecode runs it) and [`mscript`] (allocator scripts that drive `alloc` directly) → [`trace`] (steps,
//! events and time travel) → [`api`] (the wasm-bindgen surface) and the `pymemsim` binary. See
//! ARCHITECTURE.md.

pub mod alloc;
pub mod api;
pub mod gc;
pub mod interp;
pub mod json;
pub mod mscript;
pub mod object;
pub mod profile;
pub mod trace;
pub mod util;

/// The Rust heap of the wasm build (the simulator's own vectors and maps, not the simulated memory):
/// talc, which is smaller in the download and faster than the default dlmalloc.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
