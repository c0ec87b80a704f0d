// Page performance in headless Chromium (Debian's, through playwright-core): the time from navigation to
// the first result on screen, then a heap of 10^5 live objects over about 50 arenas (CPython 3.8, 256 KiB
// arenas) and the arena map's frame times while scrolling it and while its flashes fade, and what a step
// costs while playing (a Python step replays the program to that statement). Prints figures; never fails
// on a timing. Needs `node scripts/build.mjs web`. Usage: node scripts/page-perf.mjs
import { chromium } from "playwright-core";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "./static-server.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
const BIG = `x = [bytes(90) for i in range(100000)]
y = x[::2]
del x
z = [bytes(90) for i in range(50000)]
`;

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return `median ${q(0.5).toFixed(2)} ms, p95 ${q(0.95).toFixed(2)} ms, max ${s[s.length - 1].toFixed(2)} ms (${s.length} frames)`;
};

const { server, url } = await serve(join(root, "www"));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: FLAGS });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(url + "#views=map");
  await page.waitForSelector("body[data-ready=true]");
  const first = await page.evaluate(() => performance.now());
  console.log(`first result after load: ${first.toFixed(0)} ms (navigation to the example program run and drawn)`);

  await page.selectOption("#python", "3.8");
  await page.fill("#code", BIG);
  const t0 = Date.now();
  await page.click("#run");
  await page.waitForFunction(() => document.querySelector("#position").value === "step 4 / 4");
  console.log(`run of the large program (4 statements) and its first render: ${Date.now() - t0} ms`);
  await page.click("#first");
  await page.click("#fwd");
  const live = await page.textContent("#n-blocks");
  const arenas = await page.textContent("#n-arenas");
  console.log(`heap after statement 1: ${arenas} arenas, ${live} blocks in use`);

  const paints = await page.evaluate(() => {
    const out = [];
    const wrap = document.getElementById("map-wrap");
    const max = wrap.scrollHeight - wrap.clientHeight;
    for (let i = 0; i < 60; i++) out.push(window.pymemsimPerf.scrollMap((max * i) / 59));
    return out;
  });
  console.log(`arena map frame (paint the arenas in view, scrolling through all): ${stats(paints)}`);

  const stepping = await page.evaluate(async () => {
    const steps = [];
    const frames = [];
    for (const k of [2, 3, 4, 3, 2]) {
      const t = performance.now();
      document.getElementById("scrub").value = String(k);
      document.getElementById("scrub").dispatchEvent(new Event("input"));
      steps.push(performance.now() - t);
      // The flashes fade over the next frames: time each one.
      let last = performance.now();
      await new Promise((done) => {
        const end = last + 1000;
        const tick = (now) => {
          frames.push(now - last);
          last = now;
          if (now < end) requestAnimationFrame(tick);
          else done();
        };
        requestAnimationFrame(tick);
      });
    }
    return { steps, frames, paint: window.pymemsimPerf.paint() };
  });
  console.log(`a step while playing (replay to the statement, snapshot, views, map): ${stats(stepping.steps)}`);
  console.log(`frame intervals while the step's flashes fade (rAF): ${stats(stepping.frames)}`);
  console.log(`one paint of the map at the end: ${stepping.paint.toFixed(2)} ms`);
} finally {
  await browser.close();
  server.close();
}
