//! Fuzz target: any text, parsed and run on the simulator, must end in output or a Python-style error,
//! never a panic or a hang (small step and memory budgets keep every run short). Seeds: tests/conformance/cases.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pymemsim::interp::{run, Limits};
use pymemsim::profile::{ArenaAlign, Profile};

fuzz_target!(|data: &[u8]| {
    let src = String::from_utf8_lossy(data);
    // The first byte picks the profile, so one corpus covers every rule switch.
    let versions = ["3.7.3", "3.8", "3.10", "3.11", "3.12", "3.14", "3.15"];
    let v = versions[data.first().copied().unwrap_or(0) as usize % versions.len()];
    let arch = if data.len() % 2 == 0 { "x86_64" } else { "wasm32" };
    let profile = Profile::parse(v, arch).expect("a supported profile");
    let limits = Limits { max_steps: 20_000, memory: 64 << 20, ..Limits::default() };
    let out = run(profile, ArenaAlign::Page, &src, "fuzz.py", limits);
    assert!(out.exit_code == 0 || out.error.is_some() || !out.stderr.is_empty());
});
