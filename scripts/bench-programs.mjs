// Speed of whole programs: the simulator (native CLI and wasm under Node) against real CPython (native and
// Pyodide, through ../shared/oracle/pyrun), per program. Real interpreters' start-up is measured with an
// empty program and subtracted. Prints figures and ratios; never fails on a timing.
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

const empty = join(dir, "empty.py");
writeFileSync(empty, "pass\n");
const haveOracle = existsSync(pyrun);
const startup = {};
if (haveOracle) {
  for (const arch of ["x86_64", "wasm32"]) {
    startup[arch] = best(2, () => execFileSync(pyrun, ["--python", python, "--arch", arch, empty]));
  }
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
    cp = best(2, () => execFileSync(pyrun, ["--python", python, file])) - startup.x86_64;
    py = best(2, () => execFileSync(pyrun, ["--python", python, "--arch", "wasm32", file])) - startup.wasm32;
  }
  const f = (x) => (Number.isFinite(x) ? x.toFixed(0) : "n/a").padStart(8);
  console.log(`${name.padEnd(26)} ${f(native).padStart(11)} ${f(wasm).padStart(9)} ${f(cp)} ${f(py)} ${(wasm / py).toFixed(2).padStart(13)} ${(native / cp).toFixed(2).padStart(15)}`);
}
