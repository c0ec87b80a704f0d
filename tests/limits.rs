//! Bad input and runaway programs end with a clear Python-style error, keep what was printed, and never
//! panic or hang.
#![cfg(not(target_arch = "wasm32"))]

use pymemsim::interp::{run, Limits, RunOutput};
use pymemsim::profile::{ArenaAlign, Profile};

fn go(src: &str, limits: Limits) -> RunOutput {
    let profile = Profile::parse("3.12", "x86_64").unwrap();
    // The evaluator recurses with the program: give it the stack the CLI gives it.
    let src = src.to_string();
    std::thread::Builder::new()
        .stack_size(1 << 28)
        .spawn(move || {
            let mut out = run(profile, ArenaAlign::Page, &src, "t.py", limits);
            out.vm = None;
            out
        })
        .unwrap()
        .join()
        .unwrap()
}

/// Runs `src` on `version` (x86_64) to the end and returns what it printed.
fn output_on(version: &str, src: &str) -> String {
    let profile = Profile::parse(version, "x86_64").unwrap();
    let src = src.to_string();
    let out = std::thread::Builder::new()
        .stack_size(1 << 28)
        .spawn(move || run(profile, ArenaAlign::Page, &src, "t.py", Limits::default()))
        .unwrap()
        .join()
        .unwrap();
    assert!(out.error.is_none(), "{:?}", out.error);
    out.stdout
}

fn err(src: &str) -> (String, String, u32, String) {
    let out = go(src, Limits::default());
    let e = out.error.expect("an error");
    (e.kind, e.message, e.line, out.stdout)
}

#[test]
fn runaway_loop_stops_at_the_step_budget_and_keeps_output() {
    let out = go(
        "print('before')\nwhile True:\n    pass\n",
        Limits {
            max_steps: 10_000,
            ..Limits::default()
        },
    );
    assert_eq!(out.stdout, "before\n");
    let e = out.error.unwrap();
    assert_eq!((e.kind.as_str(), e.line), ("StepLimit", 3));
    assert!(e.message.contains("step budget of 10000"), "{}", e.message);
    assert_eq!(out.exit_code, 1);
}

#[test]
fn recursion_limit_is_a_recursion_error() {
    let (k, m, _, _) = err("def f(n):\n    return f(n + 1)\nf(0)\n");
    assert_eq!(
        (k.as_str(), m.as_str()),
        ("RecursionError", "maximum recursion depth exceeded")
    );
    let (_, _, _, out) = err("import sys\nsys.setrecursionlimit(5000)\ndef f(n):\n    return 0 if n == 0 else f(n - 1) + 1\nprint(f(4900))\nf(6000)\n");
    assert_eq!(out, "4900\n");
}

#[test]
fn huge_allocations_are_memory_errors() {
    for src in [
        "x = [0] * 10**9\n",
        "s = 'ab' * 10**10\n",
        "y = 2 ** 10**9\n",
        "b = bytes(10**10)\n",
    ] {
        let (k, _, line, _) = err(src);
        assert_eq!((k.as_str(), line), ("MemoryError", 1), "{src}");
    }
    // The simulated-memory cap: 4 MiB is not enough for 100 000 lists.
    let out = go(
        "x = [[] for i in range(100000)]\n",
        Limits {
            memory: 4 << 20,
            ..Limits::default()
        },
    );
    assert_eq!(out.error.unwrap().kind, "MemoryError");
    let (k, _, line, _) = err("m = [1]\nm *= 5555555555\n");
    assert_eq!((k.as_str(), line), ("MemoryError", 2));
}

/// Repeating an empty sequence is immediate in CPython however large the count, at compile time
/// (constant folding) and at run time (found by the fuzzer: these used to loop n times).
#[test]
fn empty_sequences_repeat_at_once() {
    let src = "e = () * 5555555555\nn = 5555555555\nl = []\nl *= n\nprint(e, l, [] * n, () * n, '' * n)\n";
    let out = go(src, Limits::default());
    assert_eq!(out.stdout, "() [] [] () \n");
    assert!(out.error.is_none());
}

#[test]
fn syntax_and_unsupported_constructs_say_where_and_what() {
    let (k, m, line, _) = err("x = 1\ny = (2,\n");
    assert_eq!(
        (k.as_str(), m.as_str(), line),
        ("SyntaxError", "'(' was never closed", 2)
    );
    let (k, m, line, _) = err("print(1)\nwith open('f') as f:\n    pass\n");
    assert_eq!((k.as_str(), line), ("NotImplementedError", 2));
    assert!(m.starts_with("not supported by the simulator"), "{m}");
    // Output has nowhere else to go: print's file= may only be None (sys.stdout).
    let (k, m, line, _) = err("print(1, file=None)\nprint(2, file=3)\n");
    assert_eq!(
        (k.as_str(), m.as_str(), line),
        (
            "NotImplementedError",
            "not supported by the simulator: print(file=...)",
            2
        )
    );
    let (k, m, _, _) = err("import os\n");
    assert_eq!(
        (k.as_str(), m.as_str()),
        ("ModuleNotFoundError", "No module named 'os'")
    );
    // Real sys attributes the simulated module lacks are unsupported, not missing; made-up ones are
    // CPython's AttributeError.
    for src in [
        "import sys\nsys.getallocatedblocks()\n",
        "from sys import stdout\n",
    ] {
        let (k, m, _, _) = err(src);
        assert_eq!(k, "NotImplementedError", "{src}");
        assert!(m.starts_with("not supported by the simulator: sys."), "{m}");
    }
    let (k, m, _, _) = err("import sys\nsys.nope\n");
    assert_eq!(
        (k.as_str(), m.as_str()),
        ("AttributeError", "module 'sys' has no attribute 'nope'")
    );
}

