// The page: a Python program (or an allocator script) run and stepped on the wasm Simulator, optionally on a
// second profile side by side; the arena map drawn from the simulator's snapshot and block-state view, the
// objects, the collector and the sizes from objects(), collections() and explain(). No CPython rule lives
// here: every number comes from the wasm API (the growth chart runs small programs through it too).
// The whole state (mode, profiles, step, event, open views, chosen pool, code) is in the URL fragment; the
// code also in local storage.
import init, { Simulator, profiles } from "./pkg/pymemsim.js";
import { createEditor } from "./vendor/editor.js";
import { encodeCode, decodeCode } from "./fragment.js";

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

const POOL_COLS = 16;
// The scrub bar gets a tick per statement up to this many; the console shows at most CONSOLE_STEPS steps'
// output (a loop at the top level makes a step per iteration).
const TICKS_MAX = 400;
const MEMORY_LIMIT = 256 * 2 ** 20;
const CONSOLE_STEPS = 2000;
const GAP = 4;
const HEADER = 18;
const VIEWS = ["v-compare", "v-objects", "v-gc", "v-sizes", "v-map", "v-report"];

const state = {
  sim: null, sim2: null, result: null, result2: null, steps: [], snap: null, geom: null, timer: null,
  cur: null, ev: -1, sel: null, prev: null, flashes: [], flashT0: 0, refcounts: new Map(), growth: new Map(),
  gcPhase: new Map(), gcOpen: new Set(), gcTimer: null,
};
const mode = () => $("mode").value;
let editor;

