// The first page: an allocator script, run and stepped on the wasm Simulator, with the arena map drawn from
// the simulator's snapshot and its block-state view. No allocator rule lives here: every number comes from
// the wasm API.
import init, { Simulator, profiles } from "./pkg/pymemsim.js";

const $ = (id) => document.getElementById(id);
const STORE = "pymemsim.malloc.code";
const EXAMPLE = `# Three small requests share a pool; a large one goes to malloc.
a = malloc(16)
b = malloc(16)
c = malloc(24)       # 24 rounds up to the 32-byte size class (16 on 3.7.0-3.7.3)
big = malloc(1000)   # > 512 bytes: not pymalloc's
free(a)
d = malloc(10)       # a's block comes back first: free lists are LIFO
print(d)
print(b)
e = realloc(d, 14)   # still fits its 16-byte block: stays put
print(e)
stats()
`;

// Pools are drawn as G×G pixel squares (one pixel per block), scaled to POOL_PX on screen.
const POOL_COLS = 16;
const POOL_PX = 44;
const GAP = 4;
const HEADER = 18;

const state = { sim: null, steps: [], result: null, snap: null, geom: null };

// Viridis stops: perceptually ordered and readable with colour-vision deficiencies.
const VIRIDIS = [[68, 1, 84], [72, 40, 120], [62, 74, 137], [49, 104, 142], [38, 130, 142], [31, 158, 137], [53, 183, 121], [109, 205, 89], [180, 222, 44], [253, 231, 37]];
function classColour(idx, n) {
  const t = n <= 1 ? 0 : idx / (n - 1);
  const x = t * (VIRIDIS.length - 1);
  const i = Math.min(Math.floor(x), VIRIDIS.length - 2);
  const f = x - i;
  return VIRIDIS[i].map((c, k) => Math.round(c + (VIRIDIS[i + 1][k] - c) * f));
}
const mix = (a, b, f) => a.map((c, k) => Math.round(c * (1 - f) + b[k] * f));
const hex = (n) => "0x" + n.toString(16);
const css = (v) => getComputedStyle(document.documentElement).getPropertyValue(v).trim();
function rgb(cssColour) {
  const c = document.createElement("canvas").getContext("2d");
  c.fillStyle = cssColour;
  const h = c.fillStyle;
  return [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
}

function newSimulator() {
  const opts = { python: $("python").value, arch: $("arch").value, arenaAlign: $("align").value };
  state.sim?.free();
  state.sim = new Simulator(opts);
}

function run() {
  const code = $("code").value;
  localStorage.setItem(STORE, code);
  const r = state.sim.runMalloc(code);
  state.result = r;
  state.steps = [];
  for (let i = 0; i < r.steps; i++) state.steps.push(state.sim.step(i));
  render();
}

function seek(k) {
  if (!state.result) return;
  state.sim.seek(Math.max(0, Math.min(k, state.result.steps)));
  render();
}

function render() {
  const sim = state.sim;
  const pos = sim.position;
  const n = state.result ? state.result.steps : 0;
  $("position").value = `step ${pos} / ${n}`;
  $("back").disabled = $("first").disabled = pos === 0;
  $("fwd").disabled = $("last").disabled = pos >= n;

  // Console: what the steps so far printed, and the error once the run has reached it.
  const con = $("console");
  con.textContent = state.steps.slice(0, pos).map((s) => s.stdout).join("");
  if (state.result?.error && pos === n) {
    const e = document.createElement("span");
    e.className = "err";
    e.textContent = `${state.result.error.type}: line ${state.result.error.line}, column ${state.result.error.col}: ${state.result.error.message}\n`;
    con.append(e);
  }
  const cur = pos > 0 ? state.steps[pos - 1] : null;
  $("current").textContent = cur ? `line ${cur.line}: ${describe(cur.events)}` : pos === 0 && n > 0 ? "before the first statement" : "";
  markLine(cur ? cur.line : state.result?.error && pos === n ? state.result.error.line : 0);

  state.snap = sim.snapshot();
  const s = state.snap;
  $("n-arenas").textContent = s.arenas.length;
  $("n-pools").textContent = s.arenas.reduce((t, a) => t + a.pools.filter((p) => p.state === "used" || p.state === "full").length, 0);
  $("n-blocks").textContent = s.hasPymalloc ? s.allocatedBlocks : s.chunks.length;
  $("n-mapped").textContent = s.mappedBytes.toLocaleString("en") + " B";
  $("note").hidden = !s.note;
  $("note").textContent = s.note ?? "";
  $("report").textContent = sim.report();
  draw(cur ? cur.events : []);
}

function describe(events) {
  const parts = events.map((e) => {
    const where = e.loc ? ` (arena ${e.loc.arena}, pool ${e.loc.pool}, block ${e.loc.block})` : e.kind === "malloc" || e.kind === "free" ? " (malloc region)" : "";
    switch (e.kind) {
      case "malloc": return `malloc(${e.nbytes}) → ${hex(e.address)}${where}`;
      case "free": return `free ${hex(e.address)}${where}`;
      case "realloc_in_place": return `realloc keeps ${hex(e.address)} for ${e.nbytes} bytes`;
      case "new_arena": return `new arena ${e.arena} at ${hex(e.address)} with ${e.ntotalpools} pools`;
      case "release_arena": return `arena ${e.arena} released`;
      case "pool_init": return `${e.reused ? "reuse" : "init"} pool ${e.pool} of arena ${e.arena} for class ${e.szidx}`;
      default: return e.kind;
    }
  });
  return parts.length ? parts.join("; ") : "no allocator change";
}

function markLine(line) {
  const ta = $("code");
  if (!line || document.activeElement === ta) return;
  const lines = ta.value.split("\n");
  let start = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) start += lines[i].length + 1;
  ta.setSelectionRange(start, start + (lines[line - 1] ?? "").length);
}

