// The npm package as a user gets it: built and packed by scripts/package.mjs (or the tarball named by
// PYMEMSIM_NPM_TARBALL), installed offline into a scratch project, then run through every entry point, checked
// against its own TypeScript declarations at run time and by tsc, and compared with the native CLI.
// Run: node --test tests/npm/
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parse } from "smol-toml";
import { DtsSchema, exerciseApi } from "./shapes.mjs";
import { apiReferenceHtml, currentRegion, INTERNAL } from "./api-reference.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const crate = parse(readFileSync(join(root, "Cargo.toml"), "utf8")).package;
const env = { ...process.env, PATH: `${join(root, "node_modules", ".bin")}:${process.env.HOME}/.cargo/bin:${process.env.PATH}` };
let scratch;
let installed; // node_modules/pymemsim in the scratch project

const sh = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: "utf8", env, maxBuffer: 64 << 20, ...opts });
/** Runs `node FILE args` in the scratch project; returns { status, stdout, stderr }. */
const nodeIn = (file, ...args) => spawnSync(process.execPath, [file, ...args], { cwd: scratch, encoding: "utf8", env });

before(async () => {
  let tarball = process.env.PYMEMSIM_NPM_TARBALL;
  if (!tarball) {
    const { buildPackage } = await import("../../scripts/package.mjs");
    tarball = buildPackage();
  }
  scratch = mkdtempSync(join(tmpdir(), "pymemsim-npm-"));
  writeFileSync(join(scratch, "package.json"), JSON.stringify({ name: "scratch", private: true, type: "module" }, null, 2));
  // The package has no dependencies, so nothing needs the registry.
  sh("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", tarball], { cwd: scratch, stdio: "pipe" });
  installed = join(scratch, "node_modules", "pymemsim");
  for (const f of ["node-example.mjs", "memory-tour.py"]) copyFileSync(join(root, "examples", f), join(scratch, f));
});

after(() => {
  if (scratch && !process.env.KEEP_SCRATCH) rmSync(scratch, { recursive: true, force: true });
});

test("package.json: name, the crate's version and license, exports for Node and for browsers and bundlers", () => {
  const pkg = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
  assert.equal(pkg.name, "pymemsim");
  assert.equal(pkg.version, crate.version);
  assert.equal(pkg.license, crate.license);
  assert.deepEqual(pkg.dependencies ?? {}, {});
  const dot = pkg.exports["."];
  assert.equal(Object.keys(dot)[0], "node", "the node condition must come before import/default");
  assert.equal(dot.node.import.default, "./node/index.mjs");
  assert.equal(dot.node.require.default, "./node/pymemsim.js");
  assert.equal(dot.import, "./web/pymemsim.js");
  assert.equal(dot.default, "./web/pymemsim.js");
  assert.equal(pkg.types, "./web/pymemsim.d.ts");
  for (const f of ["README.md", "web/pymemsim.js", "web/pymemsim_bg.wasm", "web/pymemsim.d.ts", "node/pymemsim.js", "node/index.mjs", "node/index.d.mts", "node/pymemsim_bg.wasm"]) {
    assert.ok(readFileSync(join(installed, f)).length > 0, f);
  }
  assert.match(readFileSync(join(installed, "web", "pymemsim.js"), "utf8"), /^export class Simulator/m, "web build is an ES module");
  assert.match(readFileSync(join(installed, "node", "pymemsim.js"), "utf8"), /^exports\.Simulator = Simulator;/m, "node build is CommonJS");
});

