// The tutorial: chapters whose snippets run on the wasm Simulator for the chosen CPython profile and for
// CPython 3.7.3 (the version the 2019 article measured). No CPython rule lives here: every number shown is read
// from the API (stdout, snapshot(), report(), explain(), collections()). The chapter text is static HTML; spans
// with class "fill" name a snippet, a profile and what to read from its run.
// The fragment holds python, arch and chapter, e.g. #python=3.13&arch=wasm32&chapter=2.
import init, { Simulator, profiles } from "./pkg/pymemsim.js";
import { encodeCode } from "./fragment.js";

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];
const ARTICLE = { python: "3.7.3", arch: "x86_64" };
const EXACT = ["3.7.3", "3.14.2"]; // exact releases offered besides each series' latest, as the simulator page does
const state = { chosen: null, chapter: 1, snippets: new Map(), runs: new Map(), labels: new Map() };

// ------------------------------------------------------------------ running snippets

// A snippet: its source (the <pre>'s text), mode ("python" or "malloc") and the globals to explain().
function collectSnippets() {
  for (const pre of $$("pre.snippet[data-snippet]")) {
    state.snippets.set(pre.dataset.snippet, {
      id: pre.dataset.snippet,
      title: pre.dataset.title || pre.dataset.snippet,
      mode: pre.dataset.mode || "python",
      code: pre.textContent.replace(/\s+$/, "") + "\n",
      explain: (pre.dataset.explain || "").split(",").filter(Boolean),
    });
  }
}

// Everything the page reads from one run, captured at the end of the run; cached by snippet and profile.
function run(snippet, profile) {
  const key = `${snippet.id}|${snippet.code}|${profile.python}|${profile.arch}`;
  if (state.runs.has(key)) return state.runs.get(key);
  const sim = new Simulator({ python: profile.python, arch: profile.arch });
  let out;
  try {
    const r = snippet.mode === "malloc" ? sim.runMalloc(snippet.code) : sim.run(snippet.code);
    out = {
      profile: sim.profile, python: profile.python, arch: profile.arch,
      stdout: r.stdout, stderr: r.stderr, error: r.error, steps: r.steps,
      snap: sim.snapshot(), report: sim.report(), explain: {},
      collections: snippet.mode === "python" ? sim.collections() : [],
    };
    for (const name of snippet.explain) out.explain[name] = sim.explain(name);
  } finally {
    sim.free();
  }
  state.runs.set(key, out);
  return out;
}

// Profile names in fills: "chosen", "article", or "3.10" / "3.12/wasm32" (x86_64 unless given).
function profileOf(spec) {
  if (spec === "chosen") return state.chosen;
  if (spec === "article") return ARTICLE;
  const [python, arch = "x86_64"] = spec.split("/");
  return { python, arch };
}

const NONE = null; // what a pick returns when the run has no such thing (e.g. no pymalloc on wasm32)

// Reads one value out of a run: the small vocabulary the HTML uses in data-pick / data-answer.
function pick(r, what) {
  const [kind, a, b] = what.split(":");
  const lines = r.stdout.split("\n");
  const pools = () => r.snap.arenas.flatMap((ar) => ar.pools).filter((p) => p.count > 0);
  switch (kind) {
    case "line": return lines[+a - 1] ?? NONE;
    case "field": return (lines[+a - 1] ?? "").trim().split(/\s+/)[+b - 1] ?? NONE;
    case "version": return /CPython (\S+)/.exec(r.profile)?.[1] ?? NONE;
    case "snap": return r.snap.hasPymalloc || a === "poolsPerArenaSlot" ? r.snap[a] : NONE;
    case "classes": return r.snap.hasPymalloc ? r.snap.classSizes.length : NONE;
    case "pools": return r.snap.hasPymalloc && r.snap.arenas.length ? r.snap.arenas[0].ntotalpools : NONE;
    case "threshold": return /Small block threshold = (\d+)/.exec(r.stderr || r.report)?.[1] ?? NONE;
    case "block": return pools()[0]?.blockSize ?? NONE;
    case "class": return pools()[0]?.sizeClass ?? NONE;
    case "chunk": return r.snap.chunks[0]?.size ?? NONE;
    case "explain": {
      const part = r.explain[a]?.parts.find((p) => p.label.includes(b));
      return part ? part.bytes : NONE;
    }
    case "rule": return r.explain[a]?.parts.find((p) => p.label.includes(b))?.rule ?? NONE;
    case "unreachable": {
      const c = r.collections.find((x) => x.reason === "manual") ?? r.collections[0];
      if (!c) return NONE;
      const types = c.candidates.filter((o) => c.unreachable.includes(o.id)).map((o) => o.type);
      return types.length ? types.join(", ") : "nothing";
    }
    default: throw new Error(`unknown pick ${what}`);
  }
}

