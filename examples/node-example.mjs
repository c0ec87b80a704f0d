// Runs a Python program on the simulated heap with the npm package and prints what the CLI's
// `pymemsim run FILE --explain NAME --trace` prints: the program's output, `sys.getsizeof(NAME)` explained
// part by part, and each cyclic collection (its first and last line; the CLI prints every phase between).
//
//   npm install pymemsim          (or the packed tarball: node scripts/package.mjs, then npm install it)
//   node node-example.mjs [FILE.py] [--python 3.12] [--arch x86_64|wasm32] [--explain NAME]
//
// Without FILE it runs memory-tour.py from beside this script.
import init, { Simulator } from "pymemsim";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    python: { type: "string", default: "3.12" },
    arch: { type: "string", default: "x86_64" },
    explain: { type: "string", default: "items" },
  },
});
const file = positionals[0] ?? new URL("memory-tour.py", import.meta.url);
const source = readFileSync(file, "utf8");

await init(); // nothing to do in Node; needed in browsers, so portable code calls it
const sim = new Simulator({ python: values.python, arch: values.arch });
const hex = (n) => `0x${n.toString(16)}`;

// 1. Run the program: what CPython prints, and the error (returned, not thrown) if it raised.
const run = sim.run(source);
process.stdout.write(run.stdout);

// 2. Why sys.getsizeof is what it is: header, GC head, items, spare capacity, each with its rule.
const name = values.explain;
const e = sim.explain(name);
console.log(`--- explain ${name} ---`);
if (e === null) {
  console.log(`name '${name}' is not a global at the end of the run`);
} else {
  console.log(`${e.typeName} at ${hex(e.address)}: sys.getsizeof = ${e.getsizeof} bytes (refcount ${e.refcount})`);
  for (const p of e.parts) console.log(`  ${String(p.bytes).padStart(6)}  ${p.label.padEnd(28)} ${p.rule}`);
}

// 3. The cyclic collections, each with its candidates and what it freed.
console.log("--- trace ---");
for (const c of sim.collections()) {
  console.log(`gc line ${c.line}: collecting generation ${c.generation} (${c.reason}), ${c.candidates.length} candidates`);
  const [a, b, d] = c.countsAfter;
  console.log(`gc   done: ${c.collected} collected, ${c.uncollectable} uncollectable, counts (${a}, ${b}, ${d})`);
}

process.stderr.write(run.stderr);
process.exitCode = run.error ? 1 : 0;