test("the Node example prints what the CLI prints for the same program and profile", () => {
  for (const [python, arch] of [["3.12", "x86_64"], ["3.7", "x86_64"], ["3.14", "x86_64"], ["3.13", "wasm32"]]) {
    const ex = nodeIn("node-example.mjs", "memory-tour.py", "--python", python, "--arch", arch, "--explain", "items");
    assert.equal(ex.status, 0, ex.stderr);
    const cli = spawnSync(
      "cargo",
      ["run", "--quiet", "--release", "--bin", "pymemsim", "--", "run", "examples/memory-tour.py", "--python", python, "--arch", arch, "--explain", "items", "--trace"],
      { cwd: root, encoding: "utf8", env, maxBuffer: 64 << 20 },
    );
    assert.equal(cli.status, 0, cli.stderr);
    // The example prints each collection's first and last line; the CLI prints every phase between.
    const expected = cli.stdout
      .split("\n")
      .filter((l) => !l.startsWith("gc   ") || l.startsWith("gc   done:"))
      .join("\n");
    assert.equal(ex.stdout, expected, `python ${python} on ${arch}`);
    assert.match(ex.stdout, /--- explain items ---\nlist at 0x[0-9a-f]+: sys.getsizeof = \d+ bytes/);
    assert.match(ex.stdout, /gc line \d+: collecting generation 2 \(manual\)/);
  }
});

test("one program, the same output through import (Node), require and the web build loaded in Node", () => {
  const program = JSON.stringify("import sys\nx = [i * i for i in range(20)]\nprint(sys.getsizeof(x), id(x) % 4096)\n");
  writeFileSync(
    join(scratch, "esm.mjs"),
    `import init, { Simulator } from "pymemsim";
await init();
console.log(import.meta.resolve("pymemsim"));
process.stdout.write(new Simulator({ python: "3.11" }).run(${program}).stdout);`,
  );
  writeFileSync(
    join(scratch, "cjs.cjs"),
    `const { Simulator } = require("pymemsim");
console.log(require.resolve("pymemsim"));
process.stdout.write(new Simulator({ python: "3.11" }).run(${program}).stdout);`,
  );
  writeFileSync(
    join(scratch, "web.mjs"),
    `import init, { Simulator } from "pymemsim/web";
import { readFileSync } from "node:fs";
await init({ module_or_path: readFileSync(new URL(import.meta.resolve("pymemsim/web/pymemsim_bg.wasm"))) });
console.log(import.meta.resolve("pymemsim/web"));
process.stdout.write(new Simulator({ python: "3.11" }).run(${program}).stdout);`,
  );
  const outs = ["esm.mjs", "cjs.cjs", "web.mjs"].map((f) => {
    const r = nodeIn(f);
    assert.equal(r.status, 0, `${f}: ${r.stderr}`);
    const [resolved, ...rest] = r.stdout.split("\n");
    return { resolved, output: rest.join("\n") };
  });
  assert.match(outs[0].resolved, /node_modules\/pymemsim\/node\/index\.mjs$/);
  assert.match(outs[1].resolved, /node_modules\/pymemsim\/node\/pymemsim\.js$/);
  assert.match(outs[2].resolved, /node_modules\/pymemsim\/web\/pymemsim\.js$/);
  assert.match(outs[0].output, /^\d+ \d+\n$/);
  assert.equal(outs[1].output, outs[0].output);
  assert.equal(outs[2].output, outs[0].output);
});

test("the Node ES module entry exports what the web build exports", async () => {
  const nodeEsm = await import(pathToFileURL(join(installed, "node", "index.mjs")).href);
  const web = await import(pathToFileURL(join(installed, "web", "pymemsim.js")).href);
  assert.deepEqual(Object.keys(nodeEsm).sort(), Object.keys(web).sort());
  assert.equal(typeof nodeEsm.default, "function");
  assert.equal(await nodeEsm.default(), undefined);
});

/** The package's own declarations (between the first and the last line wasm-bindgen copies from api.rs). */
const customTypes = (dts) => dts.slice(dts.indexOf("export type Arch"), dts.indexOf("export class Simulator"));