function draw(events) {
  const s = state.snap;
  const canvas = $("map");
  const ctx = canvas.getContext("2d");
  const bg = rgb(css("--bg"));
  const fg = css("--fg");
  const muted = css("--muted");
  const line = css("--line");
  if (!s.hasPymalloc) return drawRaw(ctx, canvas, s, fg, muted);

  const G = Math.ceil(Math.sqrt(s.stride));
  const rows = Math.ceil(s.poolsPerArenaSlot / POOL_COLS);
  const arenaH = HEADER + rows * (POOL_PX + GAP) + GAP;
  const width = POOL_COLS * (POOL_PX + GAP) + GAP;
  canvas.width = width;
  canvas.height = Math.max(60, s.arenas.length * arenaH + GAP);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  state.geom = { G, arenaH, rows };
  if (s.arenas.length === 0) {
    ctx.fillStyle = muted;
    ctx.font = "13px system-ui";
    ctx.fillText("No arenas yet: the first request of 1–512 bytes maps one.", 10, 30);
    return;
  }
  // Taken after snapshot(): any call into wasm may grow its memory and detach the view.
  const blocks = state.sim.blocks();
  const off = new OffscreenCanvas(G, G);
  const octx = off.getContext("2d");
  const img = octx.createImageData(G, G);
  const nClasses = s.classSizes.length;
  ctx.imageSmoothingEnabled = false;
  s.arenas.forEach((a, ai) => {
    const y0 = ai * arenaH;
    ctx.fillStyle = fg;
    ctx.font = "12px ui-monospace, monospace";
    ctx.fillText(`arena ${a.slot} @ ${hex(a.address)} · ${a.ntotalpools - a.nfreepools}/${a.ntotalpools} pools used`, GAP, y0 + 13);
    for (let k = 0; k < s.poolsPerArenaSlot; k++) {
      const x = GAP + (k % POOL_COLS) * (POOL_PX + GAP);
      const y = y0 + HEADER + Math.floor(k / POOL_COLS) * (POOL_PX + GAP);
      const p = a.pools[k];
      if (!p) {
        // Lost to alignment: the arena base was not pool-aligned.
        ctx.strokeStyle = line;
        ctx.beginPath(); ctx.moveTo(x, y + POOL_PX); ctx.lineTo(x + POOL_PX, y); ctx.stroke();
        continue;
      }
      if (p.state === "uncarved") {
        ctx.setLineDash([3, 3]); ctx.strokeStyle = line; ctx.strokeRect(x + .5, y + .5, POOL_PX - 1, POOL_PX - 1); ctx.setLineDash([]);
        continue;
      }
      const col = classColour(p.sizeClass, nClasses);
      const light = mix(col, bg, 0.55);
      const virgin = mix(col, bg, 0.9);
      const base = (a.slot * s.poolsPerArenaSlot + k) * s.stride;
      const d = img.data;
      for (let b = 0; b < G * G; b++) {
        const st = b < p.capacity ? blocks[base + b] : 3;
        const c = st === 2 ? col : st === 1 ? light : virgin;
        d[4 * b] = c[0]; d[4 * b + 1] = c[1]; d[4 * b + 2] = c[2]; d[4 * b + 3] = st === 3 ? 0 : 255;
      }
      octx.putImageData(img, 0, 0);
      ctx.drawImage(off, 0, 0, G, G, x, y, POOL_PX, POOL_PX);
      if (p.state === "empty") {
        ctx.fillStyle = "#8888"; ctx.fillRect(x, y, POOL_PX, POOL_PX);
      }
      ctx.strokeStyle = line; ctx.strokeRect(x + .5, y + .5, POOL_PX - 1, POOL_PX - 1);
    }
  });
  // Flash the blocks the current step touched.
  const cell = POOL_PX / G;
  for (const e of events) {
    if (!e.loc || (e.kind !== "malloc" && e.kind !== "free")) continue;
    const ai = s.arenas.findIndex((a) => a.slot === e.loc.arena);
    if (ai < 0) continue;
    const x = GAP + (e.loc.pool % POOL_COLS) * (POOL_PX + GAP) + (e.loc.block % G) * cell;
    const y = ai * arenaH + HEADER + Math.floor(e.loc.pool / POOL_COLS) * (POOL_PX + GAP) + Math.floor(e.loc.block / G) * cell;
    ctx.strokeStyle = e.kind === "malloc" ? "#d55e00" : "#cc79a7";
    ctx.lineWidth = 2;
    ctx.strokeRect(x - 2, y - 2, cell + 4, cell + 4);
    ctx.lineWidth = 1;
  }
}

