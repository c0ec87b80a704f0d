// The embeddable widget in real headless Chromium (Debian's, through playwright-core): the sample blog post
// www/examples/blog-post.html with three <py-memory> widgets and an iframe to embed.html, served with a strict
// Content-Security-Policy. Widgets load lazily and share one wasm download, print what the CLI prints, follow
// prose links, play, follow the page's colour scheme, and show markup-looking text as text. Prints the size
// of what a widget page downloads and the time from scrolling a widget into view to its first frame.
// Needs `node scripts/build.mjs web`.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "../../scripts/static-server.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const www = join(root, "www");
const shots = join(root, "target", "screenshots");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
// Stricter than the widget needs: no 'unsafe-inline' styles either (the widget adopts a constructed sheet).
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; object-src 'none'; base-uri 'none'";
const VIEWPORT = { width: 1280, height: 800 };

// The programs of the sample post, as its markup gives them.
const LISTS = "import sys\na = []\nprint(sys.getsizeof(a))\na.append(1)\nprint(sys.getsizeof(a))\nb = a\nprint(sys.getrefcount(a))\na.extend([2, 3, 4, 5])\nprint(sys.getsizeof(a), len(a))\n";
const DICTS = 'import sys\nd = {}\nprint(sys.getsizeof(d))\nd["k"] = 1\nprint(sys.getsizeof(d))\nt = (1, 2)\nprint(sys.getsizeof(t))\n';
const CYCLES = 'import gc, sys\nclass Node:\n    pass\nx = Node()\ny = Node()\nx.other = y\ny.other = x\nprint(sys.getrefcount(x) - 1)\ndel x, y\nprint(gc.collect() > 0)\nif 1 < 2 and "<b>" != "&amp;":\n    print("<b>not bold</b> & done")\n';
const EMBED = 'import sys\ns = "memory"\nt = s + "!"\nprint(sys.getsizeof(s), sys.getsizeof(t))\nn = [s] * 3\nprint(sys.getrefcount(s))\ndel n\nprint(sys.getrefcount(s))\n';

let browser, strict, open;

before(async () => {
  mkdirSync(shots, { recursive: true });
  strict = await serve(www, 0, { "content-security-policy": CSP });
  open = await serve(www, 0); // for the injection test: no CSP, so only the widget's own care keeps text as text
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
});
after(async () => {
  await browser?.close();
  strict?.server.close();
  open?.server.close();
});

let cliFile = 0;
function cli(src, python, arch) {
  const file = join(root, "target", `widget-test-${cliFile++}.py`);
  writeFileSync(file, src);
  return execFileSync("cargo", ["run", "-q", "--release", "--bin", "pymemsim", "--", "run", file, "--python", python, "--arch", arch], { cwd: root, encoding: "utf8" });
}

// A page that records requests, console errors, page errors and CSP violations (in every frame).
async function newPage(opts = {}) {
  const page = await browser.newPage({ viewport: VIEWPORT, ...opts });
  const log = { requests: [], errors: [] };
  page.on("request", (r) => log.requests.push({ url: r.url(), main: r.frame() === page.mainFrame() }));
  page.on("console", (m) => m.type() === "error" && log.errors.push(m.text()));
  page.on("pageerror", (e) => log.errors.push(String(e)));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    window.__steps = [];
    document.addEventListener("step", (e) => window.__steps.push([e.target.id, e.detail.step, e.detail.line]));
  });
  return { page, log };
}

const POST = () => strict.url + "examples/blog-post.html";
const fetched = (log, suffix) => log.requests.filter((r) => r.main && r.url.endsWith(suffix)).length;

// Scrolls a widget into view and resolves to the milliseconds until its `ready` (its first frame).
const scrollToFirstFrame = (page, id) =>
  page.evaluate((id) => new Promise((resolve) => {
    const w = document.getElementById(id);
    const t0 = performance.now();
    if (w.hasAttribute("data-ready")) return resolve(0);
    w.addEventListener("ready", () => requestAnimationFrame(() => resolve(performance.now() - t0)), { once: true });
    w.scrollIntoView();
  }), id);