// Viridis stops: perceptually ordered and readable with colour-vision deficiencies.
const VIRIDIS = [[68, 1, 84], [72, 40, 120], [62, 74, 137], [49, 104, 142], [38, 130, 142], [31, 158, 137], [53, 183, 121], [109, 205, 89], [180, 222, 44], [253, 231, 37]];
function classColour(idx, n) {
  const t = n <= 1 ? 0 : idx / (n - 1);
  const x = t * (VIRIDIS.length - 1);
  const i = Math.min(Math.floor(x), VIRIDIS.length - 2);
  const f = x - i;
  return VIRIDIS[i].map((c, k) => Math.round(c + (VIRIDIS[i + 1][k] - c) * f));
}
// Okabe-Ito colours for the flashes: distinguishable with every common colour-vision deficiency.
const FLASH = { new: "#e69f00", reused: "#009e73", freed: "#cc79a7", event: "#d55e00" };
const mix = (a, b, f) => a.map((c, k) => Math.round(c * (1 - f) + b[k] * f));
const hex = (n) => "0x" + n.toString(16);
const css = (v) => getComputedStyle(document.documentElement).getPropertyValue(v).trim();
function rgb(cssColour) {
  const c = document.createElement("canvas").getContext("2d");
  c.fillStyle = cssColour;
  const h = c.fillStyle;
  return [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
}
const reduceMotion = () => matchMedia("(prefers-reduced-motion: reduce)").matches;

// ---------------------------------------------------------------- running and stepping

function profileOf(value) {
  const [python, arch] = value.split("|");
  return { python, arch };
}

function newSimulator() {
  // 256 MiB of simulated memory: a doubling string reaches MemoryError in about a second, not a minute.
  const opts = { python: $("python").value, arch: $("arch").value, arenaAlign: $("align").value, memoryLimit: MEMORY_LIMIT };
  state.sim?.free();
  state.sim = new Simulator(opts);
  state.sim2?.free();
  state.sim2 = $("cmp").value ? new Simulator({ ...profileOf($("cmp").value), arenaAlign: $("align").value, memoryLimit: MEMORY_LIMIT }) : null;
  state.prev = null;
}

function run(at) {
  const code = editor.value;
  localStorage.setItem(STORE[mode()], code);
  const go = (sim) => (mode() === "python" ? sim.run(code) : sim.runMalloc(code));
  const r = go(state.sim);
  state.result = r;
  state.result2 = state.sim2 ? go(state.sim2) : null;
  // Step views are fetched when shown: a runaway loop can stop after 10^6 top-level statements.
  state.steps = new Map();
  const ticks = document.createDocumentFragment();
  if (r.steps <= TICKS_MAX) for (let i = 0; i < r.steps; i++) ticks.append(new Option("", String(i + 1)));
  $("ticks").replaceChildren(ticks);
  $("scrub").max = String(r.steps);
  state.prev = null;
  state.refcounts = new Map();
  state.ev = -1;
  if (at !== undefined && at < r.steps) seekBoth(at);
  render();
}

function seekBoth(k) {
  state.sim.seek(k);
  if (state.sim2) state.sim2.seek(Math.min(k, state.result2.steps));
}

function seek(k) {
  if (!state.result) return;
  const to = Math.max(0, Math.min(k, state.result.steps));
  if (to !== state.sim.position) {
    seekBoth(to);
    state.ev = -1;
  }
  render();
}

function play() {
  if (state.timer) return pause();
  if (state.sim.position >= (state.result?.steps ?? 0)) seek(0);
  const tick = () => {
    if (state.sim.position >= state.result.steps) return pause();
    seek(state.sim.position + 1);
    state.timer = setTimeout(tick, reduceMotion() ? Math.max(1000, +$("speed").value) : +$("speed").value);
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

// Within a step, the allocator events one at a time: the map marks each event's block.
function stepEvent(d) {
  const n = state.cur?.events.length ?? 0;
  if (!n) return;
  state.ev = Math.max(-1, Math.min(n - 1, state.ev + d));
  const e = state.cur.events[state.ev];
  if (e?.loc) state.sel = { arena: e.loc.arena, pool: e.loc.pool };
  renderEvents();
  drawMap(false);
  renderZoom();
  saveHash();
}

// ---------------------------------------------------------------- the URL fragment

// mode, python, arch, align, cmp, step, ev, pool, views (the open ones) and the code (base64url of its UTF-8).
function saveHash() {
  const code = encodeCode(editor.value);
  const q = new URLSearchParams({ mode: mode(), python: $("python").value, arch: $("arch").value, align: $("align").value });
  if ($("cmp").value) q.set("cmp", $("cmp").value);
  q.set("step", String(state.sim.position));
  if (state.ev >= 0) q.set("ev", String(state.ev));
  if (state.sel) q.set("pool", `${state.sel.arena}.${state.sel.pool}`);
  q.set("views", VIEWS.filter((v) => $(v).open).map((v) => v.slice(2)).join(","));
  q.set("code", code);
  history.replaceState(null, "", "#" + q);
}

function readHash() {
  const q = new URLSearchParams(location.hash.slice(1));
  const out = {};
  for (const k of ["mode", "python", "arch", "align", "cmp", "step", "ev", "pool", "views"]) if (q.has(k)) out[k] = q.get(k);
  if (q.has("code")) {
    try {
      out.code = decodeCode(q.get("code"));
    } catch { /* a damaged link keeps the stored code */ }
  }
  return out;
}

// ---------------------------------------------------------------- rendering

const el = (tag, props = {}, ...kids) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...kids);
  return e;
};
const cell = (text, cls) => el("td", { textContent: text, className: cls ?? "" });

function render() {
  const sim = state.sim;
  const pos = sim.position;
  const n = state.result ? state.result.steps : 0;
  const py = mode() === "python";
  $("position").value = `step ${pos} / ${n}`;
  $("back").disabled = $("first").disabled = pos === 0;
  $("fwd").disabled = $("last").disabled = pos >= n;
  $("scrub").value = String(pos);
  document.body.classList.toggle("comparing", !!state.sim2);
  for (const e of document.querySelectorAll(".cmp-only")) e.hidden = !state.sim2;
  for (const e of document.querySelectorAll(".py-only")) e.hidden = !py;

  renderConsole($("console"), state.sim, state.result, pos, state.steps);
  if (state.sim2) renderConsole($("console2"), state.sim2, state.result2, state.sim2.position, null, state.sim2.profile);
  // The step just run, fetched at the cursor: for Python it carries the statement's allocator events.
  state.cur = pos > 0 ? sim.step(pos - 1) : null;
  const cur = state.cur;
  const line = cur ? cur.line : 0;
  const errLine = state.result?.error && pos === n ? state.result.error.line : 0;
  editor.markLine(errLine && !cur ? errLine : line || errLine, errLine && pos === n && !line ? "error" : "current");
  if (errLine && pos === n) editor.markLine(errLine, "error");
  const err = pos === n ? state.result?.error : null;
  const raised = !err ? "" : err.type === "StepLimit" ? " — the step budget ran out there" : ` — it raised ${err.type}`;
  $("current").textContent = cur
    ? py ? `ran the statement at line ${cur.line}${raised}: ${summarise(cur)}` : `line ${cur.line}: ${describe(cur.events)}`
    : pos === 0 && n > 0 ? "before the first statement" : state.result?.error ? `nothing ran: ${state.result.error.type} at line ${state.result.error.line}` : "";
  renderEvents();

  state.snap = sim.snapshot();
  const s = state.snap;
  $("n-arenas").textContent = s.arenas.length;
  $("n-pools").textContent = s.arenas.reduce((t, a) => t + a.pools.filter((p) => p.state === "used" || p.state === "full").length, 0);
  $("n-blocks").textContent = s.hasPymalloc ? s.allocatedBlocks : s.chunks.length;
  $("n-blocks").previousElementSibling.textContent = s.hasPymalloc ? "blocks in use" : "malloc chunks";
  $("n-pools").previousElementSibling.textContent = s.hasPymalloc ? "pools in use" : "pools (no pymalloc)";
  $("n-mapped").textContent = s.mappedBytes.toLocaleString("en") + " B";
  $("note").hidden = !s.note;
  $("note").textContent = s.note ?? "";
  if ($("v-report").open) $("report").textContent = sim.report();
  if ($("v-map").open) {
    drawMap(true);
    renderZoom();
  }
  if (py) renderPython();
  if (state.sim2) renderCompare();
  saveHash();
}

// What the steps up to `pos` printed (the last CONSOLE_STEPS of them), and the error once the run reached it.
function stdoutUpTo(sim, pos, cache) {
  const from = Math.max(0, pos - CONSOLE_STEPS);
  let text = from > 0 ? `… output of the first ${from} steps not shown …\n` : "";
  for (let i = from; i < pos; i++) {
    let st = cache?.get(i);
    if (!st) { st = sim.step(i); cache?.set(i, { stdout: st.stdout }); }
    text += st.stdout;
  }
  return text;
}

function renderConsole(con, sim, result, pos, cache, label) {
  con.replaceChildren();
  if (label) con.append(el("span", { className: "con-label", textContent: `${label}\n` }));
  con.append(stdoutUpTo(sim, pos, cache));
  const n = result?.steps ?? 0;
  if (pos !== n || !result) return;
  if (mode() === "python" && result.stderr) con.append(el("span", { className: "err", textContent: result.stderr }));
  else if (result.error) {
    const e = result.error;
    con.append(el("span", { className: "err", textContent: `${e.type}: line ${e.line}, column ${e.col}: ${e.message}\n` }));
  }
}

function summarise(step) {
  const m = step.events.filter((e) => e.kind === "malloc").length;
  const f = step.events.filter((e) => e.kind === "free").length;
  const more = step.eventsDropped ? ` (and ${step.eventsDropped} more events)` : "";
  return m + f ? `${m} allocation${m === 1 ? "" : "s"}, ${f} free${f === 1 ? "" : "s"}${more}` : "no allocator change";
}

function describeOne(e) {
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
}
const describe = (events) => (events.length ? events.map(describeOne).join("; ") : "no allocator change");

const EVENTS_SHOWN = 200;
function renderEvents() {
  const evs = state.cur?.events ?? [];
  $("events").hidden = evs.length === 0;
  if (!evs.length) return;
  $("ev-pos").value = state.ev < 0 ? `${evs.length} events${state.cur.eventsDropped ? ` (+${state.cur.eventsDropped} not kept)` : ""}` : `event ${state.ev + 1} of ${evs.length}: ${describeOne(evs[state.ev])}`;
  $("ev-back").disabled = state.ev < 0;
  $("ev-fwd").disabled = state.ev >= evs.length - 1;
  const from = Math.max(0, Math.min(state.ev - 5, evs.length - EVENTS_SHOWN));
  $("ev-list").start = from + 1;
  $("ev-list").replaceChildren(...evs.slice(from, from + EVENTS_SHOWN).map((e, i) => el("li", { textContent: describeOne(e), className: from + i === state.ev ? "on" : "" })));
  $("ev-list").querySelector(".on")?.scrollIntoView({ block: "nearest" });
}

function renderPython() {
  // null when the program never ran (a syntax error): nothing to show.
  const v = state.sim.objects(300) ?? { names: [], objects: [], truncated: false, gc: null };
  const byId = new Map(v.objects.map((o) => [o.id, o]));
  const names = new Map();
  for (const n of v.names) names.set(n.id, [...(names.get(n.id) ?? []), n.name]);
  const before = state.refcounts;
  state.refcounts = new Map(v.objects.map((o) => [o.address, o.refcount]));
  if ($("v-objects").open) {
    renderGraph(v, names, before);
    $("objects").tBodies[0].replaceChildren(...v.objects.map((o) => {
      const was = before.get(o.address);
      const delta = o.immortal || was === undefined || was === o.refcount ? "" : o.refcount > was ? " ▲" : " ▼";
      const rc = cell(o.immortal ? "immortal" : String(o.refcount) + (o.startup ? "*" : "") + delta, o.immortal ? "imm" : delta ? "num changed" : "num");
      rc.title = [delta ? `was ${was}` : "", o.startup ? "* made at startup: CPython's count also holds references from the interpreter's startup, not modelled here; its changes are exact" : ""].filter(Boolean).join(". ");
      return el("tr", {},
        cell((names.get(o.id) ?? []).join(", "), "name"),
        cell(hex(o.address), "mono"),
        cell(o.typeName),
        cell(o.label, "mono"),
        rc,
        cell(o.generation === null ? "—" : o.generation === 3 ? "perm" : `gen ${o.generation}`),
        cell(o.bytes ? String(o.bytes) : "static", "num"),
        cell(o.referents.map((r) => byId.get(r)?.label || hex(byId.get(r)?.address ?? 0)).join(", "), "mono"),
      );
    }));
    $("objects").dataset.truncated = String(v.truncated);
  }
  if ($("v-gc").open) v.gc ? renderGc(v.gc) : $("gc").replaceChildren();
  if ($("v-sizes").open) {
    const sel = $("explain-name");
    const keep = state.explain;
    // The learner's choice while it exists; else the first name bound to something other than a module.
    const pick = v.names.some((n) => n.name === keep) ? keep : v.names.find((n) => byId.get(n.id)?.typeName !== "module")?.name;
    sel.replaceChildren(...v.names.map((n) => new Option(n.name, n.name, false, n.name === pick)));
    renderSizes(sel.value);
    drawGrowth();
  }
}

// Names → objects → referents as a graph: a column per distance from the module's names (breadth first,
// as objects() lists them), a refcount badge on each object (∞ immortal; * a pre-3.12 startup object's
// nominal count), ▲/▼ and the accent colour when the count changed since the last step shown.
const SVG = "http://www.w3.org/2000/svg";
const svg = (tag, attrs = {}, text) => {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
};
const GRAPH_MAX = 40;
function renderGraph(v, names, before) {
  const box = $("graph");
  const shown = v.objects.slice(0, GRAPH_MAX);
  const ids = new Set(shown.map((o) => o.id));
  const depth = new Map();
  for (const n of v.names) if (!depth.has(n.id)) depth.set(n.id, 1);
  for (const o of shown) for (const r of o.referents) if (!depth.has(r)) depth.set(r, (depth.get(o.id) ?? 1) + 1);
  const cols = [v.names.map((n) => n.name)];
  const pos = new Map();
  for (const o of shown) {
    const d = depth.get(o.id) ?? 1;
    cols[d] ??= [];
    pos.set(o.id, [d, cols[d].length]);
    cols[d].push(o);
  }
  const CW = 168, NW = 128, RH = 40, NH = 30, PAD = 6;
  const rows = Math.max(1, ...cols.map((c) => c?.length ?? 0));
  const W = cols.length * CW, H = rows * RH + PAD * 2;
  const root = svg("svg", { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": `${v.names.length} names and ${shown.length} objects with their references` });
  const defs = svg("defs");
  const marker = svg("marker", { id: "arrow", viewBox: "0 0 8 8", refX: 8, refY: 4, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
  marker.append(svg("path", { d: "M0,0 L8,4 L0,8 z", class: "g-arrow" }));
  defs.append(marker);
  root.append(defs);
  const at = (c, r) => [PAD + c * CW, PAD + r * RH];
  const edge = (x1, y1, x2, y2) => {
    const back = x2 <= x1;
    const mx = back ? Math.max(x1, x2 + NW) + 30 : (x1 + x2) / 2;
    const d = back ? `M${x1},${y1} C${mx},${y1} ${mx},${y2 - 18} ${x2 + NW},${y2 - 8}` : `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`;
    root.append(svg("path", { d, class: "g-edge", "marker-end": "url(#arrow)" }));
  };
  v.names.forEach((n, i) => {
    const [x, y] = at(0, i);
    const p = pos.get(n.id);
    if (p) { const [x2, y2] = at(p[0], p[1]); edge(x + NW * 0.6, y + NH / 2, x2, y2 + NH / 2); }
    root.append(svg("text", { x: x + 4, y: y + NH / 2 + 4, class: "g-name" }, n.name));
  });
  for (const o of shown) {
    const [c, r] = pos.get(o.id);
    const [x, y] = at(c, r);
    for (const t of o.referents) {
      if (!ids.has(t)) continue;
      const [c2, r2] = pos.get(t);
      const [x2, y2] = at(c2, r2);
      edge(x + NW, y + NH / 2, x2, y2 + NH / 2);
    }
  }
  for (const o of shown) {
    const [c, r] = pos.get(o.id);
    const [x, y] = at(c, r);
    const g = svg("g", { class: `g-node${o.generation === null ? "" : " tracked"}` });
    const title = `${o.typeName} ${o.label} @ ${hex(o.address)} · refcount ${o.immortal ? "immortal" : o.refcount}${o.generation === null ? "" : ` · gen ${o.generation}`}`;
    g.append(svg("title", {}, title));
    g.append(svg("rect", { x, y, width: NW, height: NH, rx: 4 }));
    const label = o.label.length > 12 ? o.label.slice(0, 11) + "…" : o.label;
    g.append(svg("text", { x: x + 6, y: y + NH / 2 + 4 }, `${o.typeName}${label ? " " + label : ""}`));
    const was = before.get(o.address);
    const changed = !o.immortal && was !== undefined && was !== o.refcount;
    const badge = o.immortal ? "∞" : `${o.refcount}${o.startup ? "*" : ""}${changed ? (o.refcount > was ? "▲" : "▼") : ""}`;
    const bw = 8 + badge.length * 7;
    g.append(svg("rect", { x: x + NW - bw + 6, y: y - 7, width: bw, height: 15, rx: 7, class: `g-badge${changed ? " changed" : ""}${o.immortal ? " imm" : ""}` }));
    g.append(svg("text", { x: x + NW - bw / 2 + 6, y: y + 4, class: "g-badge-text", "text-anchor": "middle" }, badge));
    root.append(g);
  }
  const more = v.objects.length - shown.length + (v.truncated ? 1 : 0);
  box.replaceChildren(root);
  if (more > 0) box.append(el("p", { className: "help", textContent: `The graph shows the first ${GRAPH_MAX} objects; the table lists ${v.objects.length}${v.truncated ? " (and more exist)" : ""}.` }));
}

function renderGc(g) {
  const box = $("gc");
  box.replaceChildren();
  const gens = el("div", { className: "gens" });
  g.counts.forEach((c, i) => {
    const m = el("meter", { max: Math.max(1, g.thresholds[i]), id: `gen${i}` });
    m.value = Math.min(c, m.max);
    gens.append(el("label", {}, `generation ${i}: count ${c} of threshold ${g.thresholds[i]} · ${g.sizes[i]} object${g.sizes[i] === 1 ? "" : "s"} `, m));
  });
  box.append(gens, el("p", { className: "help", textContent: "The generation sizes include what a real interpreter has already tracked when __main__ starts (counted, not simulated one by one), so a collection lists only the program's own objects as candidates." }));
  if (!g.enabled) box.append(el("p", { className: "help", textContent: "automatic collection is disabled (gc.disable())" }));
  const cols = state.sim.collections();
  const list = el("ol", { className: "collections" });
  cols.forEach((c, k) => {
    const d = el("details", {}, el("summary", { textContent: `line ${c.line}: ${c.reason} collection of generation ${c.generation}: ${c.candidates.length} candidates, ${c.unreachable.length} unreachable, ${c.collected} collected → counts (${c.countsAfter.join(", ")})` }));
    const key = `${k}:${c.line}:${c.candidates.length}`;
    d.open = state.gcOpen.has(key);
    d.addEventListener("toggle", () => (d.open ? state.gcOpen.add(key) : state.gcOpen.delete(key)));
    const body = el("div");
    const show = (phase) => {
      state.gcPhase.set(key, phase);
      renderCollection(body, c, phase, (p) => show(p), k);
    };
    show(state.gcPhase.get(key) ?? GC_PHASES.length - 1);
    d.append(body);
    list.append(el("li", {}, d));
  });
  box.append(cols.length ? list : el("p", { className: "help", textContent: "No collection has run yet." }));
}

// A collection phase by phase, as Modules/gcmodule.c (Python/gc.c from 3.13) runs it: each step adds the
// column that phase computes. The captions say what the phase does; every number is the simulator's.
const GC_PHASES = [
  ["candidates", "The generations being collected are merged into one list: these are the candidates, tracked container objects only."],
  ["update_refs", "update_refs copies each candidate's reference count into gc_refs."],
  ["subtract_refs", "subtract_refs visits every candidate's referents (tp_traverse) and takes one off the gc_refs of each referent that is a candidate: what remains counts references from outside the candidates."],
  ["move_unreachable", "move_unreachable keeps what has gc_refs > 0 and everything reachable from it; the rest is unreachable, the garbage."],
  ["finalizers", "PEP 442: the unreachable objects' __del__ methods run once each; if one resurrected something, the garbage is checked again."],
  ["delete_garbage", "delete_garbage clears the garbage's references (tp_clear); reference counting then frees it, and the survivors move to the next generation."],
];
const CANDIDATES_SHOWN = 60;
function renderCollection(box, c, phase, go, k) {
  const unreachable = new Set(c.unreachable);
  const finalized = new Set(c.finalized);
  const resurrected = new Set(c.resurrected);
  const freed = new Set(c.freed.map((f) => f.id));
  const cols = ["candidate", "type", "gc_refs after update_refs", "after subtract_refs", "move_unreachable", "finalizer", "delete_garbage"].slice(0, phase + 2);
  const body = el("tbody");
  c.candidates.slice(0, CANDIDATES_SHOWN).forEach((o, i) => {
    const gone = unreachable.has(o.id);
    const cells = [
      cell(hex(o.addr), "mono"), cell(o.type), cell(String(c.refsAfterUpdate[i]), "num"), cell(String(c.refsAfterSubtract[i]), "num"),
      cell(gone ? "unreachable" : "reachable", gone ? "unreach" : ""),
      cell(resurrected.has(o.id) ? "__del__ called, resurrected" : finalized.has(o.id) ? "__del__ called" : ""),
      cell(freed.has(o.id) ? "freed" : gone ? "kept" : "survives"),
    ].slice(0, phase + 2);
    body.append(el("tr", { className: phase >= 3 && gone ? "garbage" : "" }, ...cells));
  });
  const head = el("tr", {}, ...cols.map((t) => el("th", { textContent: t })));
  const nav = el("div", { className: "phases", role: "group", ariaLabel: "Collection phases" });
  const btn = (text, label, to, disabled) => {
    const b = el("button", { type: "button", textContent: text, disabled, ariaLabel: label });
    b.addEventListener("click", () => go(to));
    return b;
  };
  const play = el("button", { type: "button", textContent: "Play phases" });
  play.addEventListener("click", () => {
    let p = 0;
    go(0);
    const next = () => {
      if (++p >= GC_PHASES.length) return;
      go(p);
      state.gcTimer = setTimeout(next, reduceMotion() ? 2500 : 1200);
    };
    clearTimeout(state.gcTimer);
    state.gcTimer = setTimeout(next, reduceMotion() ? 2500 : 1200);
  });
  nav.append(
    btn("‹", "Previous phase", Math.max(0, phase - 1), phase === 0),
    el("output", { className: "phase-name", textContent: `phase ${phase + 1} of ${GC_PHASES.length}: ${GC_PHASES[phase][0]}`, id: `gc-phase-${k}` }),
    btn("›", "Next phase", Math.min(GC_PHASES.length - 1, phase + 1), phase === GC_PHASES.length - 1),
    play,
  );
  const extra = c.candidates.length > CANDIDATES_SHOWN ? [el("p", { className: "help", textContent: `… and ${c.candidates.length - CANDIDATES_SHOWN} more candidates` })] : [];
  box.replaceChildren(nav, el("p", { className: "help", textContent: GC_PHASES[phase][1] }), el("table", {}, el("thead", {}, head), body), ...extra);
}

function renderSizes(name) {
  const box = $("sizes");
  box.replaceChildren();
  const e = name ? state.sim.explain(name) : null;
  if (!e) return;
  const body = el("tbody");
  for (const p of e.parts) body.append(el("tr", {}, cell(p.label), cell(String(p.bytes), "num"), cell(p.rule, "rule")));
  const head = el("tr", {}, ...["part", "bytes", "rule"].map((t) => el("th", { textContent: t })));
  box.append(el("p", { id: "getsizeof", textContent: `sys.getsizeof(${name}) = ${e.getsizeof} (${e.typeName})` }), el("table", {}, el("thead", {}, head), body));
}

// ---------------------------------------------------------------- the growth staircase

// sys.getsizeof against length, printed by a small program run on the simulator for each profile.
const GROWTH_N = 40;
const GROWTH = {
  list: `x = []\nfor i in range(${GROWTH_N + 1}):\n    print(len(x), sys.getsizeof(x))\n    x.append(i)\n`,
  dict: `x = {}\nfor i in range(${GROWTH_N + 1}):\n    print(len(x), sys.getsizeof(x))\n    x[i] = i\n`,
  set: `x = set()\nfor i in range(${GROWTH_N + 1}):\n    print(len(x), sys.getsizeof(x))\n    x.add(i)\n`,
  tuple: `for n in range(${GROWTH_N + 1}):\n    print(n, sys.getsizeof(tuple(range(n))))\n`,
  str: `for n in range(${GROWTH_N + 1}):\n    print(n, sys.getsizeof('x' * n))\n`,
};

function growthSeries(python, arch, kind) {
  const key = `${python}|${arch}|${kind}`;
  if (!state.growth.has(key)) {
    const sim = new Simulator({ python, arch });
    const r = sim.run("import sys\n" + GROWTH[kind]);
    sim.free();
    state.growth.set(key, r.stdout.trim().split("\n").map((l) => l.split(" ").map(Number)));
  }
  return state.growth.get(key);
}

function drawGrowth() {
  const kind = $("growth-kind").value;
  const series = [{ label: `${$("python").value} ${$("arch").value}`, pts: growthSeries($("python").value, $("arch").value, kind), dash: [] }];
  if ($("cmp").value) {
    const p = profileOf($("cmp").value);
    series.push({ label: `${p.python} ${p.arch}`, pts: growthSeries(p.python, p.arch, kind), dash: [6, 4] });
  }
  const canvas = $("growth");
  const dpr = devicePixelRatio || 1;
  const W = canvas.clientWidth || 640, H = 220;
  canvas.width = W * dpr; canvas.height = H * dpr;
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, W, H);
  const L = 48, R = 10, T = 10, B = 28;
  const maxY = Math.max(...series.flatMap((s) => s.pts.map((p) => p[1])));
  const minY = Math.min(...series.flatMap((s) => s.pts.map((p) => p[1])));
  const lo = Math.max(0, minY - (maxY - minY) * 0.1);
  const x = (n) => L + (n / GROWTH_N) * (W - L - R);
  const y = (v) => T + (1 - (v - lo) / Math.max(1, maxY - lo)) * (H - T - B);
  const fg = css("--fg"), muted = css("--muted"), line = css("--line");
  ctx.strokeStyle = line; ctx.fillStyle = muted; ctx.font = "11px system-ui";
  ctx.beginPath(); ctx.moveTo(L, T); ctx.lineTo(L, H - B); ctx.lineTo(W - R, H - B); ctx.stroke();
  const step = [8, 16, 32, 64, 128, 256, 512, 1024].find((t) => (maxY - lo) / t <= 5) ?? 2048;
  for (let v = Math.ceil(lo / step) * step; v <= maxY; v += step) ctx.fillText(String(v), 4, y(v) + 4);
  for (let n = 0; n <= GROWTH_N; n += 10) ctx.fillText(String(n), x(n) - 4, H - B + 14);
  ctx.fillText("length", W - R - 36, H - 4);
  const colours = [css("--accent"), "#d55e00"];
  series.forEach((s, i) => {
    ctx.strokeStyle = colours[i]; ctx.lineWidth = 2; ctx.setLineDash(s.dash);
    ctx.beginPath();
    s.pts.forEach(([n, v], j) => {
      if (j === 0) ctx.moveTo(x(n), y(v));
      else { ctx.lineTo(x(n), y(s.pts[j - 1][1])); ctx.lineTo(x(n), y(v)); }
    });
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = colours[i]; ctx.fillText(s.label, L + 8, T + 12 + i * 14);
  });
  ctx.lineWidth = 1;
  ctx.fillStyle = fg;
  // The lengths where the size jumps; a container that grows with every item says so instead.
  const steps = (pts) => {
    const jumps = pts.filter((p, j) => j > 0 && p[1] !== pts[j - 1][1]);
    if (jumps.length > pts.length / 2) return `every length, ${jumps[1][1] - jumps[0][1]} bytes per item or so`;
    return jumps.map((p) => `${p[0]}→${p[1]}`).join(", ");
  };
  $("growth-caption").textContent = series.map((s) => `${s.label}: ${s.pts[0][1]} bytes at length 0; grows at ${steps(s.pts) || "never"}`).join(". ") + ".";
}

// ---------------------------------------------------------------- compare

function renderCompare() {
  const a = state.sim, b = state.sim2;
  $("cmp-a").textContent = a.profile;
  $("cmp-b").textContent = b.profile;
  const rows = [];
  const add = (what, x, y) => rows.push([what, x ?? "—", y ?? "—"]);
  const out = (sim, res) => {
    let text = stdoutUpTo(sim, sim.position, sim === a ? state.steps : null);
    if (sim.position === res.steps && res.error) text += `${res.error.type}: ${res.error.message}\n`;
    return text.split("\n").slice(0, -1);
  };
  const oa = out(a, state.result), ob = out(b, state.result2);
  for (let i = Math.max(0, Math.max(oa.length, ob.length) - 40); i < Math.max(oa.length, ob.length); i++) add(`printed line ${i + 1}`, oa[i], ob[i]);
  const sa = state.snap, sb = b.snapshot();
  const pools = (s) => s.arenas.reduce((t, x) => t + x.pools.filter((p) => p.state === "used" || p.state === "full").length, 0);
  add("arenas", String(sa.arenas.length), String(sb.arenas.length));
  add("pools in use", String(pools(sa)), String(pools(sb)));
  add("blocks in use (pymalloc)", sa.hasPymalloc ? String(sa.allocatedBlocks) : "no pymalloc", sb.hasPymalloc ? String(sb.allocatedBlocks) : "no pymalloc");
  add("mapped", sa.mappedBytes.toLocaleString("en") + " B", sb.mappedBytes.toLocaleString("en") + " B");
  if (mode() === "python") {
    const va = a.objects(300), vb = b.objects(300);
    if (va && vb) {
      add("gc.get_count()", va.gc.counts.join(", "), vb.gc.counts.join(", "));
      add("gc.get_threshold()", va.gc.thresholds.join(", "), vb.gc.thresholds.join(", "));
      const find = (v, name) => v.objects.find((o) => o.id === v.names.find((n) => n.name === name)?.id);
      for (const name of [...new Set(va.names.map((n) => n.name))]) {
        const x = find(va, name), y = find(vb, name);
        add(`${name}: type`, x?.typeName, y?.typeName);
        const ea = a.explain(name), eb = b.explain(name);
        add(`${name}: sys.getsizeof`, ea ? String(ea.getsizeof) : undefined, eb ? String(eb.getsizeof) : undefined);
        add(`${name}: refcount`, x ? (x.immortal ? "immortal" : String(x.refcount)) : undefined, y ? (y.immortal ? "immortal" : String(y.refcount)) : undefined);
        add(`${name}: gc generation`, x ? String(x.generation ?? "untracked") : undefined, y ? String(y.generation ?? "untracked") : undefined);
      }
    }
  }
  $("compare").tBodies[0].replaceChildren(...rows.map(([what, x, y]) => {
    const diff = x !== y;
    const tr = el("tr", { className: diff ? "diff" : "" }, cell(what), cell(x, "mono"), cell(y, "mono"));
    if (diff) tr.lastChild.prepend(el("span", { className: "diff-mark", textContent: "≠ ", ariaLabel: "differs: " }));
    return tr;
  }));
}

// ---------------------------------------------------------------- the arena map

// Geometry: one row of HEADER per arena, then its pools in rows of POOL_COLS squares of poolPx.
function geometry(s) {
  const wrap = $("map-wrap");
  const width = Math.max(300, wrap.clientWidth - 2);
  const poolPx = Math.max(14, Math.min(44, Math.floor((width - GAP) / POOL_COLS) - GAP));
  const rows = Math.ceil(s.poolsPerArenaSlot / POOL_COLS);
  const arenaH = HEADER + rows * (poolPx + GAP) + GAP;
  return { width, poolPx, rows, arenaH, G: Math.ceil(Math.sqrt(Math.max(1, s.stride))), total: Math.max(60, s.arenas.length * arenaH + GAP) };
}

const poolXY = (g, ai, k) => [GAP + (k % POOL_COLS) * (g.poolPx + GAP), ai * g.arenaH + HEADER + Math.floor(k / POOL_COLS) * (g.poolPx + GAP)];

// The blocks that changed since the last step shown: new (never used before), reused (from a free list),
// freed; plus blocks this statement allocated and freed again, from its events.
function diffBlocks(s, blocks) {
  const out = [];
  const prev = state.prev;
  const LIMIT = 20000;
  if (prev && prev.python === s.python && prev.stride === s.stride) {
    const n = Math.min(prev.blocks.length, blocks.length);
    for (let i = 0; i < n && out.length < LIMIT; i++) {
      const a = prev.blocks[i], b = blocks[i];
      if (a === b) continue;
      const kind = b === 2 ? (a === 0 ? "new" : "reused") : a === 2 ? "freed" : null;
      if (kind) out.push({ i, kind });
    }
    for (let i = n; i < blocks.length && out.length < LIMIT; i++) if (blocks[i] === 2) out.push({ i, kind: "new" });
  }
  return out;
}

function drawMap(stepChanged) {
  const s = state.snap;
  const canvas = $("map");
  const ctx = canvas.getContext("2d");
  if (!s.hasPymalloc) {
    $("map-space").style.height = "0px";
    return drawRaw(ctx, canvas, s);
  }
  const g = geometry(s);
  state.geom = g;
  const wrap = $("map-wrap");
  const viewH = Math.min(g.total, Math.max(120, parseFloat(getComputedStyle(wrap).maxHeight) || 400));
  const dpr = devicePixelRatio || 1;
  if (canvas.width !== Math.round(g.width * dpr) || canvas.height !== Math.round(viewH * dpr)) {
    canvas.width = Math.round(g.width * dpr);
    canvas.height = Math.round(viewH * dpr);
    canvas.style.width = `${g.width}px`;
    canvas.style.height = `${viewH}px`;
  }
  $("map-space").style.height = `${g.total - viewH}px`;
  // Taken after snapshot(): any call into wasm may grow its memory and detach the view.
  const blocks = state.sim.blocks();
  if (stepChanged) {
    const key = { python: s.python, stride: s.stride };
    state.flashes = diffBlocks(s, blocks);
    state.prev = { ...key, blocks: blocks.slice() };
    state.flashT0 = performance.now();
  }
  paint(ctx, s, g, blocks, viewH, dpr);
  if (stepChanged && state.flashes.length && !reduceMotion()) requestAnimationFrame(fade);
}

const FLASH_MS = 900;
function fade() {
  if (!state.snap?.hasPymalloc) return;
  const t = performance.now() - state.flashT0;
  const s = state.snap, g = state.geom, canvas = $("map");
  paint(canvas.getContext("2d"), s, g, state.sim.blocks(), canvas.height / (devicePixelRatio || 1), devicePixelRatio || 1);
  if (t < FLASH_MS) requestAnimationFrame(fade);
}

// Draws the arenas in view (the canvas is as tall as the scroll box, not the heap): each frame costs the
// pools on screen, whatever the heap's size. Returns the time taken, for the performance script.
function paint(ctx, s, g, blocks, viewH, dpr) {
  const t0 = performance.now();
  const scroll = $("map-wrap").scrollTop;
  ctx.setTransform(dpr, 0, 0, dpr, 0, -scroll * dpr);
  ctx.clearRect(0, scroll, g.width, viewH);
  const bg = rgb(css("--bg"));
  const fg = css("--fg"), muted = css("--muted"), line = css("--line");
  if (s.arenas.length === 0) {
    ctx.fillStyle = muted;
    ctx.font = "13px system-ui";
    ctx.fillText("No arenas yet: the first request of 1–512 bytes maps one.", 10, 30);
    return 0;
  }
  const G = g.G;
  const off = state.off?.width === G ? state.off : (state.off = new OffscreenCanvas(G, G));
  const octx = off.getContext("2d");
  const img = octx.createImageData(G, G);
  const px = new Uint32Array(img.data.buffer);
  const nClasses = s.classSizes.length;
  const pack = (c, a = 255) => (a << 24) | (c[2] << 16) | (c[1] << 8) | c[0];
  ctx.imageSmoothingEnabled = false;
  const first = Math.max(0, Math.floor(scroll / g.arenaH));
  const last = Math.min(s.arenas.length - 1, Math.floor((scroll + viewH) / g.arenaH));
  for (let ai = first; ai <= last; ai++) {
    const a = s.arenas[ai];
    const y0 = ai * g.arenaH;
    ctx.fillStyle = fg;
    ctx.font = "12px ui-monospace, monospace";
    ctx.fillText(`arena ${a.slot} @ ${hex(a.address)} · ${a.ntotalpools - a.nfreepools}/${a.ntotalpools} pools used`, GAP, y0 + 13);
    for (let k = 0; k < s.poolsPerArenaSlot; k++) {
      const [x, y] = poolXY(g, ai, k);
      const p = a.pools[k];
      if (!p) {
        // Lost to alignment: the arena base was not pool-aligned.
        ctx.strokeStyle = line;
        ctx.beginPath(); ctx.moveTo(x, y + g.poolPx); ctx.lineTo(x + g.poolPx, y); ctx.stroke();
        continue;
      }
      if (p.state === "uncarved") {
        ctx.setLineDash([3, 3]); ctx.strokeStyle = line; ctx.strokeRect(x + .5, y + .5, g.poolPx - 1, g.poolPx - 1); ctx.setLineDash([]);
        continue;
      }
      const col = classColour(p.sizeClass, nClasses);
      const used = pack(col), free = pack(mix(col, bg, 0.55)), virgin = pack(mix(col, bg, 0.9));
      const base = (a.slot * s.poolsPerArenaSlot + k) * s.stride;
      for (let b = 0; b < G * G; b++) {
        const st = b < p.capacity ? blocks[base + b] : 3;
        px[b] = st === 2 ? used : st === 1 ? free : st === 0 ? virgin : 0;
      }
      octx.putImageData(img, 0, 0);
      ctx.drawImage(off, 0, 0, G, G, x, y, g.poolPx, g.poolPx);
      if (p.state === "empty") { ctx.fillStyle = "#8888"; ctx.fillRect(x, y, g.poolPx, g.poolPx); }
      ctx.strokeStyle = line; ctx.strokeRect(x + .5, y + .5, g.poolPx - 1, g.poolPx - 1);
    }
  }
  // Flashes fade out (or stay, under reduced motion); the chosen pool and event stay marked.
  const t = performance.now() - state.flashT0;
  const alpha = reduceMotion() ? 1 : Math.max(0, 1 - t / FLASH_MS);
  const cellPx = g.poolPx / G;
  const slotIndex = new Map(s.arenas.map((a, i) => [a.slot, i]));
  const perArena = s.poolsPerArenaSlot * s.stride;
  const mark = (slot, k, b, colour, w) => {
    const ai = slotIndex.get(slot);
    if (ai === undefined || ai < first || ai > last) return;
    const [x, y] = poolXY(g, ai, k);
    ctx.strokeStyle = colour; ctx.lineWidth = w;
    ctx.strokeRect(x + (b % G) * cellPx - 1.5, y + Math.floor(b / G) * cellPx - 1.5, cellPx + 3, cellPx + 3);
    ctx.lineWidth = 1;
  };
  if (alpha > 0) {
    ctx.globalAlpha = alpha;
    for (const f of state.flashes) {
      const slot = Math.floor(f.i / perArena), r = f.i % perArena;
      mark(slot, Math.floor(r / s.stride), r % s.stride, FLASH[f.kind], 2);
    }
    ctx.globalAlpha = 1;
  }
  const e = state.ev >= 0 ? state.cur?.events[state.ev] : null;
  if (e?.loc) mark(e.loc.arena, e.loc.pool, e.loc.block, FLASH.event, 3);
  if (state.sel) {
    const ai = slotIndex.get(state.sel.arena);
    if (ai !== undefined && ai >= first && ai <= last) {
      const [x, y] = poolXY(g, ai, state.sel.pool);
      ctx.strokeStyle = css("--accent"); ctx.lineWidth = 3;
      ctx.strokeRect(x - 2, y - 2, g.poolPx + 4, g.poolPx + 4);
      ctx.lineWidth = 1;
    }
  }
  const dt = performance.now() - t0;
  state.lastPaint = dt;
  return dt;
}

// wasm32: no pymalloc; chunks of the malloc region laid out by address, wrapping every row.
function drawRaw(ctx, canvas, s) {
  const fg = css("--fg"), muted = css("--muted");
  const width = Math.max(300, $("map-wrap").clientWidth - 2);
  const chunks = s.chunks;
  const span = chunks.length ? chunks[chunks.length - 1].address + chunks[chunks.length - 1].size - chunks[0].address : 0;
  const perPx = Math.max(1, Math.ceil(span / (width * 6)));
  const rowH = 14;
  const rows = Math.max(1, Math.ceil(span / perPx / width));
  canvas.width = width;
  canvas.height = 30 + rows * (rowH + 4);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${canvas.height}px`;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
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

// The pool under a point of the map, and the block under it.
function hit(ev) {
  const s = state.snap, g = state.geom;
  if (!s?.hasPymalloc || !g || !s.arenas.length) return null;
  const r = $("map").getBoundingClientRect();
  const mx = ev.clientX - r.left, my = ev.clientY - r.top + $("map-wrap").scrollTop;
  const ai = Math.floor(my / g.arenaH);
  const a = s.arenas[ai];
  const py = my - ai * g.arenaH - HEADER;
  const col = Math.floor((mx - GAP) / (g.poolPx + GAP)), row = Math.floor(py / (g.poolPx + GAP));
  const k = row * POOL_COLS + col;
  const p = a?.pools[k];
  if (!p || py < 0 || col < 0 || col >= POOL_COLS) return null;
  const lx = mx - GAP - col * (g.poolPx + GAP), ly = py - row * (g.poolPx + GAP);
  if (lx > g.poolPx || ly > g.poolPx) return null;
  const b = Math.floor(ly / (g.poolPx / g.G)) * g.G + Math.floor(lx / (g.poolPx / g.G));
  return { a, k, p, b, mx, my: my - $("map-wrap").scrollTop };
}

const blockAddress = (p, b) => p.address + state.snap.poolOverhead + b * p.blockSize;

function ownerText(p, b) {
  if (mode() !== "python" || b < 0 || b >= p.capacity) return "";
  const o = state.sim.blockOwner(blockAddress(p, b));
  if (!o) return "";
  if (!o.object) return `\nholds a dead object kept on the ${o.part}`;
  const x = o.object;
  return `\n${o.part === "object" ? "" : `the ${o.part} of `}${x.typeName} ${x.label} @ ${hex(x.address)} · refcount ${x.immortal ? "immortal" : x.refcount}`;
}

function hover(ev) {
  const tip = $("tip");
  const h = hit(ev);
  if (!h) { tip.hidden = true; return; }
  const { a, k, p, b } = h;
  let text = `arena ${a.slot}, pool ${k} @ ${hex(p.address)}\n`;
  if (p.state === "uncarved") text += "not yet carved from the arena";
  else {
    text += `${p.state} · class ${p.sizeClass} (${p.blockSize}-byte blocks) · ${p.count}/${p.capacity} in use\n`;
    text += `freeblock → ${p.freeList.length ? "#" + p.freeList.slice(0, 6).join(" → #") + (p.freeList.length > 6 ? " …" : "") : "NULL"} · nextoffset ${p.nextoffset}`;
    if (b >= 0 && b < p.capacity) {
      const st = state.sim.blocks()[(a.slot * state.snap.poolsPerArenaSlot + k) * state.snap.stride + b];
      text += `\nblock ${b} @ ${hex(blockAddress(p, b))}: ${["untouched", "free", "in use"][st]}` + ownerText(p, b);
    }
  }
  tip.textContent = text;
  tip.hidden = false;
  const r = $("map-wrap").getBoundingClientRect();
  tip.style.left = Math.max(0, Math.min(h.mx + 14, r.width - 300)) + "px";
  tip.style.top = h.my + $("map-wrap").scrollTop + 14 + "px";
}

function choosePool(sel) {
  state.sel = sel;
  state.zblock = undefined;
  drawMap(false);
  renderZoom();
  saveHash();
}

// The chosen pool, block by block: state, the free list's order (1 = freeblock, the next malloc's block)
// and the bump pointer (nextoffset: the first block never handed out).
const ZCOLS = 32;
function renderZoom() {
  const s = state.snap;
  const box = $("zoom-box");
  const a = state.sel && s.hasPymalloc ? s.arenas.find((x) => x.slot === state.sel.arena) : null;
  const p = a?.pools[state.sel.pool];
  if (!p) { box.hidden = true; return; }
  box.hidden = false;
  $("zoom-title").textContent = `arena ${a.slot}, pool ${state.sel.pool} @ ${hex(p.address)}`;
  const canvas = $("zoom");
  const ctx = canvas.getContext("2d");
  if (p.state === "uncarved") {
    $("zoom-info").textContent = "This pool has not been carved from the arena yet.";
    canvas.height = 0;
    $("zoom-owner").textContent = "";
    return;
  }
  const bump = Math.floor((p.nextoffset - s.poolOverhead) / p.blockSize);
  $("zoom-info").textContent = `${p.state} pool of size class ${p.sizeClass} (${p.blockSize}-byte blocks): ${p.count} of ${p.capacity} blocks in use. ` +
    `Free list (numbered, freeblock first): ${p.freeList.length ? p.freeList.map((b) => "#" + b).slice(0, 12).join(" → ") + (p.freeList.length > 12 ? " …" : "") : "empty"}. ` +
    `nextoffset ${p.nextoffset} (block #${bump}${bump >= p.capacity ? ", past the last: the pool is fully carved" : ""}).`;
  const width = Math.min(640, Math.max(280, $("v-map").clientWidth - 20));
  const cols = Math.min(ZCOLS, p.capacity);
  const cellPx = Math.floor(width / cols);
  const rows = Math.ceil(p.capacity / cols);
  const dpr = devicePixelRatio || 1;
  canvas.width = cols * cellPx * dpr; canvas.height = rows * cellPx * dpr;
  canvas.style.width = `${cols * cellPx}px`; canvas.style.height = `${rows * cellPx}px`;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const col = classColour(p.sizeClass, s.classSizes.length), bg = rgb(css("--bg"));
  const blocks = state.sim.blocks();
  const base = (a.slot * s.poolsPerArenaSlot + state.sel.pool) * s.stride;
  const order = new Map(p.freeList.map((b, i) => [b, i + 1]));
  const e = state.ev >= 0 ? state.cur?.events[state.ev] : null;
  ctx.font = `${Math.max(8, Math.min(11, cellPx / 2.2))}px ui-monospace, monospace`;
  ctx.textAlign = "center";
  for (let b = 0; b < p.capacity; b++) {
    const x = (b % cols) * cellPx, y = Math.floor(b / cols) * cellPx;
    const st = blocks[base + b];
    const c = st === 2 ? col : st === 1 ? mix(col, bg, 0.55) : mix(col, bg, 0.9);
    ctx.fillStyle = `rgb(${c})`;
    ctx.fillRect(x + 1, y + 1, cellPx - 2, cellPx - 2);
    if (order.has(b)) {
      ctx.fillStyle = css("--fg");
      ctx.fillText(String(order.get(b)), x + cellPx / 2, y + cellPx / 2 + 4);
    }
    if (b === bump) {
      ctx.strokeStyle = css("--err"); ctx.lineWidth = 2;
      ctx.beginPath(); ctx.moveTo(x + 1, y); ctx.lineTo(x + 1, y + cellPx); ctx.stroke();
      ctx.lineWidth = 1;
    }
    if (e?.loc && e.loc.arena === a.slot && e.loc.pool === state.sel.pool && e.loc.block === b) {
      ctx.strokeStyle = FLASH.event; ctx.lineWidth = 3; ctx.strokeRect(x + 1.5, y + 1.5, cellPx - 3, cellPx - 3); ctx.lineWidth = 1;
    }
  }
  ctx.textAlign = "start";
  state.zoom = { p, cols, cellPx };
}

function zoomPick(ev) {
  const z = state.zoom;
  if (!z) return;
  const r = $("zoom").getBoundingClientRect();
  showBlock(Math.floor((ev.clientY - r.top) / z.cellPx) * z.cols + Math.floor((ev.clientX - r.left) / z.cellPx));
}

// The block's address, state and owner, for pointer and keyboard alike (the zoom takes focus; arrows move).
function showBlock(b) {
  const z = state.zoom;
  if (!z || b < 0 || b >= z.p.capacity) return;
  state.zblock = b;
  const s = state.snap;
  const a = s.arenas.find((x) => x.slot === state.sel.arena);
  const st = state.sim.blocks()[(a.slot * s.poolsPerArenaSlot + state.sel.pool) * s.stride + b];
  $("zoom-owner").textContent = `block #${b} @ ${hex(blockAddress(z.p, b))} (${["untouched", "free", "in use"][st]})` + (ownerText(z.p, b).replace("\n", ": ") || "");
  const ctx = $("zoom").getContext("2d");
  renderZoom();
  ctx.strokeStyle = css("--accent"); ctx.lineWidth = 2;
  ctx.strokeRect((b % z.cols) * z.cellPx + 1, Math.floor(b / z.cols) * z.cellPx + 1, z.cellPx - 2, z.cellPx - 2);
  ctx.lineWidth = 1;
}

function zoomKeys(e) {
  const z = state.zoom;
  const moves = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -(z?.cols ?? 0), ArrowDown: z?.cols ?? 0 };
  if (!z || !(e.key in moves)) return;
  e.preventDefault();
  e.stopPropagation();
  showBlock(Math.max(0, Math.min(z.p.capacity - 1, (state.zblock ?? -1) < 0 ? 0 : state.zblock + moves[e.key])));
}

function mapKeys(e) {
  const s = state.snap;
  if (!s?.hasPymalloc || !s.arenas.length) return;
  const moves = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -POOL_COLS, ArrowDown: POOL_COLS };
  if (!(e.key in moves)) return;
  e.preventDefault();
  e.stopPropagation();
  const per = s.poolsPerArenaSlot;
  const flat = state.sel ? Math.max(0, s.arenas.findIndex((a) => a.slot === state.sel.arena)) * per + state.sel.pool : -1;
  const next = Math.max(0, Math.min(s.arenas.length * per - 1, flat < 0 ? 0 : flat + moves[e.key]));
  const ai = Math.floor(next / per);
  choosePool({ arena: s.arenas[ai].slot, pool: next % per });
  const g = state.geom, wrap = $("map-wrap");
  const y = poolXY(g, ai, next % per)[1];
  if (y < wrap.scrollTop || y + g.poolPx > wrap.scrollTop + wrap.clientHeight) wrap.scrollTop = y - wrap.clientHeight / 3;
}

// ---------------------------------------------------------------- start

async function main() {
  await init();
  const p = profiles();
  const pythons = [...p.versions.map((v) => [v.series, `${v.series} (${v.release})`]), ["3.7.3", "3.7.3 (exact release)"], ["3.14.2", "3.14.2 (exact release)"]];
  for (const [v, label] of pythons) $("python").add(new Option(label, v, false, v === p.defaultPython));
  for (const a of p.arches) $("arch").add(new Option(a, a));
  for (const a of p.arenaAligns) $("align").add(new Option(a, a));
  for (const [v] of pythons) for (const a of p.arches) $("cmp").add(new Option(`${v} ${a}`, `${v}|${a}`));
  editor = createEditor($("editor"), { id: "code", label: "Program", help: "code-help" });
  const h = readHash();
  for (const k of ["mode", "python", "arch", "align", "cmp"]) {
    if (h[k] && [...$(k).options].some((o) => o.value === h[k])) $(k).value = h[k];
  }
  if (h.views !== undefined) {
    const open = new Set(h.views.split(",").map((v) => `v-${v}`));
    for (const v of VIEWS) $(v).open = open.has(v);
  }
  if (h.pool) {
    const [arena, pool] = h.pool.split(".").map(Number);
    if (Number.isInteger(arena) && Number.isInteger(pool)) state.sel = { arena, pool };
  }
  const setMode = () => {
    $("code-title").textContent = mode() === "python" ? "Python program" : "Allocator script";
    $("code-help").textContent = $("code-help").dataset[mode()];
    editor.setLanguage(mode() === "python" ? "python" : "plain");
  };
  setMode();
  editor.setValue(h.code ?? localStorage.getItem(STORE[mode()]) ?? EXAMPLES[mode()]);
  editor.onRun(() => { pause(); run(); });
  let saving;
  editor.onChange(() => {
    clearTimeout(saving);
    saving = setTimeout(() => { localStorage.setItem(STORE[mode()], editor.value); saveHash(); }, 300);
  });
  for (const id of ["python", "arch", "align", "cmp"]) $(id).addEventListener("change", () => { pause(); newSimulator(); run(); });
  $("mode").addEventListener("change", () => {
    pause();
    setMode();
    editor.setValue(localStorage.getItem(STORE[mode()]) ?? EXAMPLES[mode()]);
    state.sel = null;
    run();
  });
  $("run").addEventListener("click", () => { pause(); run(); });
  $("play").addEventListener("click", play);
  $("scrub").addEventListener("input", () => { pause(); seek(+$("scrub").value); });
  $("explain-name").addEventListener("change", () => renderSizes((state.explain = $("explain-name").value)));
  $("growth-kind").addEventListener("change", drawGrowth);
  $("back").addEventListener("click", () => seek(state.sim.position - 1));
  $("fwd").addEventListener("click", () => seek(state.sim.position + 1));
  $("first").addEventListener("click", () => seek(0));
  $("last").addEventListener("click", () => seek(state.result?.steps ?? 0));
  $("ev-back").addEventListener("click", () => stepEvent(-1));
  $("ev-fwd").addEventListener("click", () => stepEvent(1));
  for (const v of VIEWS) $(v).addEventListener("toggle", () => { if (state.result) render(); });
  document.addEventListener("keydown", (e) => {
    const t = e.target;
    if (t instanceof HTMLSelectElement || t instanceof HTMLInputElement || t?.isContentEditable) return;
    const moves = { ArrowLeft: -1, ArrowRight: 1 };
    const handled = () => e.preventDefault();
    if (e.key in moves) { handled(); seek(state.sim.position + moves[e.key]); }
    else if (e.key === "Home") { handled(); seek(0); }
    else if (e.key === "End") { handled(); seek(state.result?.steps ?? 0); }
    else if (e.key === "[") stepEvent(-1);
    else if (e.key === "]") stepEvent(1);
    else if (e.key === " " && !(t instanceof HTMLButtonElement) && !(t instanceof HTMLElement && t.tagName === "SUMMARY")) { e.preventDefault(); play(); }
  });
  const map = $("map");
  map.addEventListener("mousemove", hover);
  map.addEventListener("mouseleave", () => ($("tip").hidden = true));
  map.addEventListener("click", (ev) => { const h = hit(ev); if (h) { choosePool({ arena: h.a.slot, pool: h.k }); hover(ev); } });
  $("map-wrap").addEventListener("scroll", () => requestAnimationFrame(() => state.snap && state.geom && drawMap(false)));
  $("map-wrap").addEventListener("keydown", mapKeys);
  $("zoom").addEventListener("click", zoomPick);
  $("zoom").addEventListener("keydown", zoomKeys);
  addEventListener("resize", () => state.result && render());
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => state.result && render());
  newSimulator();
  run(h.step === undefined ? undefined : Number(h.step));
  if (h.ev !== undefined) stepEvent(Number(h.ev) + 1);
  document.body.dataset.ready = "true";
}

// For scripts/page-perf.mjs: how long painting the map's visible arenas takes, and a step's whole render.
window.pymemsimPerf = {
  paint() {
    const c = $("map");
    return paint(c.getContext("2d"), state.snap, state.geom, state.sim.blocks(), c.height / (devicePixelRatio || 1), devicePixelRatio || 1);
  },
  scrollMap(y) { $("map-wrap").scrollTop = y; return this.paint(); },
  render() { const t0 = performance.now(); render(); return performance.now() - t0; },
};

main().catch((e) => {
  $("console").textContent = `The simulator failed to load: ${e}`;
  console.error(e);
});