// wasm32: no pymalloc; chunks of the malloc region laid out by address, wrapping every row.
function drawRaw(ctx, canvas, s, fg, muted) {
  const width = POOL_COLS * (POOL_PX + GAP) + GAP;
  const chunks = s.chunks;
  canvas.width = width;
  const span = chunks.length ? chunks[chunks.length - 1].address + chunks[chunks.length - 1].size - chunks[0].address : 0;
  const perPx = Math.max(1, Math.ceil(span / (width * 6)));
  const rowH = 14;
  const rows = Math.max(1, Math.ceil(span / perPx / width));
  canvas.height = 30 + rows * (rowH + 4);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = fg;
  ctx.font = "12px ui-monospace, monospace";
  ctx.fillText(`malloc region: ${chunks.length} live chunks · ${perPx} byte(s) per pixel`, GAP, 14);
  const base = chunks.length ? chunks[0].address : 0;
  chunks.forEach((c, i) => {
    ctx.fillStyle = i % 2 ? "#0072b2" : "#56b4e9";
    let from = (c.address - base) / perPx;
    const to = (c.address - base + c.size) / perPx;
    while (from < to) {
      const row = Math.floor(from / width);
      const end = Math.min(to, (row + 1) * width);
      ctx.fillRect(from - row * width, 24 + row * (rowH + 4), Math.max(1, end - from), rowH);
      from = end;
    }
  });
  if (!chunks.length) { ctx.fillStyle = muted; ctx.fillText("No live chunks.", GAP, 40); }
}