#[test]
fn exceptions_carry_cpython_messages() {
    let cases = [
        ("[1][5]\n", "IndexError", "list index out of range"),
        ("{}['k']\n", "KeyError", "'k'"),
        (
            "1 + 'a'\n",
            "TypeError",
            "unsupported operand type(s) for +: 'int' and 'str'",
        ),
        (
            "'a' + 1\n",
            "TypeError",
            "can only concatenate str (not \"int\") to str",
        ),
        (
            "int('x')\n",
            "ValueError",
            "invalid literal for int() with base 10: 'x'",
        ),
        (
            "a, b = 1, 2, 3\n",
            "ValueError",
            // The count joins the message only from 3.14 (measured; 3.12 and 3.13 leave it out).
            "too many values to unpack (expected 2)",
        ),
        (
            "None.x\n",
            "AttributeError",
            "'NoneType' object has no attribute 'x'",
        ),
        ("len(5)\n", "TypeError", "object of type 'int' has no len()"),
        (
            "def f(a): pass\nf()\n",
            "TypeError",
            "f() missing 1 required positional argument: 'a'",
        ),
    ];
    for (src, kind, msg) in cases {
        let (k, m, _, _) = err(src);
        assert_eq!((k.as_str(), m.as_str()), (kind, msg), "{src}");
    }
}

#[test]
fn tracebacks_list_each_frame_and_point_at_the_innermost_line() {
    let src = "def f(x):\n    return g(x)\ndef g(x):\n    return 1 / x\nclass C:\n    def m(self):\n        return [f(0) for _ in range(1)]\nC().m()\n";
    let out = go(src, Limits::default());
    assert_eq!(
        out.stderr,
        "Traceback (most recent call last):\n  File \"t.py\", line 8, in <module>\n    C().m()\n  \
         File \"t.py\", line 7, in m\n    return [f(0) for _ in range(1)]\n  \
         File \"t.py\", line 2, in f\n    return g(x)\n  File \"t.py\", line 4, in g\n    return 1 / x\n\
         ZeroDivisionError: division by zero\n"
    );
    assert_eq!(out.error.expect("an error").line, 4);
    // After a call returns, its caller's line is current again.
    let (kind, _, line, _) = err("def f():\n    return 1\nx = f() + nope\n");
    assert_eq!((kind.as_str(), line), ("NameError", 3));
    // A handled exception leaves no frames behind for the next one.
    let out = go(
        "def f():\n    raise KeyError(1)\ntry:\n    f()\nexcept KeyError:\n    pass\n[][1]\n",
        Limits::default(),
    );
    assert_eq!(
        out.stderr,
        "Traceback (most recent call last):\n  File \"t.py\", line 7, in <module>\n    [][1]\nIndexError: list index out of range\n"
    );
}

#[test]
fn inputs_that_once_panicked_run_as_cpython_runs_them() {
    // Widths below the length give the str back; huge widths are MemoryError, not a Rust panic.
    let src = "print('abc'.ljust(-1), 'x'.zfill(-2), 'abc'.center(-3))\n\
               for f in [lambda: f'{1:>999999999999}', lambda: '%999999999999d' % 1, lambda: 'a'.ljust(10**10)]:\n\
               \x20   try:\n\
               \x20       f()\n\
               \x20   except MemoryError:\n\
               \x20       print('mem')\n";
    assert_eq!(output_on("3.12", src), "abc x abc\nmem\nmem\nmem\n");
    // Constant folding of a power or shift with a huge right operand (found by cargo fuzz): not folded,
    // evaluated at run time, where the size check refuses it.
    let (k, _, _, _) =
        err("x = 1*30000000000000000000000000000000000001**2102000000354775807*None\n");
    assert_eq!(k, "MemoryError");
    assert_eq!(
        output_on("3.12", "print(3 << 10**20 if False else 0 ** 10**18)\n"),
        "0\n"
    );
    // <=3.10: an instance dict still split over keys its class has stopped sharing.
    let src = "class D: pass\na=D(); a.n=0; a.m=0\nb=D(); b.n=0\nc=D(); c.n=0\nb.x=1; c.x=2\nprint(c.x)\n";
    for v in ["3.7", "3.9", "3.10"] {
        assert_eq!(output_on(v, src), "2\n", "{v}");
    }
}
