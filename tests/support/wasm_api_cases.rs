// The wasm API cases, included by tests/wasm_api_node.rs and tests/wasm_api_browser.rs.

use js_sys::Reflect;
use pymemsim::api::wasm::{profiles, Simulator};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

fn obj(pairs: &[(&str, &str)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &(*k).into(), &(*v).into()).unwrap();
    }
    o.into()
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &key.into()).unwrap()
}

fn error_message(e: JsValue) -> String {
    e.dyn_into::<js_sys::Error>().unwrap().message().into()
}

/// Reads the view element by element: anything that allocates in wasm may grow memory and detach it, which is
/// why JS must take a fresh view after each call.
fn first_blocks(sim: &Simulator) -> [u8; 3] {
    let v = sim.blocks();
    [v.get_index(0), v.get_index(1), v.get_index(2)]
}

const SCRIPT: &str =
    "a = malloc(16)\nb = malloc(16)\nfree(a)\nc = malloc(16)\nprint(c)\nprint(b)\nstats()\n";

#[wasm_bindgen_test]
fn run_step_and_read_the_heap() {
    let mut sim = Simulator::new(obj(&[("python", "3.10"), ("arch", "x86_64")])).unwrap();
    assert_eq!(sim.profile(), "CPython 3.10.19 on x86_64");
    let r = sim.run_malloc(SCRIPT.into()).unwrap();
    assert!(get(&r, "error").is_null());
    assert_eq!(get(&r, "steps").as_f64(), Some(7.0));
    let stdout = get(&r, "stdout").as_string().unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    // c reuses a's block (LIFO), which sits 16 bytes below b's: first pool, blocks 0 and 1.
    let c = u64::from_str_radix(&lines[0][2..], 16).unwrap();
    let b = u64::from_str_radix(&lines[1][2..], 16).unwrap();
    assert_eq!(b - c, 16);
    assert_eq!(c % 16384, 48); // the first block sits just past the 48-byte pool header
    assert!(stdout.contains("62 unused pools * 16384 bytes"));
    assert!(stdout.contains("# arena map mid nodes"));

    // Back to before `free(a)`: two blocks in use; forward again: still two (c took a's place).
    assert_eq!(sim.seek(2.0).unwrap(), 2);
    assert_eq!(first_blocks(&sim), [2, 2, 1]);
    let snap = sim.snapshot().unwrap();
    let arenas = js_sys::Array::from(&get(&snap, "arenas"));
    assert_eq!(arenas.length(), 1);
    let pool0 = js_sys::Array::from(&get(&arenas.get(0), "pools")).get(0);
    assert_eq!(get(&pool0, "count").as_f64(), Some(2.0));
    assert_eq!(get(&arenas.get(0), "ntotalpools").as_f64(), Some(63.0));
    sim.seek(3.0).unwrap();
    assert_eq!(first_blocks(&sim), [1, 2, 1]);
    assert!(sim
        .report()
        .contains("    0     16           1               1          1020"));
    let step = sim.step(3.0).unwrap();
    assert_eq!(get(&step, "line").as_f64(), Some(4.0));
    assert!(sim.step(99.0).unwrap().is_null());
}

#[wasm_bindgen_test]
fn errors_are_reported_not_thrown_for_scripts() {
    let mut sim = Simulator::new(JsValue::UNDEFINED).unwrap();
    let r = sim
        .run_malloc("p = malloc(8)\nprint(p)\nfree(p)\nfree(p)\n".into())
        .unwrap();
    let e = get(&r, "error");
    assert_eq!(get(&e, "type").as_string().unwrap(), "DoubleFreeError");
    assert_eq!(get(&e, "line").as_f64(), Some(4.0));
    assert_eq!(get(&e, "col").as_f64(), Some(6.0));
    assert!(get(&r, "stdout").as_string().unwrap().starts_with("0x"));
    assert!(get(&r, "stderr")
        .as_string()
        .unwrap()
        .starts_with("<script>:4:6: double free"));
    let r = sim.run_malloc("p = malloc(1x)".into()).unwrap();
    assert_eq!(
        get(&get(&r, "error"), "type").as_string().unwrap(),
        "SyntaxError"
    );
}

#[wasm_bindgen_test]
fn bad_arguments_throw_errors_that_say_what_is_wrong() {
    let m = |v: JsValue| error_message(Simulator::new(v).err().unwrap());
    assert!(m(obj(&[("python", "3.6")])).contains("3.7 to 3.15"));
    assert!(m(obj(&[("arch", "arm64")])).contains("x86_64"));
    assert!(m(obj(&[("pythn", "3.12")])).contains("unknown option 'pythn'"));
    assert!(m(JsValue::from_f64(3.12)).contains("options must be an object"));
    let mut sim = Simulator::new(JsValue::NULL).unwrap();
    assert!(
        error_message(sim.run_malloc(JsValue::from_f64(1.0)).err().unwrap())
            .contains("must be a string")
    );
    assert!(error_message(sim.seek(f64::NAN).err().unwrap()).contains("seek(step)"));
}

