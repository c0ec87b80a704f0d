// The page in real headless Chromium (Debian's, through playwright-core): load, run a Python program and an
// allocator script, step, read the numbers the page shows, compare them with the CLI, open a shared link, save
// screenshots. Needs `node scripts/build.mjs web`.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "../../scripts/static-server.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const shots = join(root, "target", "screenshots");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

let browser, server, url;
const consoleErrors = [];

before(async () => {
  mkdirSync(shots, { recursive: true });
  ({ server, url } = await serve(join(root, "www")));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
});
after(async () => {
  await browser?.close();
  server?.close();
});

async function open(hash = "", mode) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  await page.goto(url + hash);
  await page.waitForSelector("body[data-ready=true]", { timeout: 15000 });
  if (mode) await page.selectOption("#mode", mode);
  return page;
}

function cliPython(src, python) {
  const file = join(root, "target", "page-test.py");
  writeFileSync(file, src);
  return execFileSync("cargo", ["run", "-q", "--bin", "pymemsim", "--", "run", file, "--python", python], { cwd: root, encoding: "utf8" });
}

const PROGRAM = "import sys, gc\na = [1, 2, 3]\nb = a\nprint(sys.getsizeof(a), sys.getrefcount(a))\nclass N:\n    pass\nx = N()\ny = N()\nx.o = y\ny.o = x\ndel x, y\nprint(gc.collect())\nd = {'k': a}\n";

test("Python: run, read objects, collector and sizes, step back, share the link", async () => {
  const page = await open();
  await page.selectOption("#python", "3.12");
  await page.fill("#code", PROGRAM);
  await page.click("#run");
  assert.equal(await page.textContent("#position"), "step 12 / 12");
  const printed = (await page.textContent("#console")).trim();
  assert.equal(printed, cliPython(PROGRAM, "3.12").trim(), "the page prints what the CLI prints");
  // The list: bound to a and b and held by the dict d.
  const row = page.locator("#objects tbody tr", { hasText: "a, b" });
  assert.equal(await row.locator("td").nth(2).textContent(), "list");
  assert.equal(await row.locator("td").nth(4).textContent(), "3");
  assert.equal(await row.locator("td").nth(5).textContent(), "gen 2", "the full collection moved it to the oldest generation");
  // One manual collection that found the two instances unreachable.
  const summary = await page.textContent("#gc .collections summary");
  assert.match(summary, /line 12: manual collection of generation 2: \d+ candidates, 2 unreachable, 2 collected/);
  await page.click("#gc .collections summary");
  assert.equal(await page.locator("#gc td.unreach").count(), 2);
  // Phase by phase: back to update_refs (2 + 1 columns), then subtract_refs leaves the two instances of
  // the cycle with gc_refs 0 (only each other refers to them) before move_unreachable names them garbage.
  const coll = page.locator("#gc .collections li").first();
  for (let i = 0; i < 4; i++) await coll.getByRole("button", { name: "Previous phase" }).click();
  assert.match(await coll.locator(".phase-name").textContent(), /phase 2 of 6: update_refs/);
  assert.equal(await coll.locator("thead th").count(), 3);
  await coll.getByRole("button", { name: "Next phase" }).click();
  assert.equal(await coll.locator("thead th").count(), 4);
  const refs = await coll.locator("tbody tr").evaluateAll((rows) => rows.filter((r) => r.cells[1].textContent === "N").map((r) => r.cells[3].textContent));
  assert.deepEqual(refs, ["0", "0"]);
  await coll.getByRole("button", { name: "Next phase" }).click();
  assert.equal(await coll.locator("td.unreach").count(), 2);
  await page.locator("#v-gc").screenshot({ path: join(shots, "view-gc-phases.png") });
  for (let i = 0; i < 2; i++) await coll.getByRole("button", { name: "Next phase" }).click();
  assert.equal(await coll.locator("tbody td", { hasText: /^freed$/ }).count(), 2);
  // Sizes: getsizeof(a) as the program printed it.
  await page.selectOption("#explain-name", "a");
  const size = printed.split("\n")[0].split(" ")[0];
  assert.equal(await page.textContent("#getsizeof"), `sys.getsizeof(a) = ${size} (list)`);
  await page.screenshot({ path: join(shots, "python-end.png"), fullPage: true });

  // Back to before the collection: the collector has not run yet, and c's refcount differs.
  for (let i = 0; i < 2; i++) await page.click("#back");
  assert.equal(await page.textContent("#position"), "step 10 / 12");
  assert.equal(await page.locator("#gc .collections li").count(), 0);
  const before = page.locator("#objects tbody tr", { hasText: "a, b" }).locator("td");
  assert.equal(await before.nth(4).textContent(), "2");
  assert.equal(await before.nth(5).textContent(), "gen 0");
  await page.screenshot({ path: join(shots, "python-step10.png"), fullPage: true });

  // The URL holds the state: a new page opened on it lands on the same step with the same numbers.
  const shared = new URL(page.url()).hash;
  assert.match(shared, /step=10/);
  const again = await open(shared);
  assert.equal(await again.textContent("#position"), "step 10 / 12");
  assert.equal(await again.inputValue("#python"), "3.12");
  assert.equal(await again.textContent("#code"), PROGRAM);
  assert.equal(await again.locator("#objects tbody tr", { hasText: "a, b" }).locator("td").nth(4).textContent(), "2");
  // The scrub bar and the keyboard move the same cursor.
  await again.locator("#scrub").fill("3");
  assert.equal(await again.textContent("#position"), "step 3 / 12");
  await again.keyboard.press("End");
  assert.equal(await again.textContent("#position"), "step 12 / 12");
  await again.close();
  await page.close();
});

