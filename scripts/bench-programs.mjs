// Speed of whole programs: the simulator (native CLI and wasm under Node) against real CPython (native and
// Pyodide, through ../shared/oracle/pyrun), per program. Real interpreters time the program themselves
// (time.perf_counter around it), so their start-up does not count. Prints figures and ratios; never fails
// on a timing.
// Needs: cargo build --release, node scripts/build.mjs nodejs, ../shared/oracle/setup.sh.
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import { writeFileSync, mkdtempSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { Simulator } = createRequire(import.meta.url)(join(root, "target", "pkg-node", "pymemsim.js"));
const cli = join(root, "target", "release", "pymemsim");
const pyrun = join(root, "..", "shared", "oracle", "pyrun");
const python = process.env.BENCH_PYTHON ?? "3.12";
const dir = mkdtempSync(join(tmpdir(), "pymemsim-bench-"));

const programs = {
  "append 10^6 items": "l = []\nfor i in range(1000000):\n    l.append(i)\nprint(len(l))\n",
  "10^5 small dicts": "ds = []\nfor i in range(100000):\n    ds.append({'a': i, 'b': i + 1})\nprint(len(ds))\n",
  "create and drop objects": "n = 0\nfor i in range(200000):\n    x = [i, str(i)]\n    y = (x, i)\n    n += len(x)\nprint(n)\n",
  // The collector's benchmark (issue 4): 10^5 two-object cycles, automatic collections off, one collect.
  "10^5 cycles, collected": "import gc\ngc.disable()\nclass N:\n    pass\nfor i in range(100000):\n    a = N()\n    b = N()\n    a.o = b\n    b.o = a\ndel a, b\nprint(gc.collect())\n",
};

function wall(fn) {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

function best(n, fn) {
  let b = Infinity;
  for (let i = 0; i < n; i++) b = Math.min(b, wall(fn));
  return b;
}

const haveOracle = existsSync(pyrun);

/// Milliseconds a real interpreter spends in the program, measured inside it.
function real(arch, src) {
  const file = join(dir, "timed.py");
  writeFileSync(file, `import time as _t\n_t0 = _t.perf_counter()\n${src}print("__T", (_t.perf_counter() - _t0) * 1000)\n`);
  let b = Infinity;
  for (let i = 0; i < 2; i++) {
    const out = execFileSync(pyrun, ["--python", python, "--arch", arch, file], { encoding: "utf8" });
    const m = out.match(/__T ([0-9.e+-]+)/);
    if (m) b = Math.min(b, Number(m[1]));
  }
  return b;
}
console.log(`CPython ${python}; milliseconds (best of runs); ratio = simulator / real`);
console.log(`${"program".padEnd(26)} ${"sim native".padStart(11)} ${"sim wasm".padStart(9)} ${"CPython".padStart(8)} ${"Pyodide".padStart(8)} ${"wasm/Pyodide".padStart(13)} ${"native/CPython".padStart(15)}`);
for (const [name, src] of Object.entries(programs)) {
  const file = join(dir, "p.py");
  writeFileSync(file, src);
  const native = best(3, () => execFileSync(cli, ["run", file, "--python", python, "--max-steps", "100000000"]));
  const sim = new Simulator({ python });
  sim.maxSteps = 100_000_000;
  const wasm = best(3, () => {
    const r = sim.run(src);
    if (r.error) throw new Error(r.error.message);
  });
  sim.free();
  let cp = NaN, py = NaN;
  if (haveOracle) {
    cp = real("x86_64", src);
    py = real("wasm32", src);
  }
  const f = (x) => (Number.isFinite(x) ? x.toFixed(0) : "n/a").padStart(8);
  console.log(`${name.padEnd(26)} ${f(native).padStart(11)} ${f(wasm).padStart(9)} ${f(cp)} ${f(py)} ${(wasm / py).toFixed(2).padStart(13)} ${(native / cp).toFixed(2).padStart(15)}`);
}
