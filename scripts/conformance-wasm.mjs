// The conformance corpus through the wasm API under Node: every case in tests/conformance on the exact
// version and arch it was recorded with, run by `new Simulator({python, arch}).run(source)` from the
// nodejs build (node scripts/build.mjs nodejs). Compared as the corpus README says. Every case is required;
// cases using `gc` or `__del__` are also counted apart. Exits 1 on any failure.
import { createRequire } from "node:module";
import { readFileSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { Simulator } = createRequire(import.meta.url)(join(root, "target", "pkg-node", "pymemsim.js"));
const corpora = [join(root, "tests", "conformance"), join(root, "tests", "cases-ours")];

function parseExpected(text) {
  let body = text;
  let exit = 0;
  const m = body.match(/--- exit code (\d+) ---\n?$/);
  if (m) {
    exit = Number(m[1]);
    body = body.slice(0, m.index);
  }
  const i = body.indexOf("--- stderr ---\n");
  if (i < 0) return { stdout: body, stderrLast: null, exit };
  const stderr = body.slice(i + 15).split("\n").filter((l) => l !== "");
  return { stdout: body.slice(0, i), stderrLast: stderr[stderr.length - 1] ?? null, exit };
}

let failures = [];
for (const corpus of corpora) {
console.log(`== ${corpus.slice(root.length + 1)}`);
for (const dir of readdirSync(join(corpus, "expected")).sort()) {
  const [ver, arch] = [dir.slice(0, dir.lastIndexOf("-")), dir.slice(dir.lastIndexOf("-") + 1)];
  let pass = 0, total = 0, gcPass = 0, gcTotal = 0;
  for (const out of readdirSync(join(corpus, "expected", dir)).filter((f) => f.endsWith(".out")).sort()) {
    const name = out.slice(0, -4);
    const src = readFileSync(join(corpus, "cases", `${name}.py`), "utf8");
    const exp = parseExpected(readFileSync(join(corpus, "expected", dir, out), "utf8"));
    const sim = new Simulator({ python: ver, arch });
    const got = sim.run(src);
    sim.free();
    const lines = got.stderr.split("\n").filter((l) => l !== "");
    const gotExit = got.exitCode;
    let ok = got.stdout === exp.stdout;
    if (exp.exit !== 0) ok = ok && gotExit === exp.exit && (lines[lines.length - 1] ?? null) === exp.stderrLast;
    else ok = ok && gotExit === 0;
    const gc = /import gc|__del__/.test(src);
    if (gc) { gcTotal++; gcPass += ok; }
    total++; pass += ok; if (!ok) failures.push(`${dir} ${name}`);
  }
  console.log(`${dir.padEnd(18)} ${String(pass).padStart(3)}/${total}  (gc cases ${gcPass}/${gcTotal})`);
}
}
if (failures.length) {
  console.error(`${failures.length} failures through the wasm API:\n${failures.join("\n")}`);
  process.exit(1);
}
