// Checks the JS API's results against its TypeScript declarations, at run time.
//
// `DtsSchema` reads a package .d.ts with the TypeScript compiler's parser and validates values against the
// declared types: exact keys (a key the .d.ts does not declare is an error, and so is a missing one), and
// every property's type, through interfaces, aliases, unions, literals, arrays and tuples. It also records
// which alternative of each union was seen, so that `uncovered()` lists the declared cases the calls never
// produced (a literal that serde no longer emits, a `| null` that never happens).
//
// `exerciseApi` makes every call the .d.ts declares on a few programs and allocator scripts chosen so that
// every union case turns up, and validates each result against the declared return type. Either direction of
// drift fails: Rust emitting a field the .d.ts lacks, a type that changed, or a call the test does not know.
import ts from "typescript";

export class DtsSchema {
  constructor(text, fileName = "pymemsim.d.ts") {
    this.sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
    this.decls = new Map();
    for (const s of this.sf.statements) {
      if (s.name && (ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s) || ts.isClassDeclaration(s) || ts.isFunctionDeclaration(s))) {
        this.decls.set(s.name.text, s);
      }
    }
    this.seenAlternatives = new Map(); // union node -> Set of alternative indices seen
    this.seenTypes = new Set();
  }

  /** The exported interface, alias, class and function names (what docs must mention). */
  exportedNames() {
    return [...this.decls.entries()]
      .filter(([, d]) => d.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword))
      .map(([n]) => n);
  }

  /** Members (name → declaration) of an interface or class, without computed names such as [Symbol.dispose]. */
  members(name) {
    const d = this.decls.get(name);
    if (!d || !(ts.isInterfaceDeclaration(d) || ts.isClassDeclaration(d))) throw new Error(`${name} is not an interface or class in the .d.ts`);
    const out = new Map();
    for (const m of d.members) {
      if (!m.name || ts.isComputedPropertyName(m.name)) continue;
      const key = ts.isConstructorDeclaration(m) ? "constructor" : m.name.getText(this.sf).replace(/^["']|["']$/g, "");
      if (!out.has(key)) out.set(key, m);
    }
    return out;
  }

  /** The declared type of a class member's result: a method's return type, a getter's or property's type. */
  resultType(className, member) {
    const m = this.members(className).get(member);
    if (!m) throw new Error(`${className}.${member} is not declared in the .d.ts`);
    return m.type;
  }

  functionReturnType(name) {
    const d = this.decls.get(name);
    if (!d || !ts.isFunctionDeclaration(d)) throw new Error(`function ${name} is not declared in the .d.ts`);
    return d.type;
  }

  /** Errors (strings) of `value` against the type node `type`; empty when it conforms. */
  validate(value, type, path = "value") {
    const errors = [];
    this.#check(value, type, path, errors, true);
    return errors;
  }

  #check(v, t, path, errs, record) {
    const K = ts.SyntaxKind;
    const want = (ok, what) => ok || errs.push(`${path}: expected ${what}, got ${describe(v)}`);
    switch (t.kind) {
      case K.ParenthesizedType:
        return this.#check(v, t.type, path, errs, record);
      case K.StringKeyword:
        return want(typeof v === "string", "a string");
      case K.NumberKeyword:
        return want(typeof v === "number" && !Number.isNaN(v), "a number");
      case K.BooleanKeyword:
        return want(typeof v === "boolean", "a boolean");
      case K.VoidKeyword:
      case K.UndefinedKeyword:
        return want(v === undefined, "undefined");
      case K.AnyKeyword:
      case K.UnknownKeyword:
        return errs.push(`${path}: declared as ${t.getText(this.sf)}, which says nothing`);
      case K.LiteralType: {
        const l = t.literal;
        if (l.kind === K.NullKeyword) return want(v === null, "null");
        if (l.kind === K.TrueKeyword) return want(v === true, "true");
        if (l.kind === K.FalseKeyword) return want(v === false, "false");
        if (ts.isStringLiteral(l)) return want(v === l.text, JSON.stringify(l.text));
        if (ts.isNumericLiteral(l)) return want(v === Number(l.text), l.text);
        break;
      }
      case K.ArrayType:
        if (!want(Array.isArray(v), "an array")) return;
        v.forEach((x, i) => this.#check(x, t.elementType, `${path}[${i}]`, errs, record));
        return;
      case K.TupleType:
        if (!want(Array.isArray(v) && v.length === t.elements.length, `an array of ${t.elements.length}`)) return;
        t.elements.forEach((e, i) => this.#check(v[i], e, `${path}[${i}]`, errs, record));
        return;
      case K.UnionType: {
        const i = t.types.findIndex((alt) => {
          const trial = [];
          this.#check(v, alt, path, trial, false);
          return trial.length === 0;
        });
        if (i < 0) {
          // Report against the alternative that failed least, which is usually the one meant.
          const tries = t.types.map((alt) => {
            const e = [];
            this.#check(v, alt, path, e, false);
            return e;
          });
          const best = tries.reduce((a, b) => (b.length < a.length ? b : a));
          errs.push(`${path}: matches none of ${t.getText(this.sf)}; closest: ${best.join("; ")}`);
          return;
        }
        if (record) {
          if (!this.seenAlternatives.has(t)) this.seenAlternatives.set(t, new Set());
          this.seenAlternatives.get(t).add(i);
          this.#check(v, t.types[i], path, errs, record);
        }
        return;
      }
      case K.TypeReference: {
        const name = t.typeName.getText(this.sf);
        if (name === "Uint8Array") return want(v instanceof Uint8Array, "a Uint8Array");
        if (name === "Array" && t.typeArguments?.length === 1) {
          if (!want(Array.isArray(v), "an array")) return;
          v.forEach((x, i) => this.#check(x, t.typeArguments[0], `${path}[${i}]`, errs, record));
          return;
        }
        const d = this.decls.get(name);
        if (!d) return errs.push(`${path}: type ${name} is not declared in the .d.ts`);
        if (record) this.seenTypes.add(name);
        if (ts.isTypeAliasDeclaration(d)) return this.#check(v, d.type, path, errs, record);
        if (ts.isInterfaceDeclaration(d)) {
          if (d.heritageClauses?.length) return errs.push(`${path}: ${name} extends another interface, which this checker does not follow`);
          return this.#checkMembers(v, d.members, `${path}`, errs, record, name);
        }
        return errs.push(`${path}: ${name} is not a data type`);
      }
      case K.TypeLiteral:
        return this.#checkMembers(v, t.members, path, errs, record, "{…}");
    }
    errs.push(`${path}: the checker does not handle ${K[t.kind]} (${t.getText(this.sf)})`);
  }

  #checkMembers(v, members, path, errs, record, name) {
    if (v === null || typeof v !== "object" || Array.isArray(v)) {
      errs.push(`${path}: expected ${name} (an object), got ${describe(v)}`);
      return;
    }
    const declared = new Map();
    for (const m of members) {
      if (!ts.isPropertySignature(m)) {
        errs.push(`${path}: ${name} has a member the checker does not handle: ${m.getText(this.sf)}`);
        continue;
      }
      declared.set(m.name.getText(this.sf).replace(/^["']|["']$/g, ""), m);
    }
    for (const k of Object.keys(v)) {
      if (!declared.has(k)) errs.push(`${path}.${k}: not declared in ${name}`);
    }
    for (const [k, m] of declared) {
      if (!(k in v)) {
        if (!m.questionToken) errs.push(`${path}.${k}: declared in ${name} but missing`);
        continue;
      }
      this.#check(v[k], m.type, `${path}.${k}`, errs, record);
    }
  }

  /**
   * The union alternatives and named types reachable from `roots` (type nodes) that no validated value has
   * used, as readable strings. `allow` lists "Owner.member: alternative" strings to ignore.
   */
  uncovered(roots, allow = []) {
    const missing = [];
    const visitedDecls = new Set();
    const walk = (t, where) => {
      if (!t) return;
      const K = ts.SyntaxKind;
      switch (t.kind) {
        case K.ParenthesizedType:
          return walk(t.type, where);
        case K.ArrayType:
          return walk(t.elementType, where);
        case K.TupleType:
          return t.elements.forEach((e) => walk(e, where));
        case K.UnionType: {
          const seen = this.seenAlternatives.get(t) ?? new Set();
          t.types.forEach((alt, i) => {
            const label = `${where}: ${alt.getText(this.sf)}`;
            if (!seen.has(i) && !allow.includes(label)) missing.push(label);
            walk(alt, where);
          });
          return;
        }
        case K.TypeReference: {
          const name = t.typeName.getText(this.sf);
          (t.typeArguments ?? []).forEach((a) => walk(a, where));
          const d = this.decls.get(name);
          if (!d || visitedDecls.has(name)) return;
          visitedDecls.add(name);
          if (!this.seenTypes.has(name) && !allow.includes(name)) missing.push(`${name} (never returned)`);
          if (ts.isTypeAliasDeclaration(d)) walk(d.type, name);
          if (ts.isInterfaceDeclaration(d)) d.members.forEach((m) => walk(m.type, `${name}.${m.name.getText(this.sf)}`));
          return;
        }
        case K.TypeLiteral:
          return t.members.forEach((m) => walk(m.type, `${where}.${m.name.getText(this.sf)}`));
      }
    };
    for (const [where, t] of roots) walk(t, where);
    return missing;
  }
}

function describe(v) {
  if (v === null) return "null";
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === "object") return `an object with keys ${Object.keys(v).join(", ") || "(none)"}`;
  return `${typeof v} ${JSON.stringify(v)?.slice(0, 40)}`;
}

// Programs chosen so that every declared case turns up: an error and none, collections of both reasons,
// tracked and untracked objects, a global that does not exist, both arches (a note only without pymalloc).
const PYTHON = `import sys
import gc

class Node:
    def __init__(self, name):
        self.name = name
        self.peer = None

a = Node("a")
b = Node("b")
a.peer = b
b.peer = a
del a, b
gc.collect()
for i in range(3000):
    cycle = []
    cycle.append(cycle)
items = [1, 2.5, "text", None, (1, 2)]
squares = {n: n * n for n in range(8)}
x = 1.5 * len(items)
del x
print(sys.getsizeof(items), sys.getsizeof(squares))
`;
const PYTHON_ERROR = "total = 0\nfor n in range(3):\n    total += n\nprint(total)\nprint(1 / 0)\n";

// 3.7 frees a wholly free arena at once (3.9+ keeps one); 512-byte blocks fill a pool in 31 blocks, so the
// script fills one pool (full), starts a second (used), empties a third (empty, then reused), reallocs in
// place, takes a raw chunk, and finally frees everything.
const MALLOC = [
  ...Array.from({ length: 31 }, (_, i) => `f${i} = malloc(512)`),
  "u = malloc(512)",
  "e = malloc(256)",
  "free(e)",
  "e = malloc(256)",
  "r = realloc(u, 500)",
  "big = malloc(4096)",
  "print(big)",
  "stats()",
  "free(big)",
  "free(e)",
  "free(r)",
  ...Array.from({ length: 31 }, (_, i) => `free(f${i})`),
  "",
].join("\n");

/**
 * Makes every call the .d.ts declares through `mod` (an initialised build of the package) and validates each
 * result against its declared type. Returns { errors, uncovered, uncalled, calls }.
 */
export function exerciseApi(mod, schema) {
  const errors = [];
  const called = new Set();
  const check = (owner, member, value, type) => {
    called.add(`${owner}.${member}`);
    for (const e of schema.validate(value, type, `${owner}.${member}()`)) errors.push(e);
    return value;
  };
  const call = (sim, member, ...args) => {
    const value = typeof sim[member] === "function" ? sim[member](...args) : sim[member];
    return check("Simulator", member, value, schema.resultType("Simulator", member));
  };
  const expectThrow = (what, f) => {
    try {
      f();
      errors.push(`${what}: expected an Error`);
    } catch (e) {
      if (!(e instanceof Error)) errors.push(`${what}: threw ${describe(e)}, not an Error`);
    }
  };

  const profiles = check("profiles", "()", mod.profiles(), schema.functionReturnType("profiles"));
  called.add("profiles");
  if (typeof mod.start === "function") {
    mod.start();
    called.add("start");
  }

  for (const arch of profiles.arches) {
    for (const python of ["3.7", "3.12", "3.14"]) {
      const sim = new mod.Simulator({ python, arch, arenaAlign: "page", memoryLimit: 1 << 30, maxSteps: 1e6 });
      called.add("Simulator.constructor");
      call(sim, "profile");
      call(sim, "run", PYTHON);
      call(sim, "explain", "items");
      call(sim, "explain", "squares");
      call(sim, "explain", "no_such_name");
      call(sim, "collections");
      const objects = call(sim, "objects");
      call(sim, "objects", 3);
      call(sim, "snapshot");
      call(sim, "report");
      call(sim, "blocks");
      call(sim, "position");
      call(sim, "stepCount");
      const steps = sim.stepCount;
      for (let i = 0; i <= steps; i++) call(sim, "step", i);
      call(sim, "seek", 3);
      call(sim, "step", 2);
      call(sim, "objects");
      call(sim, "collections");
      call(sim, "seek", steps);
      if (typeof sim.blockOwner === "function") {
        for (const o of objects?.objects ?? []) call(sim, "blockOwner", o.address);
        // Freed blocks kept by free lists: the float `x` was deleted, and whatever else the run freed.
        const snap = sim.snapshot();
        for (const arena of snap.arenas) {
          for (const pool of arena.pools) {
            for (const k of pool.freeList.slice(0, 4)) call(sim, "blockOwner", pool.address + snap.poolOverhead + k * pool.blockSize);
          }
        }
        for (const c of snap.chunks) call(sim, "blockOwner", c.address);
        call(sim, "blockOwner", 0);
      }
      call(sim, "run", PYTHON_ERROR);
      sim.maxSteps = 5;
      called.add("Simulator.maxSteps");
      call(sim, "run", PYTHON_ERROR);
      call(sim, "runMalloc", MALLOC);
      const n = sim.stepCount;
      for (let i = 0; i <= n; i++) call(sim, "step", i);
      for (const k of [0, 31, 32, 34, 36, n]) {
        call(sim, "seek", k);
        call(sim, "snapshot");
        call(sim, "blocks");
      }
      call(sim, "objects");
      call(sim, "collections");
      call(sim, "explain", "f0");
      call(sim, "runMalloc", "p = malloc(8)\nfree(p)\nfree(p)\n");
      call(sim, "free");
    }
  }
  expectThrow("new Simulator({ pyton })", () => new mod.Simulator({ pyton: "3.12" }));
  expectThrow("new Simulator({ python: 3.12 })", () => new mod.Simulator({ python: 3.12 }));
  expectThrow("run(42)", () => new mod.Simulator().run(42));
  expectThrow("seek(-1)", () => new mod.Simulator().seek(-1));

  // Every member the .d.ts declares on Simulator, and every exported function, was called.
  const declared = [...schema.members("Simulator").keys()].map((m) => `Simulator.${m}`);
  const functions = schema.exportedNames().filter((n) => ts.isFunctionDeclaration(schema.decls.get(n)) && !n.startsWith("__") && n !== "initSync");
  const uncalled = [...declared, ...functions].filter((m) => !called.has(m) && m !== "default");

  const roots = [["profiles()", schema.functionReturnType("profiles")]];
  for (const [m, d] of schema.members("Simulator")) {
    if (d.type && !ts.isSetAccessorDeclaration(d)) roots.push([`Simulator.${m}`, d.type]);
  }
  // The same mismatch at many indices and in many runs is one error, with a count.
  const counts = new Map();
  for (const e of errors) {
    const k = e.replace(/\[\d+\]/g, "[i]");
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return {
    errors: [...counts].map(([e, n]) => (n > 1 ? `${e} (×${n})` : e)),
    uncovered: schema.uncovered(roots),
    uncalled,
    calls: called.size,
  };
}