test("Python: step through a statement's allocator events, zoom into a pool, see the object in a block", async () => {
  const page = await open();
  await page.selectOption("#python", "3.12");
  await page.fill("#code", "import sys\na = list((1, 2, 3))\nb = [a, a]\n");
  await page.click("#run");
  await page.click("#back");
  assert.equal(await page.textContent("#position"), "step 2 / 3");
  // a = list((1, 2, 3)) on 3.12: the list (56 bytes with its GC head; list() never takes the free list's
  // memory) and its 3-slot item array.
  assert.match(await page.textContent("#current"), /line 2: 2 allocations, 0 frees/);
  await page.keyboard.press("]");
  const first = await page.textContent("#ev-pos");
  assert.match(first, /^event 1 of \d+: malloc\(56\) → 0x[0-9a-f]+ \(arena 0, pool (\d+), block (\d+)\)$/);
  const [, pool, block] = first.match(/pool (\d+), block (\d+)/);
  // The event's pool is chosen and zoomed; the block in it holds the list.
  assert.match(await page.textContent("#zoom-title"), new RegExp(`^arena 0, pool ${pool} @ 0x`));
  assert.match(await page.textContent("#zoom-info"), /64-byte blocks/);
  const box = await page.locator("#zoom").boundingBox();
  const cols = Math.min(32, Number((await page.textContent("#zoom-info")).match(/of (\d+) blocks/)[1]));
  const cellPx = Math.floor(box.width / cols);
  await page.locator("#zoom").click({ position: { x: (block % cols) * cellPx + cellPx / 2, y: Math.floor(block / cols) * cellPx + cellPx / 2 } });
  assert.match(await page.textContent("#zoom-owner"), new RegExp(`^block #${block} @ 0x[0-9a-f]+ \\(in use\\): list  @ 0x[0-9a-f]+ · refcount 1$`));
  // The keyboard reaches the blocks too: the zoom takes focus and arrows move from block to block.
  await page.focus("#zoom");
  await page.keyboard.press("ArrowLeft");
  assert.match(await page.textContent("#zoom-owner"), new RegExp(`^block #${block - 1} @ 0x[0-9a-f]+ \\((in use|free|untouched)\\)`));
  await page.keyboard.press("]");
  assert.match(await page.textContent("#ev-pos"), /^event 2 of/);
  await page.keyboard.press("[");
  await page.keyboard.press("[");
  assert.match(await page.textContent("#ev-pos"), /^\d+ events/);
  // The map's keyboard: arrows move the chosen pool.
  await page.focus("#map-wrap");
  await page.keyboard.press("ArrowRight");
  assert.match(await page.textContent("#zoom-title"), new RegExp(`^arena 0, pool ${Number(pool) + 1} @`));
  await page.screenshot({ path: join(shots, "view-events-zoom.png"), fullPage: true });
  // The shared link keeps the event and the pool.
  const again = await open(new URL(page.url()).hash);
  assert.match(await again.textContent("#zoom-title"), new RegExp(`^arena 0, pool ${Number(pool) + 1} @`));
  await again.close();
  await page.close();
});