#[wasm_bindgen_test]
fn wasm32_has_no_pymalloc() {
    let mut sim = Simulator::new(obj(&[("python", "3.12"), ("arch", "wasm32")])).unwrap();
    sim.run_malloc("p = malloc(8)\nstats()".into()).unwrap();
    let snap = sim.snapshot().unwrap();
    assert_eq!(get(&snap, "hasPymalloc").as_bool(), Some(false));
    assert!(get(&snap, "note")
        .as_string()
        .unwrap()
        .contains("compiled out"));
    assert_eq!(sim.blocks().length(), 0);
    assert!(!sim.report().contains("arenas"));
    let p = profiles().unwrap();
    assert_eq!(js_sys::Array::from(&get(&p, "versions")).length(), 9);
}

#[wasm_bindgen_test]
fn python_runs_step_back_and_explain() {
    let mut sim = Simulator::new(obj(&[("python", "3.8")])).unwrap();
    let r = sim
        .run("import sys\na = [1, 2, 3]\na.append(4)\nprint(sys.getsizeof(a))\n".into())
        .unwrap();
    assert!(get(&r, "error").is_null());
    assert_eq!(get(&r, "stdout").as_string().unwrap(), "112\n");
    assert_eq!(get(&r, "steps").as_f64(), Some(4.0));
    let e = sim.explain("a".into()).unwrap();
    assert_eq!(get(&e, "getsizeof").as_f64(), Some(112.0));
    // Back to before `a.append(4)`: the literal's exact 3 slots (3.8 BUILD_LIST).
    assert_eq!(sim.seek(2.0).unwrap(), 2);
    let e = sim.explain("a".into()).unwrap();
    assert_eq!(get(&e, "getsizeof").as_f64(), Some(80.0));
    assert!(sim.explain("nope".into()).unwrap().is_null());
    let r = sim.run("print(undefined_name)\n".into()).unwrap();
    assert_eq!(
        get(&get(&r, "error"), "type").as_string().unwrap(),
        "NameError"
    );
}

#[wasm_bindgen_test]
fn collections_replay_phase_by_phase() {
    let src = "import gc\nclass N:\n    pass\na = N()\nb = N()\na.o = b\nb.o = a\ndel a, b\nprint(gc.collect())\n";
    let mut sim = Simulator::new(obj(&[("python", "3.12"), ("arch", "x86_64")])).unwrap();
    let r = sim.run(src.into()).unwrap();
    assert_eq!(get(&r, "stdout").as_string().unwrap(), "2\n");
    let cols = js_sys::Array::from(&sim.collections().unwrap());
    assert_eq!(cols.length(), 1);
    let c = cols.get(0);
    assert_eq!(get(&c, "generation").as_f64(), Some(2.0));
    assert_eq!(get(&c, "reason").as_string().unwrap(), "manual");
    assert_eq!(get(&c, "line").as_f64(), Some(9.0));
    // The two instances: gc_refs 1 each after update_refs, 0 after subtract_refs, then unreachable.
    let cands = js_sys::Array::from(&get(&c, "candidates"));
    let upd = js_sys::Array::from(&get(&c, "refsAfterUpdate"));
    let sub = js_sys::Array::from(&get(&c, "refsAfterSubtract"));
    assert_eq!(upd.length(), cands.length());
    let mut ns = 0;
    for i in 0..cands.length() {
        if get(&cands.get(i), "type").as_string().unwrap() == "N" {
            ns += 1;
            assert_eq!(upd.get(i).as_f64(), Some(1.0));
            assert_eq!(sub.get(i).as_f64(), Some(0.0));
        }
    }
    assert_eq!(ns, 2);
    assert_eq!(js_sys::Array::from(&get(&c, "unreachable")).length(), 2);
    let freed = js_sys::Array::from(&get(&c, "freed"));
    assert!(freed.length() >= 2);
    assert_eq!(get(&c, "collected").as_f64(), Some(2.0));
    // Back before the collect: no collection yet.
    sim.seek(7.0).unwrap();
    assert_eq!(js_sys::Array::from(&sim.collections().unwrap()).length(), 0);
}

