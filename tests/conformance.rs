//! The conformance corpus (tests/conformance, vendored from ../shared/conformance) through the CLI: every
//! case run by `pymemsim run` on the exact interpreter version and arch each expected output was recorded
//! with, compared as the corpus README says (stdout identical; for a non-zero real exit, the same exit code
//! and the same last stderr line). Every case is required; those that use the `gc` module or `__del__` are
//! also counted apart in the table. (scripts/conformance-wasm.mjs does the same through the wasm API.)
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;
use std::process::Command;

pub struct Expected {
    pub stdout: String,
    pub stderr_last: Option<String>,
    pub exit: i32,
}

pub fn parse_expected(text: &str) -> Expected {
    let mut body = text.to_string();
    let mut exit = 0;
    if let Some(i) = body.rfind("--- exit code ") {
        exit = body[i + 14..]
            .trim()
            .trim_end_matches("---")
            .trim()
            .parse()
            .unwrap_or(1);
        body.truncate(i);
    }
    let (stdout, stderr) = match body.find("--- stderr ---\n") {
        Some(i) => {
            let mut out = body[..i].to_string();
            // pyrun adds a newline before the marker only if stdout did not end with one.
            if !out.is_empty() && !out.ends_with('\n') {
                out.pop();
            }
            let _ = &mut out;
            (body[..i].to_string(), Some(body[i + 15..].to_string()))
        }
        None => (body, None),
    };
    let stderr_last = stderr.and_then(|s| s.lines().last().map(|l| l.to_string()));
    Expected {
        stdout,
        stderr_last,
        exit,
    }
}

fn needs_gc(src: &str) -> bool {
    src.contains("import gc") || src.contains("__del__")
}

#[test]
fn corpus_matches_real_interpreters() {
    check_corpus("tests/conformance");
}

/// Our own cases (tests/cases-ours), recorded the same way on the same interpreters.
#[test]
fn our_cases_match_real_interpreters() {
    check_corpus("tests/cases-ours");
}

fn check_corpus(dir: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut dirs: Vec<_> = std::fs::read_dir(root.join("expected"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    let mut failures = Vec::new();
    let mut table = Vec::new();
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let (ver, arch) = name.rsplit_once('-').unwrap();
        let (mut pass, mut total, mut gc_pass, mut gc_total) = (0, 0, 0, 0);
        let mut outs: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        outs.sort();
        for out in outs
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "out"))
        {
            let case = out.file_stem().unwrap().to_string_lossy().to_string();
            let src =
                std::fs::read_to_string(root.join("cases").join(format!("{case}.py"))).unwrap();
            let exp = parse_expected(&std::fs::read_to_string(out).unwrap());
            let case_path = root.join("cases").join(format!("{case}.py"));
            let got = Command::new(env!("CARGO_BIN_EXE_pymemsim"))
                .args([
                    "run",
                    case_path.to_str().unwrap(),
                    "--python",
                    ver,
                    "--arch",
                    arch,
                ])
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&got.stdout).to_string();
            let stderr = String::from_utf8_lossy(&got.stderr).to_string();
            let code = got.status.code().unwrap_or(-1);
            let mut ok = stdout == exp.stdout;
            if exp.exit != 0 {
                ok &= code == exp.exit
                    && stderr.lines().last().map(|l| l.to_string()) == exp.stderr_last;
            } else {
                ok &= code == 0;
            }
            if needs_gc(&src) {
                gc_total += 1;
                gc_pass += ok as u32;
            }
            {
                total += 1;
                pass += ok as u32;
                if !ok {
                    failures.push(format!(
                        "{name} {case}:\n--- expected\n{}{}\n--- got\n{}{}",
                        exp.stdout,
                        exp.stderr_last.unwrap_or_default(),
                        stdout,
                        stderr.lines().last().unwrap_or("")
                    ));
                }
            }
        }
        table.push(format!(
            "{name:<18} {pass:>3}/{total:<3} (gc cases {gc_pass}/{gc_total})"
        ));
    }
    println!("{}", table.join("\n"));
    if !failures.is_empty() {
        let n = failures.len();
        let show: Vec<String> = failures.into_iter().take(40).collect();
        panic!("{n} conformance failures:\n{}", show.join("\n"));
    }
}