test("compare: the same program on two profiles, differences marked, growth staircases from the simulator", async () => {
  const page = await open();
  await page.selectOption("#python", "3.12");
  await page.fill("#code", "import sys\na = []\nprint(sys.getsizeof(a), sys.getsizeof({}))\nb = [1] * 5\n");
  await page.click("#run");
  await page.selectOption("#cmp", "3.7.3|x86_64");
  const rows = page.locator("#compare tbody tr");
  const line1 = rows.filter({ hasText: "printed line 1" }).locator("td");
  const a = cliPython("import sys\na = []\nprint(sys.getsizeof(a), sys.getsizeof({}))\nb = [1] * 5\n", "3.12").trim();
  const b = cliPython("import sys\na = []\nprint(sys.getsizeof(a), sys.getsizeof({}))\nb = [1] * 5\n", "3.7.3").trim();
  assert.equal(await line1.nth(1).textContent(), a);
  assert.equal((await line1.nth(2).textContent()).replace(/^≠ /, ""), b);
  assert.notEqual(a, b, "3.7.3 and 3.12 print different sizes");
  assert.match(await rows.filter({ hasText: "printed line 1" }).getAttribute("class"), /diff/);
  assert.equal(await rows.filter({ hasText: "gc.get_threshold()" }).getAttribute("class"), "", "both (700, 10, 10)");
  assert.match(await page.textContent("#console2"), /CPython 3\.7\.3/);
  // The staircase caption: list sizes by length, each profile's from the simulator.
  const caption = await page.textContent("#growth-caption");
  const [la, lb] = [a, b].map((x) => x.split(" ")[0]);
  assert.match(caption, new RegExp(`3\\.12 x86_64: ${la} bytes at length 0`));
  assert.match(caption, new RegExp(`3\\.7\\.3 x86_64: ${lb} bytes at length 0`));
  const growth = cliPython("import sys\nx = []\nfor i in range(41):\n    print(len(x), sys.getsizeof(x))\n    x.append(i)\n", "3.12").trim().split("\n").map((l) => l.split(" ").map(Number));
  const jumps = growth.filter((p, j) => j > 0 && p[1] !== growth[j - 1][1]).map((p) => `${p[0]}→${p[1]}`).join(", ");
  assert.ok(caption.includes(jumps), `${caption} has ${jumps}`);
  assert.match(new URL(page.url()).hash, /cmp=3\.7\.3%7Cx86_64/);
  await page.screenshot({ path: join(shots, "view-compare.png"), fullPage: true });
  for (const v of ["compare", "objects", "gc", "sizes", "map"]) await page.locator(`#v-${v}`).screenshot({ path: join(shots, `view-${v}.png`) });
  await page.click("#v-report summary");
  await page.waitForFunction(() => document.querySelector("#report").textContent !== "");
  await page.locator("#v-report").screenshot({ path: join(shots, "view-report.png") });
  assert.match(new URL(page.url()).hash, /views=compare%2Cobjects%2Cgc%2Csizes%2Cmap%2Creport/);
  await page.close();
});

test("dark mode and a phone's width", async () => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: "dark", reducedMotion: "reduce" });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]");
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(bg, "rgb(21, 23, 26)");
  // Nothing wider than the screen but the scroll boxes.
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 390, `page is ${wide}px wide`);
  await page.screenshot({ path: join(shots, "phone-dark.png"), fullPage: true });
  await ctx.close();
});

