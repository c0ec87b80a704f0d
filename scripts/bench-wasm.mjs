// ns per allocator operation for 10⁶ mixed malloc/free/realloc calls inside wasm under Node, the same
// workload as `cargo bench --bench alloc_ops`. Needs `node scripts/build.mjs nodejs`. Prints figures only.
import { createRequire } from "node:module";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { benchMixedOps } = createRequire(import.meta.url)(join(root, "target", "pkg-node", "pymemsim.js"));
const OPS = 1_000_000;
console.log(`${"profile".padEnd(22)} ${"ns/op".padStart(10)} ${"Mops/s".padStart(10)}`);
for (const [v, arch] of [["3.7.3", "x86_64"], ["3.8", "x86_64"], ["3.12", "x86_64"], ["3.15", "x86_64"], ["3.12", "wasm32"]]) {
  let best = Infinity;
  for (let round = 0; round < 6; round++) {
    const t = process.hrtime.bigint();
    benchMixedOps(v, arch, OPS, 10_000);
    const ns = Number(process.hrtime.bigint() - t) / OPS;
    if (round > 0) best = Math.min(best, ns);
  }
  console.log(`${`${v} ${arch}`.padEnd(22)} ${best.toFixed(1).padStart(10)} ${(1e3 / best).toFixed(1).padStart(10)}`);
}
