// Builds the wasm artefacts that wasm-pack.toml lists, optimises them with binaryen's wasm-opt, and prints
// their sizes against the budget. Usage: node scripts/build.mjs [TARGET ...] [--dev]
// (--dev: a debug build, no wasm-opt; for quick page work.)
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join, dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "smol-toml";
import { transformSync } from "esbuild";
import { bundle } from "./bundle.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const config = parse(readFileSync(join(root, "wasm-pack.toml"), "utf8"));
// Imported (scripts/package.mjs uses wasmPack and sizes), it builds nothing by itself.
const isMain = process.argv[1] === fileURLToPath(import.meta.url);
const args = isMain ? process.argv.slice(2) : [];
const dev = args.includes("--dev");
const wanted = args.filter((a) => !a.startsWith("--"));
const targets = isMain ? config.target.filter((t) => wanted.length === 0 || wanted.includes(t.name)) : [];
if (isMain && targets.length === 0) {
  console.error(`unknown target ${wanted.join(", ")}; wasm-pack.toml has ${config.target.map((t) => t.name).join(", ")}`);
  process.exit(1);
}
const env = { ...process.env, PATH: `${join(root, "node_modules", ".bin")}:${process.env.PATH}` };
/** The environment of one target's build: [build]'s cargo profile, or the target's own. */
function targetEnv(target) {
  const t = config.target.find((x) => x.name === target) ?? {};
  const e = { ...env };
  for (const [k, v] of Object.entries(t["cargo-profile"] ?? config.build["cargo-profile"] ?? {})) {
    e[`CARGO_PROFILE_RELEASE_${k.toUpperCase().replace(/-/g, "_")}`] = String(v);
  }
  // A target with its own profile builds in its own directory, so the two do not rebuild each other.
  if (t["cargo-profile"]) e.CARGO_TARGET_DIR = join(root, "target", `cargo-${target}`);
  return { env: e, wasmOpt: t["wasm-opt"] ?? config.build["wasm-opt"] };
}
const rustflags = config.build.rustflags ?? [];
if (rustflags.length) {
  env.RUSTFLAGS = [process.env.RUSTFLAGS, ...rustflags].filter(Boolean).join(" ");
  // Unstable -Z flags on the stable toolchain (see wasm-pack.toml); only for these release builds.
  if (rustflags.some((f) => f.startsWith("-Z"))) env.RUSTC_BOOTSTRAP = "1";
}

export function sizes(dir) {
  const files = readdirSync(dir).filter((f) => f.endsWith(".wasm") || (f.endsWith(".js") && !f.endsWith(".d.ts")));
  let raw = 0;
  let gz = 0;
  const rows = files.map((f) => {
    const data = readFileSync(join(dir, f));
    const z = gzipSync(data, { level: 9 }).length;
    raw += data.length;
    gz += z;
    return { file: f, bytes: data.length, gzip: z };
  });
  return { rows, raw, gz };
}

// The page's bundled third-party JS (the editor) is built first; it is small and the page needs it.
if (isMain) await bundle();

/** `wasm-pack build --target TARGET` into the directory `out` with the settings above, then wasm-opt. */
export function wasmPack(target, out, { dev = false, features = [] } = {}) {
  const profile = dev ? "--dev" : `--${config.build.profile}`;
  const { env, wasmOpt } = targetEnv(target);
  console.log(`== wasm-pack build ${profile} --target ${target} --out-dir ${relative(root, out)}`);
  const extra = features.length ? ["--", "--features", features.join(",")] : [];
  execFileSync("wasm-pack", ["build", profile, "--target", target, "--out-dir", out, "--no-opt", "--no-pack", ...extra], {
    cwd: root,
    env,
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (!dev) {
    for (const f of readdirSync(out).filter((f) => f.endsWith(".wasm"))) {
      const p = join(out, f);
      const before = statSync(p).size;
      execFileSync("wasm-opt", [...wasmOpt, p, "-o", p], { env, stdio: "inherit" });
      console.log(`wasm-opt ${f}: ${before} -> ${statSync(p).size} bytes`);
    }
  }
}

for (const t of targets) {
  const out = join(root, t["out-dir"]);
  wasmPack(t.name, out, { dev, features: t.features ?? [] });
  // The page's copy of wasm-bindgen's glue is what a reader downloads: shipped minified, as the widget is.
  // (The npm package, scripts/package.mjs, keeps its glue readable.)
  if (!dev && t.name === "web") {
    for (const f of readdirSync(out).filter((f) => f.endsWith(".js"))) {
      const p = join(out, f);
      const min = transformSync(readFileSync(p, "utf8"), { minify: true, format: "esm", target: "es2020", legalComments: "none" });
      writeFileSync(p, min.code);
    }
  }
  const s = sizes(out);
  // A page with the widget (or its iframe, embed.html) downloads the widget's JS too: the budget counts it.
  // (embed.js, the iframe page's script, carries the fragment decoder it needs.)
  const widget = t.name === "web" ? ["widget.js", "embed.js"] : [];
  for (const f of widget) {
    const data = readFileSync(join(root, "www", f));
    const gzip = gzipSync(data, { level: 9 }).length;
    s.rows.push({ file: `../${f}`, bytes: data.length, gzip });
    s.raw += data.length;
    s.gz += gzip;
  }
  for (const r of s.rows) console.log(`  ${r.file.padEnd(28)} ${String(r.bytes).padStart(9)} B  ${String(r.gzip).padStart(8)} B gzip`);
  const budget = config.build["budget-kib-gz"] * 1024;
  console.log(`  ${`total (wasm + ${widget.length ? "glue + widget" : "JS glue"})`.padEnd(28)} ${String(s.raw).padStart(9)} B  ${String(s.gz).padStart(8)} B gzip = ${(s.gz / 1024).toFixed(1)} KiB${t.name === "web" ? ` of the ${config.build["budget-kib-gz"]} KiB budget` : " (no budget: not downloaded)"}`);
  if (!dev && t.name === "web" && s.gz > budget) {
    console.error(`size budget exceeded for target ${t.name}: ${s.gz} B gzipped > ${budget} B`);
    process.exit(1);
  }
}
