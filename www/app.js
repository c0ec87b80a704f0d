// The page: a Python program (or an allocator script) run and stepped on the wasm Simulator; the arena map
// drawn from the simulator's snapshot and block-state view, the objects, the collector and the sizes from
// objects(), collections() and explain(). No CPython rule lives here: every number comes from the wasm API.
// The whole state (mode, profile, step, code) is in the URL fragment; the code also in local storage.
import init, { Simulator, profiles } from "./pkg/pymemsim.js";

const $ = (id) => document.getElementById(id);
const STORE = { python: "pymemsim.python.code", malloc: "pymemsim.malloc.code" };
const EXAMPLES = {};
EXAMPLES.python = `import sys, gc
a = [1, 2, 3]
print(sys.getsizeof(a))
b = a
a.append(4)
print(sys.getsizeof(a), sys.getrefcount(a))
class Node:
    pass
x = Node()
y = Node()
x.other = y
y.other = x
del x, y
print(gc.collect())
`;
EXAMPLES.malloc = `# Three small requests share a pool; a large one goes to malloc.
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

const state = { sim: null, steps: [], result: null, snap: null, geom: null, timer: null };
const mode = () => $("mode").value;

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

function run(at) {
  const code = $("code").value;
  localStorage.setItem(STORE[mode()], code);
  const r = mode() === "python" ? state.sim.run(code) : state.sim.runMalloc(code);
  state.result = r;
  state.steps = [];
  for (let i = 0; i < r.steps; i++) state.steps.push(state.sim.step(i));
  const ticks = $("ticks");
  ticks.replaceChildren(...state.steps.map((_, i) => new Option("", String(i + 1))));
  $("scrub").max = String(r.steps);
  if (at !== undefined && at < r.steps) state.sim.seek(at);
  render();
}

function seek(k) {
  if (!state.result) return;
  state.sim.seek(Math.max(0, Math.min(k, state.result.steps)));
  render();
}

function play() {
  if (state.timer) return pause();
  if (state.sim.position >= (state.result?.steps ?? 0)) seek(0);
  const reduce = matchMedia("(prefers-reduced-motion: reduce)").matches;
  const tick = () => {
    if (state.sim.position >= state.result.steps) return pause();
    seek(state.sim.position + 1);
    state.timer = setTimeout(tick, reduce ? Math.max(1000, +$("speed").value) : +$("speed").value);
  };
  $("play").textContent = "Pause";
  $("play").setAttribute("aria-label", "Pause");
  tick();
}

function pause() {
  clearTimeout(state.timer);
  state.timer = null;
  $("play").textContent = "Play";
  $("play").setAttribute("aria-label", "Play");
}

// The fragment: mode, python, arch, align, step and the code (base64url of its UTF-8), so a link
// reproduces the view.
function saveHash() {
  const bytes = new TextEncoder().encode($("code").value);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  const code = btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const q = new URLSearchParams({ mode: mode(), python: $("python").value, arch: $("arch").value, align: $("align").value, step: String(state.sim.position), code });
  history.replaceState(null, "", "#" + q);
}

function readHash() {
  const q = new URLSearchParams(location.hash.slice(1));
  const out = {};
  for (const k of ["mode", "python", "arch", "align", "step"]) if (q.has(k)) out[k] = q.get(k);
  if (q.has("code")) {
    try {
      const bin = atob(q.get("code").replace(/-/g, "+").replace(/_/g, "/"));
      out.code = new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
    } catch { /* a damaged link keeps the stored code */ }
  }
  return out;
}

function render() {
  const sim = state.sim;
  const pos = sim.position;
  const n = state.result ? state.result.steps : 0;
  $("position").value = `step ${pos} / ${n}`;
  $("back").disabled = $("first").disabled = pos === 0;
  $("fwd").disabled = $("last").disabled = pos >= n;

  // Console: what the steps so far printed, and the error once the run has reached it.
  $("scrub").value = String(pos);
  const con = $("console");
  con.textContent = state.steps.slice(0, pos).map((s) => s.stdout).join("");
  if (mode() === "python" && pos === n && state.result?.stderr) {
    const e = document.createElement("span");
    e.className = "err";
    e.textContent = state.result.stderr;
    con.append(e);
  } else if (state.result?.error && pos === n) {
    const e = document.createElement("span");
    e.className = "err";
    e.textContent = `${state.result.error.type}: line ${state.result.error.line}, column ${state.result.error.col}: ${state.result.error.message}\n`;
    con.append(e);
  }
  const cur = pos > 0 ? state.steps[pos - 1] : null;
  const what = cur && mode() === "python" ? `ran the statement at line ${cur.line}` : cur ? `line ${cur.line}: ${describe(cur.events)}` : "";
  $("current").textContent = what || (pos === 0 && n > 0 ? "before the first statement" : "");
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
  $("py-views").hidden = mode() !== "python";
  if (mode() === "python") renderPython();
  saveHash();
}

const cell = (text, cls) => {
  const td = document.createElement("td");
  td.textContent = text;
  if (cls) td.className = cls;
  return td;
};

function renderPython() {
  const v = state.sim.objects(300);
  const tbody = $("objects").tBodies[0];
  const byId = new Map(v.objects.map((o) => [o.id, o]));
  const names = new Map();
  for (const n of v.names) names.set(n.id, [...(names.get(n.id) ?? []), n.name]);
  tbody.replaceChildren(...v.objects.map((o) => {
    const tr = document.createElement("tr");
    tr.append(
      cell((names.get(o.id) ?? []).join(", "), "name"),
      cell(hex(o.address), "mono"),
      cell(o.typeName),
      cell(o.label, "mono"),
      cell(o.immortal ? "immortal" : String(o.refcount), o.immortal ? "imm" : "num"),
      cell(o.generation === null ? "—" : o.generation === 3 ? "perm" : `gen ${o.generation}`),
      cell(o.bytes ? String(o.bytes) : "static", "num"),
      cell(o.referents.map((r) => byId.get(r)?.label || hex(byId.get(r)?.address ?? 0)).join(", "), "mono"),
    );
    return tr;
  }));
  $("objects").dataset.truncated = String(v.truncated);
  renderGc(v.gc);
  const sel = $("explain-name");
  const keep = sel.value;
  sel.replaceChildren(...v.names.map((n) => new Option(n.name, n.name, false, n.name === keep)));
  renderSizes(sel.value);
}

function renderGc(g) {
  const box = $("gc");
  box.replaceChildren();
  const gens = document.createElement("div");
  gens.className = "gens";
  g.counts.forEach((c, i) => {
    const label = document.createElement("label");
    const m = document.createElement("meter");
    m.max = Math.max(1, g.thresholds[i]);
    m.value = Math.min(c, m.max);
    m.id = `gen${i}`;
    label.append(`generation ${i}: count ${c} of threshold ${g.thresholds[i]} · ${g.sizes[i]} objects `, m);
    gens.append(label);
  });
  box.append(gens);
  if (!g.enabled) box.append(Object.assign(document.createElement("p"), { className: "help", textContent: "automatic collection is disabled (gc.disable())" }));
  const cols = state.sim.collections();
  const list = document.createElement("ol");
  list.className = "collections";
  for (const c of cols) {
    const li = document.createElement("li");
    const d = document.createElement("details");
    const sum = document.createElement("summary");
    sum.textContent = `line ${c.line}: ${c.reason} collection of generation ${c.generation}: ${c.candidates.length} candidates, ${c.unreachable.length} unreachable, ${c.collected} collected → counts (${c.countsAfter.join(", ")})`;
    d.append(sum);
    const t = document.createElement("table");
    t.innerHTML = "<thead><tr><th>candidate</th><th>type</th><th>gc_refs after update_refs</th><th>after subtract_refs</th><th>move_unreachable</th></tr></thead>";
    const unreachable = new Set(c.unreachable);
    const freed = new Set(c.freed.map((f) => f.id));
    const body = document.createElement("tbody");
    c.candidates.slice(0, 60).forEach((o, i) => {
      const tr = document.createElement("tr");
      tr.append(cell(hex(o.addr), "mono"), cell(o.type), cell(String(c.refsAfterUpdate[i]), "num"), cell(String(c.refsAfterSubtract[i]), "num"),
        cell(unreachable.has(o.id) ? (freed.has(o.id) ? "unreachable, freed" : "unreachable") : "reachable", unreachable.has(o.id) ? "unreach" : ""));
      body.append(tr);
    });
    t.append(body);
    d.append(t);
    if (c.candidates.length > 60) d.append(Object.assign(document.createElement("p"), { className: "help", textContent: `… and ${c.candidates.length - 60} more candidates` }));
    li.append(d);
    list.append(li);
  }
  box.append(cols.length ? list : Object.assign(document.createElement("p"), { className: "help", textContent: "No collection has run yet." }));
}

function renderSizes(name) {
  const box = $("sizes");
  box.replaceChildren();
  if (!name) return;
  const e = state.sim.explain(name);
  if (!e) return;
  const t = document.createElement("table");
  t.innerHTML = "<thead><tr><th>part</th><th>bytes</th><th>rule</th></tr></thead>";
  const body = document.createElement("tbody");
  for (const p of e.parts) {
    const tr = document.createElement("tr");
    tr.append(cell(p.label), cell(String(p.bytes), "num"), cell(p.rule, "rule"));
    body.append(tr);
  }
  t.append(body);
  const head = document.createElement("p");
  head.id = "getsizeof";
  head.textContent = `sys.getsizeof(${name}) = ${e.getsizeof} (${e.typeName})`;
  box.append(head, t);
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
  const h = readHash();
  for (const k of ["mode", "python", "arch", "align"]) {
    if (h[k] && [...$(k).options].some((o) => o.value === h[k])) $(k).value = h[k];
  }
  const setMode = () => {
    $("code-title").textContent = mode() === "python" ? "Python program" : "Allocator script";
    $("code-help").textContent = $("code-help").dataset[mode()];
  };
  setMode();
  $("code").value = h.code ?? localStorage.getItem(STORE[mode()]) ?? EXAMPLES[mode()];
  for (const id of ["python", "arch", "align"]) $(id).addEventListener("change", () => { pause(); newSimulator(); run(); });
  $("mode").addEventListener("change", () => {
    pause();
    setMode();
    $("code").value = localStorage.getItem(STORE[mode()]) ?? EXAMPLES[mode()];
    run();
  });
  $("run").addEventListener("click", () => { pause(); run(); });
  $("play").addEventListener("click", play);
  $("scrub").addEventListener("input", () => { pause(); seek(+$("scrub").value); });
  $("explain-name").addEventListener("change", () => renderSizes($("explain-name").value));
  $("back").addEventListener("click", () => seek(state.sim.position - 1));
  $("fwd").addEventListener("click", () => seek(state.sim.position + 1));
  $("first").addEventListener("click", () => seek(0));
  $("last").addEventListener("click", () => seek(state.result?.steps ?? 0));
  $("code").addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); pause(); run(); } });
  document.addEventListener("keydown", (e) => {
    if (e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement) return;
    const moves = { ArrowLeft: -1, ArrowRight: 1 };
    if (e.key in moves) seek(state.sim.position + moves[e.key]);
    else if (e.key === "Home") seek(0);
    else if (e.key === "End") seek(state.result?.steps ?? 0);
    else if (e.key === " " && !(e.target instanceof HTMLButtonElement)) { e.preventDefault(); play(); }
  });
  $("map").addEventListener("mousemove", hover);
  $("map").addEventListener("mouseleave", () => ($("tip").hidden = true));
  newSimulator();
  run(h.step === undefined ? undefined : Number(h.step));
  document.body.dataset.ready = "true";
}

main().catch((e) => {
  $("console").textContent = `The simulator failed to load: ${e}`;
  console.error(e);
});
