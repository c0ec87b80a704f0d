//! Generates compact case-mapping tables for the simulated `str.upper`/`lower`/`title`/… from the build
//! host's own `char::to_uppercase`/`to_lowercase`, so the wasm carries runs of equal deltas (a few hundred
//! entries) instead of core's per-character conversion tables. Same Unicode data, a fraction of the size.

use std::fmt::Write;

/// (start, count << 1 | (stride - 1), delta) runs of single-character mappings.
type Runs = Vec<(u32, u32, i64)>;
/// Multi-character mappings, one by one.
type Multi = Vec<(u32, Vec<u32>)>;

fn tables(map: impl Fn(char) -> Vec<char>) -> (Runs, Multi) {
    let mut runs: Vec<(u32, u32, u32, i64)> = Vec::new(); // start, count, stride, delta
    let mut multi = Vec::new();
    for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
        let m = map(c);
        if m.len() > 1 {
            multi.push((c as u32, m.iter().map(|&x| x as u32).collect()));
            continue;
        }
        if m[0] == c {
            continue;
        }
        let (c, delta) = (c as u32, m[0] as i64 - c as i64);
        if let Some(r) = runs.last_mut() {
            if r.3 == delta {
                if r.1 == 1 && (c - r.0 == 1 || c - r.0 == 2) {
                    r.2 = c - r.0;
                    r.1 = 2;
                    continue;
                }
                if r.1 > 1 && c == r.0 + r.1 * r.2 {
                    r.1 += 1;
                    continue;
                }
            }
        }
        runs.push((c, 1, 1, delta));
    }
    let runs = runs
        .into_iter()
        .map(|(s, n, st, d)| (s, n << 1 | (st - 1), d))
        .collect();
    (runs, multi)
}

fn emit(out: &mut String, name: &str, map: impl Fn(char) -> Vec<char>) {
    let (runs, multi) = tables(map);
    writeln!(
        out,
        "pub static {name}_RUNS: [(u32, u32, i32); {}] = [",
        runs.len()
    )
    .unwrap();
    for (s, n, d) in runs {
        writeln!(out, "({s}, {n}, {d}),").unwrap();
    }
    writeln!(
        out,
        "];\npub static {name}_MULTI: [(u32, [u32; 3]); {}] = [",
        multi.len()
    )
    .unwrap();
    for (c, m) in multi {
        let g = |i: usize| m.get(i).copied().unwrap_or(0);
        writeln!(out, "({c}, [{}, {}, {}]),", g(0), g(1), g(2)).unwrap();
    }
    writeln!(out, "];").unwrap();
}

fn main() {
    let mut out = String::new();
    emit(&mut out, "UPPER", |c| c.to_uppercase().collect());
    emit(&mut out, "LOWER", |c| c.to_lowercase().collect());
    let path = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("case_tables.rs");
    std::fs::write(path, out).unwrap();
    println!("cargo:rerun-if-changed=build.rs");
}