test("Python: a runaway loop ends at the step budget and the page stays responsive; a long paste is quick", async () => {
  const page = await open();
  await page.fill("#code", "i = 0\nwhile True:\n    i += 1\n");
  await page.click("#run");
  const [, n, of] = (await page.textContent("#position")).match(/^step (\d+) \/ (\d+)$/);
  assert.equal(n, of);
  assert.ok(Number(n) > 100000, `${n} steps`);
  assert.match(await page.textContent("#console"), /step budget of 1000000 executed statements ran out/);
  assert.match(await page.textContent("#current"), /the step budget ran out there/);
  await page.keyboard.press("Home");
  assert.equal(await page.textContent("#position"), `step 0 / ${n}`);
  // 2000 lines pasted into the editor replace its text in one go.
  const prog = Array.from({ length: 2000 }, (_, i) => `x${i} = [${i}]`).join("\n") + "\n";
  await page.click("#code");
  await page.keyboard.press("Control+A");
  const ms = await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.setData("text/plain", text);
    const t = performance.now();
    document.getElementById("code").dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
    return performance.now() - t;
  }, prog);
  console.log(`paste of 2000 lines: ${ms.toFixed(0)} ms`);
  await page.click("#run");
  assert.equal(await page.textContent("#position"), "step 2000 / 2000");
  await page.close();
});

test("Python: errors show in the console with their line", async () => {
  const page = await open();
  await page.fill("#code", "a = [1]\nprint(a[5])\n");
  await page.click("#run");
  assert.match(await page.textContent("#console"), /line 2[\s\S]*IndexError: list index out of range/);
  await page.close();
});

const SCRIPT = "a = malloc(16)\nb = malloc(16)\nc = malloc(500)\nfree(a)\nd = malloc(16)\nprint(d)\nbig = malloc(4096)\n";

function cli(script, python) {
  const file = join(root, "target", "page-test.m");
  writeFileSync(file, script);
  return execFileSync("cargo", ["run", "-q", "--bin", "pymemsim", "--", "malloc", file, "--python", python], { cwd: root, encoding: "utf8" });
}

test("allocator script: run, step back and forward, read the numbers", async () => {
  const page = await open("", "malloc");
  await page.selectOption("#python", "3.10");
  await page.fill("#code", SCRIPT);
  await page.click("#run");
  assert.equal(await page.textContent("#position"), "step 7 / 7");
  assert.equal(await page.textContent("#n-arenas"), "1");
  assert.equal(await page.textContent("#n-blocks"), "3"); // b, c, d
  const printed = (await page.textContent("#console")).trim();
  assert.equal(printed, cli(SCRIPT, "3.10").trim(), "the page prints what the CLI prints");
  await page.click("#v-report summary");
  // The toggle event (which fills the view) is dispatched asynchronously.
  await page.waitForFunction(() => document.querySelector("#report").textContent !== "");
  assert.match(await page.textContent("#report"), /61 unused pools \* 16384 bytes/);

  await page.click("#back");
  await page.click("#back");
  await page.click("#back");
  assert.equal(await page.textContent("#position"), "step 4 / 7");
  assert.equal(await page.textContent("#n-blocks"), "2"); // a freed: b and c
  assert.match(await page.textContent("#current"), /line 4: free 0x[0-9a-f]+ \(arena 0, pool 0, block 0\)/);
  await page.screenshot({ path: join(shots, "page-step4.png"), fullPage: true });

  await page.keyboard.press("ArrowRight");
  assert.equal(await page.textContent("#position"), "step 5 / 7");
  assert.match(await page.textContent("#current"), /malloc\(16\) → 0x[0-9a-f]+ \(arena 0, pool 0, block 0\)/);
  await page.click("#last");
  await page.screenshot({ path: join(shots, "page-end.png"), fullPage: true });
  await page.close();
});

test("allocator script: errors show with their line, and wasm32 says pymalloc is compiled out", async () => {
  const page = await open("", "malloc");
  await page.fill("#code", "p = malloc(8)\nfree(p)\nfree(p)\n");
  await page.click("#run");
  assert.match(await page.textContent("#console"), /DoubleFreeError: line 3, column 6: double free/);
  await page.selectOption("#arch", "wasm32");
  await page.fill("#code", "p = malloc(8)\nq = malloc(600)\n");
  await page.click("#run");
  assert.match(await page.textContent("#note"), /compiled out/);
  assert.equal(await page.textContent("#n-arenas"), "0");
  assert.equal(await page.textContent("#n-blocks"), "2");
  await page.screenshot({ path: join(shots, "page-wasm32.png"), fullPage: true });
  await page.close();
});

test("no errors in the browser console", () => {
  assert.deepEqual(consoleErrors, []);
});
