//! pymemsim: a simulator of how CPython manages memory, version by version and arch by arch.
//!
//! Layers, each depending only on those above it: [`profile`] (a release and an arch: every constant and rule
//! switch) → [`alloc`] (pymalloc and the raw malloc region, `Objects/obmalloc.c`) → [`mscript`] (the
//! allocator-script language that drives `alloc` directly) → [`trace`] (steps, events and time travel) →
//! [`api`] (the wasm-bindgen surface) and the `pymemsim` binary. See ARCHITECTURE.md.

pub mod alloc;
pub mod api;
pub mod mscript;
pub mod profile;
pub mod trace;
