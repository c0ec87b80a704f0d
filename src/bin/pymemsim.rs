//! The `pymemsim` command line: the same engine as the JS API, for teachers, scripts and tests.
//!
//! `pymemsim malloc FILE --python V --arch A [--arena-align page|pool|arena] [--memory-limit BYTES]` runs an
//! allocator script; `pymemsim profiles` lists what is supported. Exit status: 0 ok, 1 bad usage or
//! unreadable file, 2 an error in the script (reported as `FILE:LINE:COL: message` on stderr).

use pymemsim::api::{profiles, Options, Session};
use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "usage:
  pymemsim run FILE.py [--python V] [--arch A] [--explain NAME]... [--trace] [--max-steps N] [--memory-limit BYTES]
  pymemsim malloc FILE [--python V] [--arch A] [--arena-align page|pool|arena] [--memory-limit BYTES]
  pymemsim profiles

  --python V    3.7 … 3.15, or an exact release such as 3.7.3 (default 3.12)
  --arch A      x86_64 (default) or wasm32 (as Pyodide builds CPython: no pymalloc)
  --trace       after the output, each cyclic collection phase by phase
  FILE may be - for standard input.";

/// The evaluator recurses in Rust as Python code recurses; a large stack lets a program reach CPython's
/// recursion limit (and `sys.setrecursionlimit` raises) with room to spare, even in a debug build.
const STACK_BYTES: usize = 1 << 30;

fn main() -> ExitCode {
    let worker = std::thread::Builder::new()
        .stack_size(STACK_BYTES)
        .spawn(|| match real_main() {
            Ok(code) => code,
            Err(msg) => {
                eprintln!("pymemsim: {msg}");
                ExitCode::from(1)
            }
        });
    match worker.map(|h| h.join()) {
        Ok(Ok(code)) => code,
        _ => {
            eprintln!(
                "pymemsim: internal error (please report it with the program that caused it)"
            );
            ExitCode::from(3)
        }
    }
}

fn real_main() -> Result<ExitCode, String> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_env();
    let mut command: Option<String> = None;
    let mut file: Option<String> = None;
    let mut opts = Options::default();
    let mut max_steps: Option<u64> = None;
    let mut explain: Vec<String> = Vec::new();
    let mut trace = false;
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long("python") => opts.python = Some(value(&mut parser)?),
            Long("arch") => opts.arch = Some(value(&mut parser)?),
            Long("arena-align") => opts.arena_align = Some(value(&mut parser)?),
            Long("memory-limit") => {
                let v = value(&mut parser)?;
                let n: u64 = v
                    .parse()
                    .map_err(|_| format!("--memory-limit takes a byte count, not '{v}'"))?;
                opts.memory_limit = Some(n as f64);
            }
            Long("explain") => explain.push(value(&mut parser)?),
            Long("trace") => trace = true,
            Long("max-steps") => {
                let v = value(&mut parser)?;
                max_steps = Some(
                    v.parse()
                        .map_err(|_| format!("--max-steps takes a count, not '{v}'"))?,
                );
            }
            Short('h') | Long("help") => {
                println!("{USAGE}");
                return Ok(ExitCode::SUCCESS);
            }
            Value(v) => {
                let v = v
                    .into_string()
                    .map_err(|v| format!("argument is not UTF-8: {v:?}"))?;
                if command.is_none() {
                    command = Some(v);
                } else if file.is_none() {
                    file = Some(v);
                } else {
                    return Err(format!("unexpected argument '{v}'\n{USAGE}"));
                }
            }
            other => return Err(format!("{}\n{USAGE}", other.unexpected())),
        }
    }
    match command.as_deref() {
        Some("malloc") => {
            let file = file.ok_or_else(|| format!("malloc needs a FILE\n{USAGE}"))?;
            let src = if file == "-" {
                std::io::read_to_string(std::io::stdin())
                    .map_err(|e| format!("cannot read stdin: {e}"))?
            } else {
                std::fs::read_to_string(&file).map_err(|e| format!("cannot read {file}: {e}"))?
            };
            let mut session = Session::new(&opts).map_err(|e| e.to_string())?;
            let result = session.run_malloc(&src, &file);
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(result.stdout.as_bytes());
            let _ = stdout.flush();
            if result.error.is_some() {
                eprint!("{}", result.stderr);
                return Ok(ExitCode::from(2));
            }
            Ok(ExitCode::SUCCESS)
        }
        Some("run") => {
            let file = file.ok_or_else(|| format!("run needs a FILE\n{USAGE}"))?;
            let src = if file == "-" {
                std::io::read_to_string(std::io::stdin())
                    .map_err(|e| format!("cannot read stdin: {e}"))?
            } else {
                std::fs::read_to_string(&file).map_err(|e| format!("cannot read {file}: {e}"))?
            };
            let session = Session::new(&opts).map_err(|e| e.to_string())?;
            let mut limits = pymemsim::interp::Limits::default();
            if let Some(n) = max_steps {
                limits.max_steps = n;
            }
            if let Some(m) = opts.memory_limit {
                limits.memory = m as u64;
            }
            let mut out =
                pymemsim::interp::run(session.profile, session.align, &src, &file, limits);
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(out.stdout.as_bytes());
            for name in &explain {
                let text = match out.explain(name) {
                    Some(e) => e.to_text(),
                    None => format!("name '{name}' is not a global at the end of the run\n"),
                };
                let _ = write!(stdout, "--- explain {name} ---\n{text}");
            }
            if trace {
                let _ = writeln!(stdout, "--- trace ---");
                if let Some(vm) = out.vm.as_ref() {
                    for ev in &vm.gc_log {
                        let _ = stdout.write_all(ev.to_text().as_bytes());
                    }
                }
            }
            let _ = stdout.flush();
            eprint!("{}", out.stderr);
            Ok(ExitCode::from(out.exit_code as u8))
        }
        Some("profiles") => {
            let p = profiles();
            println!("versions (X.Y means the newest release listed):");
            for v in &p.versions {
                println!("  {:5} = {}", v.series, v.release);
            }
            println!("  exact releases such as 3.7.3, 3.12.1 or 3.14.2 are accepted too");
            println!("arches: {}", p.arches.join(", "));
            println!(
                "arena alignments: {} (default page)",
                p.arena_aligns.join(", ")
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(other) => Err(format!("unknown command '{other}'\n{USAGE}")),
        None => Err(USAGE.to_string()),
    }
}

fn value(parser: &mut lexopt::Parser) -> Result<String, String> {
    let v = parser.value().map_err(|e| e.to_string())?;
    v.into_string()
        .map_err(|v| format!("argument is not UTF-8: {v:?}"))
}