const fmt = (v) => (v === NONE ? "—" : typeof v === "number" ? v.toLocaleString("en") : String(v));

// ------------------------------------------------------------------ fills, labels, links

function fillAll() {
  for (const el of $$(".fill")) {
    const s = state.snippets.get(el.dataset.snippet);
    try {
      const v = pick(run(s, profileOf(el.dataset.run)), el.dataset.pick);
      el.textContent = fmt(v);
    } catch (e) {
      el.textContent = "?";
      console.warn(e);
    }
  }
}

// The simulator page's fragment, in the order its saveHash writes it.
function simulatorLink(snippet, profile) {
  const steps = run(snippet, profile).steps;
  const q = new URLSearchParams({ mode: snippet.mode, python: profile.python, arch: profile.arch, align: "page", step: String(steps), code: encodeCode(snippet.code) });
  return "index.html#" + q;
}

function updateLinks() {
  for (const ex of $$(".exercise")) {
    const s = state.snippets.get(ex.dataset.snippet);
    const p = $(".open", ex);
    const main = document.createElement("a");
    main.href = simulatorLink(s, state.chosen);
    main.className = "open-link";
    main.textContent = "Open in the simulator";
    main.setAttribute("aria-label", `Open “${s.title}” in the simulator on ${label(state.chosen)}`);
    const old = document.createElement("a");
    old.href = simulatorLink(s, ARTICLE);
    old.className = "open-article";
    old.textContent = "on 3.7.3";
    old.setAttribute("aria-label", `Open “${s.title}” in the simulator on ${label(ARTICLE)}`);
    p.replaceChildren(main, " · ", old);
  }
}

function label(profile) {
  return state.labels.get(`${profile.python}|${profile.arch}`) ?? `CPython ${profile.python} on ${profile.arch}`;
}

function updateLabels() {
  for (const p of [state.chosen, ARTICLE]) {
    const key = `${p.python}|${p.arch}`;
    if (!state.labels.has(key)) {
      const sim = new Simulator(p);
      state.labels.set(key, sim.profile);
      sim.free();
    }
  }
  for (const el of $$(".v-chosen")) el.textContent = label(state.chosen);
  for (const el of $$(".v-article")) el.textContent = label(ARTICLE);
  for (const el of $$(".h-chosen")) el.textContent = label(state.chosen);
  for (const el of $$(".h-article")) el.textContent = `${label(ARTICLE)} (2019 article)`;
  $("#profile-desc").textContent = `Your version: ${label(state.chosen)}. Compared with ${label(ARTICLE)}, the version the 2019 article measured.`;
}

// ------------------------------------------------------------------ exercises

function parseGuess(text) {
  let t = text.trim().toLowerCase().replace(/\s+/g, "");
  if (/^\d{1,3}(,\d{3})+$/.test(t)) t = t.replace(/,/g, "");
  const m = /^(\d+(?:\.\d+)?)(k|kb|kib|m|mb|mib)?$/.exec(t);
  if (m) return Number(m[1]) * ({ k: 1024, kb: 1024, kib: 1024, m: 1048576, mb: 1048576, mib: 1048576 }[m[2]] ?? 1);
  return t.replace(/[()[\]]/g, "");
}

function sameAnswer(guess, answer) {
  const g = parseGuess(guess);
  if (answer === NONE) return ["none", "no", "0", "-", "—", "n/a"].includes(String(g));
  const a = parseGuess(String(answer));
  return g === a;
}

// Before 3.12 the simulator gives objects made at start-up a nominal count (their real count depends on
// everything start-up did); immortal counts, which it reports exactly, are all at least 2**30 - 1 (the
// smallest is 3.12's on 32-bit builds), far above any count a snippet can build up.
const NOMINAL_NOTE = "not modelled: an ordinary count that depends on CPython's start-up";
const nominal = (ex, v) => ex.dataset.nominal === "true" && v !== NONE && Number(v) < 2 ** 30 - 1;