test("every call's results match the .d.ts, in the Node build and the web build", async () => {
  const nodeDts = readFileSync(join(installed, "node", "pymemsim.d.ts"), "utf8");
  const webDts = readFileSync(join(installed, "web", "pymemsim.d.ts"), "utf8");
  assert.ok(customTypes(nodeDts).length > 1000);
  assert.equal(customTypes(nodeDts), customTypes(webDts));

  const nodeBuild = createRequire(import.meta.url)(join(installed, "node", "pymemsim.js"));
  const web = await import(pathToFileURL(join(installed, "web", "pymemsim.js")).href);
  web.initSync({ module: readFileSync(join(installed, "web", "pymemsim_bg.wasm")) });
  for (const [name, mod, dts] of [["node", nodeBuild, nodeDts], ["web", web, webDts]]) {
    const r = exerciseApi(mod, new DtsSchema(dts));
    assert.deepEqual(r.errors, [], `${name}: results that do not match the .d.ts`);
    assert.deepEqual(r.uncalled, [], `${name}: calls the .d.ts declares that the test does not make (add them to shapes.mjs)`);
    assert.deepEqual(r.uncovered, [], `${name}: declared cases no result produced`);
    assert.ok(r.calls >= 18, `${name}: ${r.calls} calls`);
  }
});

test("the shape check fails on drift: an extra key, a missing key, a wrong type, an undeclared literal", () => {
  const schema = new DtsSchema(readFileSync(join(installed, "node", "pymemsim.d.ts"), "utf8"));
  const { Simulator } = createRequire(import.meta.url)(join(installed, "node", "pymemsim.js"));
  const run = new Simulator().run("x = 1\n");
  const type = schema.resultType("Simulator", "run");
  assert.deepEqual(schema.validate(run, type), []);
  assert.match(schema.validate({ ...run, extra: 1 }, type).join(), /extra: not declared in RunResult/);
  const { steps, ...missing } = run;
  assert.match(schema.validate(missing, type).join(), /steps: declared in RunResult but missing/);
  assert.match(schema.validate({ ...run, steps: "1" }, type).join(), /steps: expected a number/);
  const snap = new Simulator().snapshot();
  assert.match(schema.validate({ ...snap, arch: "arm64" }, schema.resultType("Simulator", "snapshot")).join(), /arch: matches none of/);
});

test("TypeScript: a program using every call and field type-checks against the installed package", () => {
  copyFileSync(join(root, "tests", "npm", "typed-example.ts"), join(scratch, "typed-example.ts"));
  const base = { strict: true, noEmit: true, target: "es2022", lib: ["es2022", "esnext.disposable", "dom"], skipLibCheck: false, noImplicitReturns: true, types: [] };
  const configs = {
    node: { module: "nodenext", moduleResolution: "nodenext" },
    bundler: { module: "esnext", moduleResolution: "bundler" },
  };
  for (const [name, opts] of Object.entries(configs)) {
    const file = `tsconfig.${name}.json`;
    writeFileSync(join(scratch, file), JSON.stringify({ compilerOptions: { ...base, ...opts }, files: ["typed-example.ts"] }, null, 2));
    const r = spawnSync(join(root, "node_modules", ".bin", "tsc"), ["-p", file, "--traceResolution"], { cwd: scratch, encoding: "utf8", env });
    assert.equal(r.status, 0, `tsc (${name} resolution):\n${r.stdout.split("\n").filter((l) => / error TS\d+/.test(l)).join("\n")}`);
    const want = name === "node" ? "node/index.d.mts" : "web/pymemsim.d.ts";
    assert.match(r.stdout, new RegExp(`'pymemsim' was successfully resolved to '[^']*${want.replace(".", "\\.")}'`), name);
  }
});

test("the package README's examples run", () => {
  const readme = readFileSync(join(installed, "README.md"), "utf8");
  const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.length >= 5);
  let setup = "";
  blocks.forEach((code, i) => {
    const cjs = code.includes("require(");
    const file = join(scratch, `readme-${i}.${cjs ? "cjs" : "mjs"}`);
    // Later blocks use the import of the first one, as a reader would.
    if (i === 0) setup = code.split("\n").filter((l) => l.startsWith("import ") || l.startsWith("await init")).join("\n");
    writeFileSync(file, cjs || i === 0 ? code : `${setup}\n${code}`);
    const r = nodeIn(file);
    assert.equal(r.status, 0, `README block ${i}:\n${code}\n${r.stderr}`);
    if (i === 0) assert.equal(r.stdout.split("\n")[0], "88", "the first example's getsizeof");
  });
});

