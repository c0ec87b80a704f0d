// The page in real headless Chromium (Debian's, through playwright-core): load, run a script, step, read the
// numbers the page shows, compare them with the CLI, save screenshots. Needs `node scripts/build.mjs web`.
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

async function open() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]", { timeout: 15000 });
  return page;
}

const SCRIPT = "a = malloc(16)\nb = malloc(16)\nc = malloc(500)\nfree(a)\nd = malloc(16)\nprint(d)\nbig = malloc(4096)\n";

function cli(script, python) {
  const file = join(root, "target", "page-test.m");
  writeFileSync(file, script);
  return execFileSync("cargo", ["run", "-q", "--bin", "pymemsim", "--", "malloc", file, "--python", python], { cwd: root, encoding: "utf8" });
}

test("run, step back and forward, read the numbers", async () => {
  const page = await open();
  await page.selectOption("#python", "3.10");
  await page.fill("#code", SCRIPT);
  await page.click("#run");
  assert.equal(await page.textContent("#position"), "step 7 / 7");
  assert.equal(await page.textContent("#n-arenas"), "1");
  assert.equal(await page.textContent("#n-blocks"), "3"); // b, c, d
  const printed = (await page.textContent("#console")).trim();
  assert.equal(printed, cli(SCRIPT, "3.10").trim(), "the page prints what the CLI prints");
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

test("errors show with their line, and wasm32 says pymalloc is compiled out", async () => {
  const page = await open();
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