#[wasm_bindgen_test]
fn objects_show_names_refcounts_and_the_collector() {
    let src = "import gc\na = [1000, 'hi']\nb = a\nc = (a, 7)\n";
    let mut sim = Simulator::new(obj(&[("python", "3.12"), ("arch", "x86_64")])).unwrap();
    sim.run(src.into()).unwrap();
    let v = sim.objects(JsValue::UNDEFINED).unwrap();
    let names = js_sys::Array::from(&get(&v, "names"));
    let id_of = |n: &str| {
        (0..names.length())
            .map(|i| names.get(i))
            .find(|x| get(x, "name").as_string().as_deref() == Some(n))
            .map(|x| get(&x, "id").as_f64().unwrap())
            .unwrap_or_else(|| panic!("no name {n}"))
    };
    assert_eq!(id_of("a"), id_of("b"));
    let objs = js_sys::Array::from(&get(&v, "objects"));
    let find = |id: f64| {
        (0..objs.length())
            .map(|i| objs.get(i))
            .find(|o| get(o, "id").as_f64() == Some(id))
            .unwrap()
    };
    let list = find(id_of("a"));
    assert_eq!(get(&list, "typeName").as_string().unwrap(), "list");
    // a, b and the tuple c hold the list.
    assert_eq!(get(&list, "refcount").as_f64(), Some(3.0));
    assert_eq!(get(&list, "generation").as_f64(), Some(0.0));
    let items = js_sys::Array::from(&get(&list, "referents"));
    assert_eq!(items.length(), 2);
    // list_traverse and tupletraverse visit items last to first.
    let thousand = find(items.get(1).as_f64().unwrap());
    assert_eq!(get(&thousand, "label").as_string().unwrap(), "1000");
    assert_eq!(get(&thousand, "generation"), JsValue::NULL);
    let seven = find(
        js_sys::Array::from(&get(&find(id_of("c")), "referents"))
            .get(0)
            .as_f64()
            .unwrap(),
    );
    assert_eq!(
        get(&seven, "immortal").as_bool(),
        Some(true),
        "small ints are immortal in 3.12"
    );
    let gc = get(&v, "gc");
    assert_eq!(
        js_sys::Array::from(&get(&gc, "thresholds")).get(0).as_f64(),
        Some(700.0)
    );
    // Back at the start nothing is bound yet; the Python heap's blocks are what blocks() shows.
    sim.seek(0.0).unwrap();
    let v0 = sim.objects(JsValue::UNDEFINED).unwrap();
    assert_eq!(js_sys::Array::from(&get(&v0, "names")).length(), 0);
    assert!(
        sim.blocks().length() > 0,
        "the Python run's pymalloc heap is drawn"
    );
    assert!(sim.objects(JsValue::from_str("x")).is_err());
}

#[wasm_bindgen_test]
fn block_owner_and_the_statement_events() {
    let mut sim = Simulator::new(obj(&[("python", "3.12"), ("arch", "x86_64")])).unwrap();
    // `list()` allocates its object with tp_alloc, never from the free list (which a `[...]` display
    // would take from: the interpreter's startup left entries there).
    sim.run("a = list((1, 2, 3))\nb = 7\n".into()).unwrap();
    // The cursor is after `b = 7` (nothing allocated); step back to see the list's two blocks.
    assert_eq!(
        js_sys::Array::from(&get(&sim.step(1.0).unwrap(), "events")).length(),
        0
    );
    sim.seek(1.0).unwrap();
    let events = js_sys::Array::from(&get(&sim.step(0.0).unwrap(), "events"));
    let mallocs: Vec<JsValue> = events
        .iter()
        .filter(|e| get(e, "kind").as_string().as_deref() == Some("malloc"))
        .collect();
    assert_eq!(mallocs.len(), 2, "the list and its item array");
    let parts: Vec<String> = mallocs
        .iter()
        .map(|m| {
            let owner = sim.block_owner(get(m, "address")).unwrap();
            assert_eq!(
                get(&get(&owner, "object"), "typeName").as_string().unwrap(),
                "list"
            );
            get(&owner, "part").as_string().unwrap()
        })
        .collect();
    assert_eq!(parts, ["object", "item array (ob_item)"]);
    assert_eq!(sim.block_owner(JsValue::from(8.0)).unwrap(), JsValue::NULL);
    assert!(error_message(sim.block_owner("x".into()).unwrap_err()).contains("blockOwner(address)"));
}

#[wasm_bindgen_test]
fn exit_codes_are_the_clis() {
    let mut sim = Simulator::new(obj(&[("python", "3.12")])).unwrap();
    let code =
        |sim: &mut Simulator, src: &str| get(&sim.run(src.into()).unwrap(), "exitCode").as_f64();
    assert_eq!(code(&mut sim, "print(1)\n"), Some(0.0));
    assert_eq!(code(&mut sim, "import sys\nsys.exit(3)\n"), Some(3.0));
    assert_eq!(code(&mut sim, "import sys\nsys.exit('bye')\n"), Some(1.0));
    assert_eq!(code(&mut sim, "[][1]\n"), Some(1.0));
    assert_eq!(
        get(&sim.run_malloc("free(p)\n".into()).unwrap(), "exitCode").as_f64(),
        Some(2.0)
    );
}