test("docs page: the API reference is the one the .d.ts gives, with a section for every exported name", () => {
  const html = readFileSync(join(root, "www", "docs.html"), "utf8");
  const dts = readFileSync(join(installed, "web", "pymemsim.d.ts"), "utf8");
  const region = currentRegion(html);
  assert.ok(region, "www/docs.html has the generated API reference region");
  assert.equal(region, apiReferenceHtml(dts), "www/docs.html is out of date: run node tests/npm/api-reference.mjs --write");
  const schema = new DtsSchema(dts);
  const missing = schema.exportedNames().filter((n) => !INTERNAL.has(n) && !html.includes(`id="api-${n}"`));
  assert.deepEqual(missing, []);
  for (const name of ["init", "initSync"]) assert.match(html, new RegExp(`<code>${name}\\(`), `docs explain ${name}()`);
});

test("docs page: the widget's attributes and events, the CLI's flags and the profiles", () => {
  const html = readFileSync(join(root, "www", "docs.html"), "utf8");
  // A top-level section, up to the next one.
  const order = ["start", "js-api", "widget", "cli", "python", "profiles", "fidelity"];
  const section = (id) => {
    const from = html.indexOf(`<section id="${id}">`);
    const next = order[order.indexOf(id) + 1];
    const to = next ? html.indexOf(`<section id="${next}">`) : html.length;
    assert.ok(from >= 0 && to > from, `section ${id}`);
    return html.slice(from, to);
  };
  const widgetDocs = section("widget");
  // The widget's source: what it reads with getAttribute/hasAttribute and the events it dispatches.
  const src = ["www/src/widget.js", "www/widget.js"].map((f) => join(root, f)).find((f) => {
    try {
      return readFileSync(f).length > 0;
    } catch {
      return false;
    }
  });
  assert.ok(src, "the widget's source");
  const widget = readFileSync(src, "utf8");
  // Attributes it reads (on itself or on prose links) and sets on itself; not those of its inner elements.
  const attrs = new Set([...widget.matchAll(/(?:getAttribute|hasAttribute|this\.setAttribute|this\.removeAttribute)\("([a-z-]+)"/g)].map((m) => m[1]));
  for (const m of widget.matchAll(/observedAttributes = \[([^\]]*)\]/g)) for (const a of m[1].matchAll(/"([a-z-]+)"/g)) attrs.add(a[1]);
  const events = new Set([...widget.matchAll(/new CustomEvent\("([a-z-]+)"/g)].map((m) => m[1]));
  assert.ok(attrs.size >= 10 && events.size >= 2, `found ${[...attrs]} and ${[...events]} in ${src}`);
  const undocumented = [...attrs, ...events].filter((a) => !new RegExp(`<code>${a}[<=]`).test(widgetDocs));
  assert.deepEqual(undocumented, [], `attributes and events of ${src} missing from the widget section`);
  assert.match(widgetDocs, /<py-memory [^>]*>/, "a live example");
  assert.match(widgetDocs, /data-py-memory="lists" data-step="\d+"/);

  // Every flag of the CLI's usage text.
  const usage = readFileSync(join(root, "src", "bin", "pymemsim.rs"), "utf8").match(/const USAGE: &str = "([\s\S]*?)";/)[1];
  const flags = new Set([...usage.matchAll(/--[a-z-]+/g)].map((m) => m[0]));
  const cli = section("cli");
  assert.deepEqual([...flags].filter((f) => !cli.includes(`<code>${f}`)), [], "CLI flags missing from the docs");

  // Every profile profiles() lists, with its release.
  const { profiles } = createRequire(import.meta.url)(join(installed, "node", "pymemsim.js"));
  const table = section("profiles");
  for (const v of profiles().versions) {
    assert.ok(table.includes(`<tr><td><code>${v.series}</code></td><td><code>${v.release}</code></td>`), `profile ${v.series} = ${v.release}`);
  }
});