const text = (page, sel) => page.locator(sel).textContent();

test("blog post: widgets load lazily on one wasm download, print what the CLI prints, pass a strict CSP", async () => {
  const { page, log } = await newPage();
  const response = await page.goto(POST());
  assert.equal(response.headers()["content-security-policy"], CSP);
  await page.waitForTimeout(800);
  // Lazy: every widget is below the fold (and the observer's margin), and nothing of the wasm is fetched.
  const top = await page.evaluate(() => document.getElementById("lists").getBoundingClientRect().top - innerHeight);
  assert.ok(top > 300, `the first widget starts ${top}px below the fold`);
  assert.equal(fetched(log, "/pkg/pymemsim.js") + fetched(log, "/pkg/pymemsim_bg.wasm"), 0, "no wasm before a widget is near");
  assert.equal(await page.locator("py-memory[data-ready]").count(), 0);
  // The listing is there before the wasm: the code as the markup gives it.
  assert.equal(await text(page, "#lists .code pre"), LISTS);

  const times = {};
  for (const id of ["lists", "dicts", "cycles"]) times[id] = await scrollToFirstFrame(page, id);
  const msg = `scroll into view → first frame: ${Object.entries(times).map(([k, v]) => `${k} ${v.toFixed(1)} ms`).join(", ")} (0 = already drawn while near the viewport)`;
  console.log(msg);
  assert.equal(fetched(log, "/pkg/pymemsim_bg.wasm"), 1, "one wasm download for every widget of the page");
  assert.equal(fetched(log, "/pkg/pymemsim.js"), 1);

  // Each widget: its listing, its console equal to the CLI's output, and a number equal to the CLI's.
  const lists = cli(LISTS, "3.12", "x86_64");
  assert.equal(await text(page, "#lists .console pre"), lists);
  assert.equal(await text(page, "#lists output"), "step 9 / 9");
  assert.match(await text(page, "#lists .prof"), /^CPython 3\.12\.\d+ on x86_64$/);
  const [size, len] = lists.trim().split("\n").at(-1).split(" ");
  assert.equal(len, "5");
  assert.equal(await text(page, "#lists .gs"), `sys.getsizeof(a) = ${size} (list)`);
  await page.evaluate(() => document.getElementById("lists").goTo(7));
  const refcnt = await page.locator('#lists tr[data-name="a"] td').nth(3).textContent();
  assert.equal(String(+refcnt + 1), lists.split("\n")[2], "the table's refcount is what getrefcount printed, less its argument");
  await page.locator("#lists").screenshot({ path: join(shots, "widget-lists.png") });

  assert.equal(await text(page, "#dicts .code pre"), DICTS);
  assert.equal(await text(page, "#dicts output"), "step 0 / 7", "step=0 starts at the beginning");
  assert.equal(await text(page, "#dicts .console pre"), "");
  await page.evaluate(() => document.getElementById("dicts").goTo(7));
  const dicts = cli(DICTS, "3.7", "x86_64");
  assert.equal(await text(page, "#dicts .console pre"), dicts);
  await page.selectOption("#dicts select", "t");
  assert.equal(await text(page, "#dicts .gs"), `sys.getsizeof(t) = ${dicts.trim().split("\n")[2]} (tuple)`);
  await page.locator("#dicts").screenshot({ path: join(shots, "widget-dicts.png") });

  assert.equal(await text(page, "#cycles .code pre"), CYCLES, "a <script type=text/plain> keeps < and & as written");
  assert.equal(await text(page, "#cycles .console pre"), cli(CYCLES, "3.13", "wasm32"));
  assert.match(await text(page, "#cycles .map .cap"), /compiled out/);
  // After the collection, the two prints make print's 1-tuple and stdout's pending list, both counted as
  // the collection emptied the free lists: Pyodide 3.13 prints (2, 0, 0) for gc.get_count() there.
  assert.match(await text(page, "#cycles .gc"), /gen 0: 2 \/ \d+.*1 collection so far/s);
  await page.locator("#cycles").screenshot({ path: join(shots, "widget-cycles.png") });

  // The iframe: its own document, its state from the fragment, its height posted to the host.
  await page.locator("#embed").scrollIntoViewIfNeeded();
  const frame = page.frameLocator("#embed");
  await frame.locator("py-memory[data-ready]").waitFor({ timeout: 15000 });
  assert.equal(await frame.locator(".code pre").textContent(), EMBED);
  assert.equal(await frame.locator("output").textContent(), "step 6 / 8");
  const embed = cli(EMBED, "3.11", "x86_64").split("\n");
  assert.equal(await frame.locator(".console pre").textContent(), embed.slice(0, 2).join("\n") + "\n");
  assert.equal(await frame.locator('tr[data-name="s"] td').nth(3).textContent(), String(embed[1] - 1));
  await page.waitForFunction(() => {
    const f = document.getElementById("embed");
    return Math.abs(f.height - f.contentDocument.documentElement.getBoundingClientRect().height) <= 1;
  }, null, { timeout: 5000 });
  // Stepping keeps the frame's fragment current.
  await frame.locator('button[aria-label="Step forward"]').click();
  assert.match(await page.frame({ url: /embed\.html/ }).evaluate(() => location.hash), /[#&]step=7(&|$)/);
  await page.locator("#embed").screenshot({ path: join(shots, "widget-iframe.png") });
  await page.screenshot({ path: join(shots, "widget-blog-post.png"), fullPage: true });

  assert.deepEqual(log.errors, [], "no console errors and no CSP violations");
  await page.close();
});

test("prose links move widgets, fire step events, and play a range; methods and buttons too", async () => {
  const { page, log } = await newPage();
  await page.goto(POST());
  // A link to a widget that has not loaded yet: it loads, moves to the step and comes into view.
  await page.click('a[data-py-memory="lists"][data-step="4"]');
  await page.waitForFunction(() => window.__steps.some(([id, s]) => id === "lists" && s === 4));
  assert.equal(await text(page, "#lists output"), "step 4 / 9");
  assert.deepEqual((await page.evaluate(() => window.__steps)).filter(([id]) => id === "lists").at(-1), ["lists", 4, 4]);
  assert.equal(await text(page, "#lists .code .cur"), "a.append(1)\n", "the listing marks the line just run");
  assert.equal(await text(page, "#lists .console pre"), "56\n", "the output up to the step");
  assert.ok(await page.locator("#lists").isVisible());
  await page.click('a[data-py-memory="lists"][data-step="6"]');
  assert.equal(await text(page, "#lists output"), "step 6 / 9");

  // data-play="5-7": steps 5, 6 and 7 in turn, then it stops.
  await page.evaluate(() => (window.__steps.length = 0));
  await page.click('a[data-py-memory="dicts"][data-play="5-7"]');
  await page.waitForFunction(() => document.getElementById("dicts").shadowRoot.querySelector("output")?.textContent === "step 7 / 7", null, { timeout: 10000 });
  const played = (await page.evaluate(() => window.__steps)).filter(([id]) => id === "dicts").map(([, s]) => s);
  assert.deepEqual(played.slice(played.indexOf(5)), [5, 6, 7]);
  await page.locator('#dicts button[aria-label="Play"]').waitFor({ timeout: 3000 }); // stopped at the end of the range
  assert.equal(await text(page, "#dicts output"), "step 7 / 7");

  // The Play button from the end replays from the start; Pause stops it.
  await page.evaluate(() => document.getElementById("cycles").goTo(11));
  await page.click('#cycles button[aria-label="Play"]');
  await page.waitForFunction(() => /^step [2-9] /.test(document.getElementById("cycles").shadowRoot.querySelector("output").textContent));
  await page.click('#cycles button[aria-label="Pause"]');
  const paused = await text(page, "#cycles output");
  await page.waitForTimeout(700);
  assert.equal(await text(page, "#cycles output"), paused);
  // Keyboard on the step buttons, and the scrub bar.
  await page.focus('#cycles button[aria-label="Step back"]');
  await page.keyboard.press("ArrowRight");
  assert.equal(await text(page, "#cycles output"), paused.replace(/\d+/, (n) => String(+n + 1)));
  await page.locator("#cycles input[type=range]").fill("9");
  assert.equal(await text(page, "#cycles output"), "step 9 / 11");
  assert.match(await text(page, "#cycles .gc"), /1 collection so far/);
  // Methods: play(from, to) resolves once playing starts, ready fired with the step count.
  const steps = await page.evaluate(() => new Promise((resolve) => {
    const w = document.createElement("py-memory");
    w.setAttribute("code", "a = 1\nb = 2\nc = 3\n");
    w.addEventListener("ready", (e) => resolve(e.detail.steps));
    document.body.append(w);
    w.goTo(1);
  }));
  assert.equal(steps, 3);
  // Changing an attribute reruns: a bad profile shows its error, a good one runs again.
  await page.evaluate(() => document.getElementById("dicts").setAttribute("python", "2.7"));
  await page.locator("#dicts[data-error]").waitFor();
  assert.match(await text(page, "#dicts .console pre"), /unknown Python version '2\.7'/);
  await page.evaluate(() => document.getElementById("dicts").setAttribute("python", "3.12"));
  await page.locator("#dicts:not([data-error])").waitFor();
  assert.match(await text(page, "#dicts .prof"), /^CPython 3\.12\./);
  assert.equal(await text(page, "#dicts .console pre"), "", "the step attribute (0) holds on a rerun");
  // autoplay from step 0 at the given speed, to the end.
  await page.evaluate(() => {
    const w = Object.assign(document.createElement("py-memory"), { id: "auto" });
    for (const [k, v] of [["code", "a = [1]\nb = [2]\nc = a + b\n"], ["step", "0"], ["autoplay", ""], ["speed", "60"], ["views", "console"]]) w.setAttribute(k, v);
    document.body.append(w);
    w.scrollIntoView();
  });
  await page.waitForFunction(() => document.getElementById("auto").shadowRoot.querySelector("output")?.textContent === "step 3 / 3", null, { timeout: 5000 });
  assert.deepEqual((await page.evaluate(() => window.__steps)).filter(([id]) => id === "auto").map(([, s]) => s), [0, 1, 2, 3]);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test("widgets follow the host page's light or dark scheme", async () => {
  for (const scheme of ["light", "dark"]) {
    const { page, log } = await newPage({ colorScheme: scheme });
    await page.goto(POST());
    await scrollToFirstFrame(page, "lists");
    const bg = await page.evaluate(() => getComputedStyle(document.getElementById("lists").shadowRoot.querySelector(".w")).backgroundColor);
    const [r, g, b] = bg.match(/\d+/g).map(Number);
    assert.equal(r * 0.3 + g * 0.59 + b * 0.11 < 128, scheme === "dark", `${scheme}: widget background ${bg}`);
    await page.locator("#lists").screenshot({ path: join(shots, `widget-${scheme}.png`) });
    assert.deepEqual(log.errors, []);
    await page.close();
  }
  // A host's custom properties reach inside the shadow root.
  const { page } = await newPage();
  await page.goto(POST());
  await page.evaluate(() => document.getElementById("lists").style.setProperty("--pm-bg", "rgb(255, 250, 205)"));
  await scrollToFirstFrame(page, "lists");
  assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById("lists").shadowRoot.querySelector(".w")).backgroundColor), "rgb(255, 250, 205)");
  await page.close();
});

const PAYLOAD = (n) => `<img src=x onerror=window.pwned=${n}>`;
const esc = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

test("markup in a program, an attribute or the fragment stays text and runs nothing (no CSP)", async () => {
  const program = `s = "${PAYLOAD(1)}"\nt = "</script><script>window.pwned=2</script>"\nprint(s)\nprint(t)\n`;
  const html = `<!doctype html><meta charset="utf-8"><title>injection</title><script type="module" src="../widget.js"></script>
<py-memory id="t" name="${esc(PAYLOAD(3))}" views="code,console,objects,sizes,${esc(PAYLOAD(4))}" explain="${esc(PAYLOAD(5))}" height="${esc(PAYLOAD(6))}">
${esc(program)}</py-memory>
<py-memory id="a" code="${esc(`print("${PAYLOAD(7)}")`)}" python="${esc(PAYLOAD(8))}" arch="${esc(PAYLOAD(9))}"></py-memory>
<a id="l" href="#" data-py-memory="${esc(PAYLOAD(3))}" data-step="${esc(PAYLOAD(10))}">prose</a>`;
  const { page, log } = await newPage();
  const where = open.url + "examples/injection.html";
  await page.route(where, (r) => r.fulfill({ contentType: "text/html", body: html }));
  await page.goto(where);
  await page.locator("#t[data-ready]").waitFor();
  assert.equal(await text(page, "#t .code pre"), program);
  assert.equal(await text(page, "#t .console pre"), `${PAYLOAD(1)}\n</script><script>window.pwned=2</script>\n`);
  assert.ok(`'${PAYLOAD(1)}'`.startsWith((await page.locator('#t tr[data-name="s"] td').nth(2).textContent()).replace(/\.\.\.$/, "")));
  await page.click("#l");
  assert.equal(await text(page, "#t output"), "step 0 / 4", "a prose link with a non-numeric step goes to 0");
  await page.locator("#a[data-error]").waitFor();
  assert.match(await text(page, "#a .console pre"), /^Error: unknown Python version '<img src=x onerror=window.pwned=8>'/);
  await page.waitForTimeout(500);
  const seen = await page.evaluate(() => ({
    pwned: window.pwned,
    elements: [...document.querySelectorAll("py-memory")].map((w) => w.shadowRoot.querySelectorAll("img, script, b").length),
    images: document.querySelectorAll("img").length,
  }));
  assert.deepEqual(seen, { pwned: undefined, elements: [0, 0], images: 0 });
  await page.screenshot({ path: join(shots, "widget-injection.png"), fullPage: true });

  // The iframe page with markup in its fragment's code and parameters.
  const code = Buffer.from(`print("${PAYLOAD(11)}")\n`).toString("base64url");
  await page.goto(`${open.url}embed.html#python=3.12&views=code,console,${encodeURIComponent(PAYLOAD(12))}&step=${encodeURIComponent(PAYLOAD(13))}&theme=${encodeURIComponent(PAYLOAD(14))}&code=${code}`);
  await page.locator("py-memory[data-ready]").waitFor();
  assert.equal(await text(page, "py-memory output"), "step 1 / 1", "a non-numeric step is the default, the end");
  assert.equal(await text(page, "py-memory .console pre"), `${PAYLOAD(11)}\n`);
  await page.waitForTimeout(300);
  assert.deepEqual(await page.evaluate(() => [window.pwned, document.querySelectorAll("img").length, document.querySelector("py-memory").shadowRoot.querySelectorAll("img").length]), [undefined, 0, 0]);
  assert.deepEqual(log.errors.filter((e) => !/404/.test(e)), []);
  await page.close();
});

test("size: release wasm + JS glue + the widget's JS (and the iframe page's) within the budget", () => {
  const gz = (f) => gzipSync(readFileSync(f), { level: 9 }).length;
  const pkg = readdirSync(join(www, "pkg")).filter((f) => f.endsWith(".wasm") || (f.endsWith(".js") && !f.endsWith(".d.ts")));
  const base = pkg.reduce((s, f) => s + gz(join(www, "pkg", f)), 0);
  const widget = gz(join(www, "widget.js"));
  // The iframe page loads embed.js, bundled with the fragment decoder it imports.
  const embed = gz(join(www, "embed.js"));
  const total = base + widget + embed;
  const budget = Number(readFileSync(join(root, "wasm-pack.toml"), "utf8").match(/budget-kib-gz\s*=\s*(\d+)/)[1]) * 1024;
  console.log(`gzipped: wasm + glue ${base} B + widget.js ${widget} B + embed.js ${embed} B = ${total} B (${(total / 1024).toFixed(1)} KiB of ${budget / 1024} KiB)`);
  assert.ok(total <= budget, `${total} B > ${budget} B`);
});