function hover(ev) {
  const tip = $("tip");
  const s = state.snap;
  const g = state.geom;
  if (!s?.hasPymalloc || !g || !s.arenas.length) { tip.hidden = true; return; }
  const r = $("map").getBoundingClientRect();
  const mx = ev.clientX - r.left, my = ev.clientY - r.top;
  const ai = Math.floor(my / g.arenaH);
  const a = s.arenas[ai];
  const py = my - ai * g.arenaH - HEADER;
  const col = Math.floor((mx - GAP) / (POOL_PX + GAP)), row = Math.floor(py / (POOL_PX + GAP));
  const k = row * POOL_COLS + col;
  const p = a?.pools[k];
  if (!p || py < 0 || col < 0 || col >= POOL_COLS) { tip.hidden = true; return; }
  const lx = (mx - GAP) - col * (POOL_PX + GAP), ly = py - row * (POOL_PX + GAP);
  let text = `arena ${a.slot}, pool ${k} @ ${hex(p.address)}\n`;
  if (p.state === "uncarved") text += "not yet carved from the arena";
  else {
    text += `${p.state} · class ${p.sizeClass} (${p.blockSize}-byte blocks) · ${p.count}/${p.capacity} in use\n`;
    text += `freeblock → ${p.freeList.length ? "#" + p.freeList.slice(0, 6).join(" → #") + (p.freeList.length > 6 ? " …" : "") : "NULL"} · nextoffset ${p.nextoffset}`;
    const b = Math.floor(ly / (POOL_PX / g.G)) * g.G + Math.floor(lx / (POOL_PX / g.G));
    if (b >= 0 && b < p.capacity) {
      const st = state.sim.blocks()[(a.slot * s.poolsPerArenaSlot + k) * s.stride + b];
      text += `\nblock ${b} @ ${hex(p.address + s.poolOverhead + b * p.blockSize)}: ${["untouched", "free", "in use"][st]}`;
    }
  }
  tip.textContent = text;
  tip.hidden = false;
  tip.style.left = Math.min(mx + 14, r.width - 260) + "px";
  tip.style.top = my + 14 + "px";
}

async function main() {
  await init();
  const p = profiles();
  for (const v of p.versions) $("python").add(new Option(`${v.series} (${v.release})`, v.series, false, v.series === p.defaultPython));
  for (const v of ["3.7.3", "3.14.2"]) $("python").add(new Option(`${v} (exact release)`, v));
  for (const a of p.arches) $("arch").add(new Option(a, a));
  for (const a of p.arenaAligns) $("align").add(new Option(a, a));
  $("code").value = localStorage.getItem(STORE) ?? EXAMPLE;
  for (const id of ["python", "arch", "align"]) $(id).addEventListener("change", () => { newSimulator(); run(); });
  $("run").addEventListener("click", run);
  $("back").addEventListener("click", () => seek(state.sim.position - 1));
  $("fwd").addEventListener("click", () => seek(state.sim.position + 1));
  $("first").addEventListener("click", () => seek(0));
  $("last").addEventListener("click", () => seek(state.result?.steps ?? 0));
  $("code").addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run(); } });
  document.addEventListener("keydown", (e) => {
    if (e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement) return;
    const moves = { ArrowLeft: -1, ArrowRight: 1 };
    if (e.key in moves) seek(state.sim.position + moves[e.key]);
    else if (e.key === "Home") seek(0);
    else if (e.key === "End") seek(state.result?.steps ?? 0);
  });
  $("map").addEventListener("mousemove", hover);
  $("map").addEventListener("mouseleave", () => ($("tip").hidden = true));
  newSimulator();
  run();
  document.body.dataset.ready = "true";
}

main().catch((e) => {
  $("console").textContent = `The simulator failed to load: ${e}`;
  console.error(e);
});