function renderCell(td, ex, r, what) {
  let v;
  try {
    v = r.error ? NONE : pick(r, what);
  } catch (e) {
    v = NONE;
  }
  td.dataset.value = v === NONE ? "" : String(v);
  if (r.error) td.textContent = `${r.error.type}: ${r.error.message}`;
  else if (nominal(ex, v)) td.textContent = NOMINAL_NOTE;
  else if (v === NONE && (what.startsWith("snap") || ["classes", "pools", "threshold", "block", "class"].includes(what)) && !r.snap.hasPymalloc) td.textContent = "— (no pymalloc)";
  else td.textContent = fmt(v);
  return v;
}

function reveal(ex, announce = false) {
  const s = state.snippets.get(ex.dataset.snippet);
  const mine = run(s, state.chosen);
  const old = run(s, ARTICLE);
  const res = $(".result", ex);
  for (const tr of $$("tbody tr[data-pick]", res)) {
    renderCell($("td[data-col=chosen]", tr), ex, mine, tr.dataset.pick);
    renderCell($("td[data-col=article]", tr), ex, old, tr.dataset.pick);
  }
  let answer;
  try { answer = mine.error ? NONE : pick(mine, ex.dataset.answer); } catch { answer = NONE; }
  const shown = mine.error ? `an error, ${mine.error.type}: ${mine.error.message}`
    : nominal(ex, answer) ? NOMINAL_NOTE
    : answer === NONE && !mine.snap.hasPymalloc ? "none: pymalloc is compiled out"
    : fmt(answer);
  const guess = $(".guess", ex).value;
  const verdict = $(".verdict", res);
  verdict.replaceChildren();
  const mark = document.createElement("span");
  mark.setAttribute("aria-hidden", "true");
  if (!guess.trim()) {
    verdict.className = "verdict";
    verdict.append(`${label(state.chosen)} gives ${shown}.`);
  } else if (!nominal(ex, answer) && sameAnswer(guess, answer)) {
    verdict.className = "verdict right";
    mark.textContent = "✓ ";
    verdict.append(mark, `Right: ${label(state.chosen)} gives ${shown}.`);
  } else {
    verdict.className = "verdict wrong";
    mark.textContent = "✗ ";
    verdict.append(mark, `Not quite: you predicted ${guess.trim()}; ${label(state.chosen)} gives ${shown}.`);
  }
  for (const box of $$(".extra", res)) renderExtra(box, ex, s, mine, old);
  if (res.hidden) {
    // A short fade when the answer first appears (none under prefers-reduced-motion: see tutorial.css).
    res.classList.add("appear");
    res.addEventListener("animationend", () => res.classList.remove("appear"), { once: true });
  }
  res.hidden = false;
  ex.dataset.revealed = "true";
  if (announce) {
    // One live region for the whole page: it exists before the answer appears, so screen readers hear it.
    const live = $("#announce");
    live.textContent = "";
    requestAnimationFrame(() => { live.textContent = verdict.textContent; });
  }
  $(".reveal", ex).setAttribute("aria-expanded", "true");
}

function table(head, rows, cls) {
  const t = document.createElement("table");
  if (cls) t.className = cls;
  const thead = t.createTHead().insertRow();
  for (const h of head) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = h;
    thead.append(th);
  }
  const body = t.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    row.forEach((c, i) => {
      const cell = document.createElement(i === 0 ? "th" : "td");
      if (i === 0) cell.scope = "row";
      if (c instanceof Node) cell.append(c); else cell.textContent = c;
      if (typeof c === "number") cell.className = "num";
      tr.append(cell);
    });
  }
  return t;
}

function outputBlock(title, r) {
  const fig = document.createElement("figure");
  const cap = document.createElement("figcaption");
  cap.textContent = title;
  const pre = document.createElement("pre");
  pre.textContent = (r.stdout + (r.stderr ? r.stderr : "")) || "(nothing)";
  fig.append(cap, pre);
  return fig;
}

