//! The api::Session the wasm Simulator wraps, natively: a Python step carries the allocator events of the
//! statement that brought the cursor to it, whichever way the cursor got there.
use pymemsim::alloc::AllocEvent;
use pymemsim::api::{Options, Session};

fn session(python: &str) -> Session {
    Session::new(&Options {
        python: Some(python.into()),
        ..Options::default()
    })
    .unwrap()
}

fn mallocs(s: &Session, i: usize) -> Vec<u64> {
    let v = s.step_view(i).unwrap();
    v.events
        .iter()
        .filter_map(|e| match e {
            AllocEvent::Malloc { nbytes, loc, .. } => {
                assert!(loc.is_some(), "a small request is a pymalloc block");
                Some(*nbytes)
            }
            _ => None,
        })
        .collect()
}

fn frees(s: &Session, i: usize) -> usize {
    let v = s.step_view(i).unwrap();
    v.events
        .iter()
        .filter(|e| matches!(e, AllocEvent::Free { .. }))
        .count()
}

#[test]
fn python_steps_carry_the_events_of_the_statement_just_run() {
    let mut s = session("3.12");
    let src = "a = [1, 2, 3]\nb = a\ndel a, b\nx = int('100000000000000000000')\n";
    let r = s.run_python(src, "t.py");
    assert_eq!((r.steps, r.error), (4, None));
    // At the end: the int of the last statement (3 digits: 36 bytes in 3.12), nothing for earlier steps.
    assert_eq!(mallocs(&s, 3), vec![36]);
    assert!(s.step_view(0).unwrap().events.is_empty());
    // Back to after `del a, b`: the item array's block is freed; the list object itself goes to the list
    // free list (list_dealloc keeps up to 80), so its block stays in use.
    s.seek(3);
    assert_eq!(frees(&s, 2), 1);
    assert!(mallocs(&s, 2).is_empty());
    // After the first statement: the list object comes from the free list the interpreter filled at
    // startup; only its item array is new, 4 slots as LIST_EXTEND's list_resize rounds 3 up (getsizeof
    // is 88 on 3.12).
    s.seek(1);
    assert_eq!(mallocs(&s, 0), vec![32]);
    // `b = a` allocates nothing.
    s.seek(2);
    assert!(s.step_view(1).unwrap().events.is_empty());
    s.seek(0);
    assert!(s.step_view(0).unwrap().events.is_empty());
}

#[test]
fn a_statement_that_loops_keeps_a_bounded_log() {
    let mut s = session("3.12");
    let r = s.run_python("x = [float(i) for i in range(30000)]\n", "t.py");
    assert_eq!(r.error, None);
    let v = s.step_view(0).unwrap();
    assert_eq!(v.events.len(), pymemsim::alloc::STATEMENT_EVENT_CAP);
    assert!(v.events_dropped > 20_000, "{}", v.events_dropped);
}

#[test]
fn str_sizes_are_explained_term_by_term() {
    // (profile, name, header, characters, cached UTF-8), each total what the real interpreter prints.
    let src =
        "s = 'h\\xe9llo \\u2713 \\u65e5\\u672c'\nt = '\\U0001f600x'\nb = '\\xe9'\na = 'abc'\n";
    let cases = [
        ("3.11", "s", 72, 22, 0),
        ("3.12", "s", 56, 22, 0),
        ("3.12", "t", 56, 12, 0),
        ("3.12", "b", 56, 2, 3),
        ("3.12", "a", 40, 4, 0),
        ("3.7", "a", 48, 4, 0),
    ];
    for (py, name, header, chars, utf8) in cases {
        let mut s = session(py);
        assert_eq!(s.run_python(src, "t.py").error, None);
        let e = s.explain(name).unwrap();
        let bytes: Vec<u64> = e.parts.iter().map(|p| p.bytes).collect();
        let want: Vec<u64> = [header, chars, utf8]
            .into_iter()
            .filter(|&b| b > 0)
            .collect();
        assert_eq!(bytes, want, "{py} {name}: {:?}", e.parts);
        assert_eq!(bytes.iter().sum::<u64>(), e.getsizeof, "{py} {name}");
    }
}

#[test]
fn bytes_sizes_are_header_and_data() {
    for (py, arch, header) in [
        ("3.7", "x86_64", 32),
        ("3.12", "x86_64", 32),
        ("3.12", "wasm32", 16),
    ] {
        let mut s = Session::new(&Options {
            python: Some(py.into()),
            arch: Some(arch.into()),
            ..Options::default()
        })
        .unwrap();
        assert_eq!(s.run_python("b = b'xyz'\n", "t.py").error, None);
        let e = s.explain("b").unwrap();
        let bytes: Vec<u64> = e.parts.iter().map(|p| p.bytes).collect();
        assert_eq!(bytes, vec![header, 4], "{py} {arch}");
        assert_eq!(e.getsizeof, header + 4);
    }
}
