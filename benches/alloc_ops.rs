//! ns per allocator operation for 10⁶ mixed malloc/free/realloc calls, per pymalloc layout, natively.
//! `cargo bench --bench alloc_ops`. The wasm figure comes from `node scripts/bench-wasm.mjs`.
//! Target (issue 2): ≤ 30 ns/op native, wasm within 2× of native. Prints figures; never fails on timing.

use pymemsim::alloc::workload::mixed_ops;
use pymemsim::alloc::Heap;
use pymemsim::profile::{ArenaAlign, Profile};
use std::hint::black_box;
use std::time::Instant;

const OPS: u64 = 1_000_000;
const LIVE: usize = 10_000;

fn main() {
    println!("{:<22} {:>10} {:>10}", "profile", "ns/op", "Mops/s");
    for (v, arch) in [
        ("3.7.3", "x86_64"),
        ("3.8", "x86_64"),
        ("3.12", "x86_64"),
        ("3.15", "x86_64"),
        ("3.12", "wasm32"),
    ] {
        let profile = Profile::parse(v, arch).unwrap();
        // Warm-up run, then the best of five (the least disturbed by the machine).
        let mut best = f64::MAX;
        for round in 0..6 {
            let mut heap = Heap::new(profile, ArenaAlign::Page);
            let t = Instant::now();
            black_box(mixed_ops(&mut heap, OPS, LIVE, 0x9e37_79b9_7f4a_7c15));
            let ns = t.elapsed().as_nanos() as f64 / OPS as f64;
            if round > 0 {
                best = best.min(ns);
            }
        }
        println!(
            "{:<22} {:>10.1} {:>10.1}",
            format!("{v} {arch}"),
            best,
            1e3 / best
        );
    }
}