function renderExtra(box, ex, s, mine, old) {
  box.replaceChildren();
  const pair = document.createElement("div");
  pair.className = "pair";
  switch (box.dataset.kind) {
    case "note": {
      // The simulator's own words when the profile has no pymalloc.
      if (!mine.snap.note) return;
      const p = document.createElement("p");
      p.className = "note";
      p.textContent = `${label(state.chosen)}: ${mine.snap.note}`;
      box.append(p);
      return;
    }
    case "stderr": {
      const d = document.createElement("details");
      const sum = document.createElement("summary");
      sum.textContent = "What the snippet printed (sys._debugmallocstats() writes to stderr)";
      pair.append(outputBlock(label(state.chosen), mine), outputBlock(label(ARTICLE), old));
      d.append(sum, pair);
      box.append(d);
      return;
    }
    case "explain": {
      for (const name of s.explain) {
        const src = s.code.split("\n").find((l) => l.startsWith(`${name} = `)) ?? name;
        const h = document.createElement("h4");
        const code = document.createElement("code");
        code.textContent = src;
        h.append(code);
        const p2 = document.createElement("div");
        p2.className = "pair";
        for (const [r, who] of [[mine, label(state.chosen)], [old, label(ARTICLE)]]) {
          const e = r.explain[name];
          const fig = document.createElement("figure");
          const cap = document.createElement("figcaption");
          cap.textContent = e ? `${who}: sys.getsizeof(${name}) = ${e.getsizeof}` : who;
          fig.append(cap);
          if (e) fig.append(table(["part", "bytes", "rule"], e.parts.map((pt) => [pt.label, pt.bytes, pt.rule]), "parts"));
          p2.append(fig);
        }
        box.append(h, p2);
      }
      return;
    }
    case "growth": {
      const parse = (r) => new Map(r.stdout.trim().split("\n").map((l) => l.split(" ").map(Number)));
      const a = parse(mine), b = parse(old);
      const lens = [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => x - y);
      const cell = (m, n) => {
        const span = document.createElement("span");
        const v = m.get(n);
        span.textContent = v === undefined ? "—" : String(v);
        if (v !== undefined && m.has(n - 1) && m.get(n - 1) !== v) {
          const up = document.createElement("span");
          up.className = "grew";
          up.setAttribute("aria-hidden", "true");
          up.textContent = " ▲";
          const sr = document.createElement("span");
          sr.className = "sr-only";
          sr.textContent = " (resized)";
          span.append(up, sr);
        }
        return span;
      };
      box.append(table(["len(a)", label(state.chosen), label(ARTICLE)], lens.map((n) => [String(n), cell(a, n), cell(b, n)]), "growth"));
      return;
    }
  }
}

// The size explorer of chapter 1: one request, on both profiles.
function explore(form) {
  const n = Math.max(0, Math.min(100000, Math.floor(Number($("#explore-n").value) || 0)));
  const s = { id: `explore-${n}`, title: `malloc(${n})`, mode: "malloc", code: `p = malloc(${n})\nstats()\n`, explain: [] };
  const rows = [];
  const describe = (r) => {
    if (r.error) return `${r.error.type}: ${r.error.message}`;
    const cls = pick(r, "class"), block = pick(r, "block"), chunk = pick(r, "chunk");
    if (block !== NONE) return `pymalloc: class ${cls}, ${block}-byte block, ${block - n} byte(s) unused`;
    return `the C library's malloc: a ${fmt(chunk)}-byte chunk${r.snap.hasPymalloc ? "" : " (no pymalloc)"}`;
  };
  const mine = run(s, state.chosen), old = run(s, ARTICLE);
  rows.push([`malloc(${n})`, describe(mine), describe(old)]);
  const out = $(".explore-out", form);
  const link = document.createElement("a");
  link.href = simulatorLink(s, state.chosen);
  link.textContent = `Open malloc(${n}) in the simulator`;
  const p = document.createElement("p");
  p.append(link);
  out.replaceChildren(table(["request", label(state.chosen), label(ARTICLE)], rows, "compare"), p);
}

// ------------------------------------------------------------------ chapters and the fragment

function readHash() {
  const q = new URLSearchParams(location.hash.slice(1));
  return { python: q.get("python"), arch: q.get("arch"), chapter: q.get("chapter") };
}

function hashFor(chapter) {
  return "#" + new URLSearchParams({ python: state.chosen.python, arch: state.chosen.arch, chapter: String(chapter) });
}

function saveHash() {
  history.replaceState(null, "", hashFor(state.chapter));
}

const chapters = () => $$("article.chapter");

function showChapter(n, focus) {
  const all = chapters();
  state.chapter = Math.max(1, Math.min(all.length, n || 1));
  for (const a of all) a.hidden = Number(a.dataset.chapter) !== state.chapter;
  for (const l of $$("#toc a")) {
    if (Number(l.dataset.chapter) === state.chapter) l.setAttribute("aria-current", "page");
    else l.removeAttribute("aria-current");
  }
  if (focus) $(`#ch${state.chapter}-title`)?.focus();
}

function updateNav() {
  const all = chapters();
  const titles = $$("#toc a").map((a) => a.textContent);
  for (const l of $$("#toc a")) l.href = hashFor(l.dataset.chapter);
  for (const a of all) {
    const n = Number(a.dataset.chapter);
    const nav = $(".pager", a);
    const items = [];
    if (n > 1) items.push(Object.assign(document.createElement("a"), { href: hashFor(n - 1), className: "prev", textContent: `← ${n - 1}. ${titles[n - 2]}` }));
    if (n < all.length) items.push(Object.assign(document.createElement("a"), { href: hashFor(n + 1), className: "next", textContent: `${n + 1}. ${titles[n]} →` }));
    nav.replaceChildren(...items);
  }
}

function applyProfile() {
  state.chosen = { python: $("#python").value, arch: $("#arch").value };
  updateLabels();
  fillAll();
  updateLinks();
  updateNav();
  for (const ex of $$(".exercise[data-revealed=true]")) reveal(ex);
  const out = $(".explorer .explore-out");
  if (out?.childElementCount) explore($(".explorer"));
  saveHash();
}

async function main() {
  await init();
  collectSnippets();
  const p = profiles();
  const py = $("#python");
  for (const v of p.versions) py.add(new Option(`${v.series} (${v.release})`, v.series, false, v.series === p.defaultPython));
  for (const v of EXACT) py.add(new Option(`${v} (exact release)`, v));
  for (const a of p.arches) $("#arch").add(new Option(a, a));
  const h = readHash();
  if (h.python && [...py.options].some((o) => o.value === h.python)) py.value = h.python;
  if (h.arch && p.arches.includes(h.arch)) $("#arch").value = h.arch;
  showChapter(Number(h.chapter) || 1, false);
  applyProfile();

  for (const id of ["#python", "#arch"]) $(id).addEventListener("change", applyProfile);
  $("#profile").addEventListener("submit", (e) => e.preventDefault());
  // The skip link moves focus to the current chapter without touching the fragment.
  $(".skip").addEventListener("click", (e) => { e.preventDefault(); $(`#ch${state.chapter}-title`)?.focus(); });
  window.addEventListener("hashchange", () => {
    if (!location.hash.includes("=")) return saveHash(); // a plain anchor: keep the state in the fragment
    const q = readHash();
    let changed = false;
    if (q.python && q.python !== py.value && [...py.options].some((o) => o.value === q.python)) { py.value = q.python; changed = true; }
    if (q.arch && q.arch !== $("#arch").value && p.arches.includes(q.arch)) { $("#arch").value = q.arch; changed = true; }
    if (changed) applyProfile();
    const n = Number(q.chapter) || 1;
    if (n !== state.chapter) showChapter(n, true);
    saveHash();
  });
  for (const ex of $$(".exercise")) {
    // A table wider than a phone scrolls: make that reachable from the keyboard and name it.
    const box = $(".scroll-x", ex);
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", `${$("h3", ex).textContent}: the answer side by side`);
    const btn = $(".reveal", ex);
    btn.setAttribute("aria-expanded", "false");
    btn.addEventListener("click", () => reveal(ex, true));
    $(".guess", ex).addEventListener("keydown", (e) => {
      if (e.key === "Enter") { e.preventDefault(); reveal(ex, true); }
    });
  }
  const form = $(".explorer");
  form?.addEventListener("submit", (e) => { e.preventDefault(); explore(form); });
  for (const el of $$("#profile select, .reveal, .explorer button")) el.disabled = false;
  document.body.dataset.ready = "true";
}

main().catch((e) => {
  $("#profile-desc").textContent = `The simulator failed to load: ${e}`;
  console.error(e);
});
