// <py-memory>: the embeddable pymemsim widget. One <script type="module" src=".../widget.js"> defines it; each
// element runs its program (its text content, dedented, or its `code` attribute) on its own Simulator, all
// widgets of a page sharing one wasm instance that is fetched only when the first widget comes near the
// viewport. Attributes: python, arch, align, mode (python|malloc), views (code,console,objects,map,gc,sizes),
// step (the starting step; the last by default), autoplay, speed (ms a step), height, explain (a name), name.
// Events (bubbling, composed): ready {steps}, step {step, line}. Methods: goTo(n), play(from, to), pause().
// Prose control: <a data-py-memory="NAME" data-step="3"> or data-play="2-5" moves the widget NAME (its name
// attribute or id). Text from the page is only ever set as text (textContent, setAttribute, option labels):
// nothing is parsed as HTML. Styles are a constructed stylesheet, so a CSP without 'unsafe-inline' works:
// `script-src 'self' 'wasm-unsafe-eval'` (the wasm compile) is all it needs.
const PKG = new URL("./pkg/pymemsim.js", import.meta.url).href;
let wasm;
const load = () => (wasm ??= import(PKG).then(async (m) => (await m.default(), m)));
const parsed = document.readyState == "loading" ? new Promise((r) => addEventListener("DOMContentLoaded", r, { once: true })) : 0;

const sheet = new CSSStyleSheet();
sheet.replaceSync(`
:host{display:block;margin:1em 0;--b:var(--pm-bg,#fff);--f:var(--pm-fg,#1d1f21);--m:var(--pm-muted,#666);--l:var(--pm-line,#d0d4da);--p:var(--pm-panel,#f4f5f7);--a:var(--pm-accent,#0b62d6);--e:var(--pm-err,#b3261e)}
:host([hidden]){display:none}
.w{color-scheme:light;background:var(--b);color:var(--f);border:1px solid var(--l);border-radius:6px;font:13px/1.4 system-ui,sans-serif;text-align:left}
.w.dark{color-scheme:dark;--b:var(--pm-bg,#15171a);--f:var(--pm-fg,#e4e6ea);--m:var(--pm-muted,#9aa0a8);--l:var(--pm-line,#3a3f46);--p:var(--pm-panel,#1f2226);--a:var(--pm-accent,#6ea8ff);--e:var(--pm-err,#ff8a80)}
.bar{display:flex;flex-wrap:wrap;gap:.3rem;align-items:center;padding:.4rem;border-bottom:1px solid var(--l)}
button{font:inherit;color:inherit;background:var(--p);border:1px solid var(--l);border-radius:4px;padding:.1rem .55rem;cursor:pointer}
button:disabled{opacity:.45;cursor:default}
:focus-visible{outline:2px solid var(--a);outline-offset:1px}
input{flex:1 1 8rem;accent-color:var(--a)}
output{font-variant-numeric:tabular-nums}
.prof,.cap,h3,.rule{color:var(--m);font-size:.8rem}
.body{display:grid;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr));gap:.6rem;padding:.5rem;overflow:auto}
section{min-width:0}
h3{margin:0 0 .2rem;font-weight:600}
pre{margin:0;background:var(--p);border:1px solid var(--l);border-radius:4px;padding:.35rem .5rem;overflow:auto;max-height:20em;font:12px/1.4 ui-monospace,monospace;position:relative}
.code pre{counter-reset:l}
.code span{display:block;white-space:pre}
.code span::before{counter-increment:l;content:counter(l);display:inline-block;width:2em;color:var(--m);user-select:none}
.code .cur{background:color-mix(in srgb,var(--a) 22%,transparent)}
.err{color:var(--e);white-space:pre-wrap}
.s{overflow:auto;max-height:16em}
table{border-collapse:collapse;width:100%;font-size:12px}
td,th{padding:.1rem .35rem;border-bottom:1px solid var(--l);text-align:left;vertical-align:top}
td:nth-child(n+4){text-align:right;font-variant-numeric:tabular-nums}
.mono{font-family:ui-monospace,monospace;max-width:12em;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
canvas{display:block;width:100%;image-rendering:pixelated;background:var(--p);border:1px solid var(--l);border-radius:4px}
.mp{max-height:18em;overflow:auto}
meter{width:6rem;vertical-align:middle}
p{margin:.2rem 0}
select{font:inherit;color:inherit;background:var(--p);border:1px solid var(--l);border-radius:4px}
`);

const h = (tag, cls, ...kids) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  e.append(...kids);
  return e;
};
const VIEWS = ["code", "console", "objects", "map", "gc", "sizes"];
const TITLES = { console: "Output", objects: "Names", map: "Arena map", gc: "Collector", sizes: "Sizes" };
const reduced = () => matchMedia("(prefers-reduced-motion: reduce)").matches;
const darkMq = matchMedia("(prefers-color-scheme: dark)");

// Light or dark as the host page is: the first opaque background up the tree, else its color-scheme.
function isDark(el) {
  for (let e = el; e; e = e.parentElement ?? e.getRootNode().host) {
    const c = getComputedStyle(e).backgroundColor.match(/[\d.]+/g);
    if (c && (c.length < 4 || c[3] > 0.5)) return c[0] * 0.3 + c[1] * 0.59 + c[2] * 0.11 < 128;
  }
  const s = getComputedStyle(el).colorScheme;
  return /dark/.test(s) && (!/light/.test(s) || darkMq.matches);
}

function dedent(t) {
  const lines = t.replace(/^\s*\n/, "").trimEnd().split("\n");
  const ind = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^[ \t]*/)[0].length));
  return lines.map((l) => l.slice(ind)).join("\n");
}

// HSL to RGB (h in degrees, s and l in 0..1): a hue per size class.
function hsl(hue, s, l) {
  const a = s * Math.min(l, 1 - l);
  const f = (n) => {
    const k = (n + hue / 30) % 12;
    return 255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1)));
  };
  return [f(0), f(8), f(4)];
}

// The arena map, one pixel per block: arenas stacked, 8 pools a row, each pool a G×G square; used blocks
// opaque in their class's hue, free ones faint, never-carved fainter, the rest of the square grey. Without
// pymalloc (wasm32), the malloc region's live chunks by address. Scaled up by CSS.
function drawMap(canvas, s, blocks, dark, events) {
  let W, H, img;
  const put = (x, y, c, a) => {
    const i = 4 * (y * W + x);
    img.data.set([c[0], c[1], c[2], a], i);
  };
  if (!s.hasPymalloc) {
    const ch = s.chunks, base = ch[0]?.address ?? 0, span = ch.length ? ch.at(-1).address + ch.at(-1).size - base : 0;
    W = 256;
    const per = Math.max(1, Math.ceil(span / W / 24));
    H = Math.max(1, Math.ceil(span / per / W));
    img = new ImageData(W, H);
    ch.forEach((c, i) => {
      for (let p = Math.floor((c.address - base) / per); p < Math.ceil((c.address - base + c.size) / per); p++) put(p % W, Math.floor(p / W), i % 2 ? [0, 114, 178] : [86, 180, 233], 255);
    });
  } else {
    // Only as many rows of pools as the most carved arena uses.
    const G = Math.ceil(Math.sqrt(s.stride)), C = 8, P = s.poolsPerArenaSlot;
    const AH = Math.ceil(Math.max(1, ...s.arenas.map((a) => a.pools.findLastIndex((p) => p && p.state != "uncarved") + 1)) / C) * (G + 1) + 3;
    W = C * (G + 1) + 1;
    H = Math.max(1, s.arenas.length * AH);
    img = new ImageData(W, H);
    const n = s.classSizes.length;
    s.arenas.forEach((a, ai) => {
      for (let k = 0; k < P; k++) {
        const p = a.pools[k];
        const x0 = 1 + (k % C) * (G + 1), y0 = ai * AH + 1 + Math.floor(k / C) * (G + 1);
        if (!p || p.state == "uncarved") continue;
        const col = hsl((p.sizeClass / Math.max(1, n - 1)) * 300, 0.7, dark ? 0.62 : 0.42);
        const base = (a.slot * P + k) * s.stride;
        for (let b = 0; b < G * G; b++) {
          const st = b < p.capacity ? blocks[base + b] : 3;
          put(x0 + (b % G), y0 + Math.floor(b / G), st < 3 ? col : [128, 128, 128], [45, 110, 255, 30][st] * (p.state == "empty" ? 0.5 : 1));
        }
      }
    });
    // The blocks the current step allocated (orange) or freed (pink).
    for (const e of events) {
      const ai = e.loc ? s.arenas.findIndex((a) => a.slot == e.loc.arena) : -1;
      if (ai >= 0 && (e.kind == "malloc" || e.kind == "free")) put(1 + (e.loc.pool % C) * (G + 1) + (e.loc.block % G), ai * AH + 1 + Math.floor(e.loc.pool / C) * (G + 1) + Math.floor(e.loc.block / G), e.kind == "malloc" ? [213, 94, 0] : [204, 121, 167], 255);
    }
  }
  canvas.width = W;
  canvas.height = H;
  canvas.getContext("2d").putImageData(img, 0, 0);
}

const io = new IntersectionObserver((es) => {
  for (const e of es) if (e.isIntersecting) (io.unobserve(e.target), e.target.init());
}, { rootMargin: "300px 0px" });
const all = new Set();
darkMq.addEventListener("change", () => all.forEach((w) => w.sim && w.render()));

class PyMemory extends HTMLElement {
  static observedAttributes = ["code", "python", "arch", "align", "mode", "views", "height"];

  connectedCallback() {
    all.add(this);
    if (this.shadowRoot) return;
    this.attachShadow({ mode: "open" }).adoptedStyleSheets = [sheet];
    this.build();
    io.observe(this);
  }

  disconnectedCallback() {
    all.delete(this);
  }

  attributeChangedCallback() {
    // Batched: setting several attributes rebuilds and reruns once.
    if (!this.shadowRoot || this.queued) return;
    this.queued = 1;
    queueMicrotask(() => {
      this.queued = 0;
      this.pause();
      this.build();
      if (this.started) this.start();
    });
  }

  get views() {
    const v = (this.getAttribute("views") ?? "code,console,objects,map").split(/[\s,]+/).filter((x) => VIEWS.includes(x));
    return v.length ? v : ["code", "console"];
  }

  // The skeleton: the step bar and a section per view; the code listing is shown before the wasm loads.
  build() {
    const btn = (text, label, fn) => {
      const b = h("button", "", text);
      b.type = "button";
      b.title = label;
      b.setAttribute("aria-label", label);
      b.onclick = fn;
      return b;
    };
    const $ = (this.$ = {});
    $.first = btn("«", "To the start", () => this.goTo(0));
    $.back = btn("◀", "Step back", () => this.goTo(this.pos - 1));
    $.fwd = btn("▶", "Step forward", () => this.goTo(this.pos + 1));
    $.last = btn("»", "To the end", () => this.goTo(this.n));
    $.play = btn("Play", "Play", () => (this.timer ? this.pause() : this.play(this.pos < this.n ? this.pos : 0)));
    $.scrub = h("input");
    Object.assign($.scrub, { type: "range", min: 0, max: 0, value: 0 });
    $.scrub.setAttribute("aria-label", "Step");
    $.scrub.oninput = () => (this.pause(), this.goTo(+$.scrub.value));
    $.pos = h("output", "", "loading…");
    $.pos.setAttribute("aria-live", "polite");
    $.prof = h("span", "prof");
    const body = h("div", "body");
    const height = this.getAttribute("height");
    if (height) body.style.maxHeight = body.style.minHeight = /^\d+$/.test(height) ? height + "px" : height;
    for (const v of this.views) {
      const sec = ($[v] = h("section", v));
      if (TITLES[v]) sec.append(h("h3", "", TITLES[v]));
      body.append(sec);
    }
    if ($.code) $.code.append(($.listing = h("pre", "", ...this.code().split("\n").slice(0, -1).map((l) => h("span", "", l + "\n")))));
    if ($.console) $.console.append(($.out = h("pre")));
    if ($.map) {
      $.canvas = h("canvas");
      $.canvas.setAttribute("role", "img");
      $.map.append(h("div", "mp", $.canvas), ($.cap = h("p", "cap")));
    }
    if ($.sizes) {
      $.pick = h("select");
      $.pick.setAttribute("aria-label", "Name to explain");
      $.pick.onchange = () => this.render();
      $.sizes.append($.pick, ($.explain = h("div")));
    }
    for (const b of [$.first, $.back, $.fwd, $.last, $.play, $.scrub]) b.disabled = true;
    this.w = h("div", "w", h("div", "bar", $.first, $.back, $.fwd, $.last, $.play, $.scrub, $.pos, $.prof), body);
    this.w.onkeydown = (e) => {
      const d = { ArrowLeft: -1, ArrowRight: 1 }[e.key];
      if (d && this.sim && e.target.tagName == "BUTTON") (e.preventDefault(), this.goTo(this.pos + d));
    };
    this.w.classList.toggle("dark", isDark(this));
    this.shadowRoot.replaceChildren(this.w);
  }

  code() {
    const c = this.getAttribute("code") ?? dedent(this.textContent);
    return c.endsWith("\n") ? c : c + "\n";
  }

  // Loads the shared wasm once, then runs this widget's program; resolves when its first frame is drawn.
  init() {
    return (this.started ??= Promise.resolve(parsed).then(() => (this.build(), this.start())));
  }

  fail(message) {
    this.$.pos.textContent = "";
    (this.$.out ?? this.$.prof).replaceChildren(h("span", "err", message));
    this.setAttribute("data-error", "");
  }

  start() {
    return load().then((mod) => {
      const code = this.code();
      this.sim?.free();
      this.sim = null;
      try {
        const opts = { python: this.getAttribute("python") ?? "3.12", arch: this.getAttribute("arch") ?? "x86_64" };
        if (this.hasAttribute("align")) opts.arenaAlign = this.getAttribute("align");
        this.sim = new mod.Simulator(opts);
        this.malloc = this.getAttribute("mode") == "malloc";
        this.result = this.malloc ? this.sim.runMalloc(code) : this.sim.run(code);
      } catch (e) {
        return this.fail(String(e));
      }
      this.n = this.result.steps;
      this.steps = Array.from({ length: this.n }, (_, i) => this.sim.step(i));
      this.$.scrub.max = this.n;
      this.$.prof.textContent = this.sim.profile;
      const at = this.getAttribute("step");
      this.sim.seek(at === null || isNaN(at) || at === "" ? this.n : Math.max(0, Math.min(+at, this.n)));
      this.removeAttribute("data-error");
      this.render();
      const first = !this.hasAttribute("data-ready");
      this.setAttribute("data-ready", "");
      this.dispatchEvent(new CustomEvent("ready", { detail: { steps: this.n }, bubbles: true, composed: true }));
      if (first && this.hasAttribute("autoplay") && !reduced()) this.play(this.pos < this.n ? this.pos : 0);
    }, (e) => this.fail(`The simulator failed to load: ${e}`));
  }

  get pos() {
    return this.sim ? this.sim.position : 0;
  }

  goTo(k) {
    return this.init().then(() => {
      k = Math.max(0, Math.min(Math.trunc(k) || 0, this.n));
      if (this.sim && k != this.pos) (this.sim.seek(k), this.render());
    });
  }

  play(from = 0, to = Infinity) {
    this.pause();
    return this.goTo(from).then(() => {
      if (!this.sim) return;
      const speed = +this.getAttribute("speed") || 500;
      const tick = () => {
        if (this.pos >= Math.min(to, this.n)) return this.pause();
        this.goTo(this.pos + 1);
        this.timer = setTimeout(tick, reduced() ? Math.max(speed, 1000) : speed);
      };
      this.timer = setTimeout(tick, speed);
      this.$.play.textContent = "Pause";
      this.$.play.setAttribute("aria-label", "Pause");
    });
  }

  pause() {
    clearTimeout(this.timer);
    this.timer = 0;
    if (this.$) {
      this.$.play.textContent = "Play";
      this.$.play.setAttribute("aria-label", "Play");
    }
  }

  // One frame: every view at the cursor, then a `step` event.
  render() {
    const { $, sim, n, result: r } = this;
    const pos = sim.position;
    const cur = pos ? this.steps[pos - 1] : null;
    const line = cur ? cur.line : r.error && pos == n ? r.error.line : 0;
    this.w.classList.toggle("dark", isDark(this));
    $.pos.textContent = `step ${pos} / ${n}`;
    $.scrub.value = pos;
    $.first.disabled = $.back.disabled = pos == 0;
    $.fwd.disabled = $.last.disabled = pos >= n;
    $.play.disabled = $.scrub.disabled = n == 0;
    if ($.listing) {
      [...$.listing.children].forEach((s, i) => {
        s.className = i + 1 == line ? "cur" : "";
        if (i + 1 == line) {
          const pre = $.listing;
          if (s.offsetTop < pre.scrollTop || s.offsetTop + s.offsetHeight > pre.scrollTop + pre.clientHeight) pre.scrollTop = s.offsetTop - pre.clientHeight / 2;
        }
      });
    }
    if ($.out) {
      $.out.textContent = this.steps.slice(0, pos).map((s) => s.stdout).join("");
      const e = r.error;
      if (pos == n && (r.stderr || e)) $.out.append(h("span", "err", this.malloc || !r.stderr ? `${e.type}: line ${e.line}, column ${e.col}: ${e.message}\n` : r.stderr));
    }
    const v = this.malloc ? null : sim.objects(400);
    for (const k of ["objects", "gc", "sizes"]) if ($[k]) $[k].hidden = !v;
    const byId = new Map(v?.objects.map((o) => [o.id, o]));
    if (v && $.objects) {
      const rows = v.names.map(({ name, id }) => {
        const o = byId.get(id) ?? {};
        const tr = h("tr", "", h("td", "", name), h("td", "", o.typeName ?? ""), h("td", "mono", o.label ?? ""), h("td", "", o.immortal ? "immortal" : String(o.refcount)), h("td", "", o.bytes ? String(o.bytes) : "static"));
        tr.dataset.name = name;
        return tr;
      });
      $.objects.replaceChildren($.objects.firstChild, h("div", "s", h("table", "", h("thead", "", h("tr", "", ...["name", "type", "value", "refcnt", "bytes"].map((t) => h("th", "", t)))), h("tbody", "", ...rows))));
    }
    if (v && $.gc) {
      const g = v.gc;
      const gens = g.counts.map((c, i) => {
        const m = h("meter");
        m.max = Math.max(1, g.thresholds[i]);
        m.value = Math.min(c, m.max);
        return h("p", "", `gen ${i}: ${c} / ${g.thresholds[i]} `, m, ` · ${g.sizes[i]} objects`);
      });
      $.gc.replaceChildren($.gc.firstChild, ...gens, h("p", "cap", `${g.collections} collection${g.collections == 1 ? "" : "s"} so far${g.enabled ? "" : " · automatic collection disabled"}`));
    }
    if (v && $.sizes) {
      const keep = $.pick.value || this.getAttribute("explain") || v.names.find((x) => byId.get(x.id)?.typeName != "module")?.name;
      $.pick.replaceChildren(...v.names.map((x) => new Option(x.name, x.name, false, x.name == keep)));
      const e = $.pick.value && sim.explain($.pick.value);
      $.explain.replaceChildren(...(e ? [h("p", "gs", `sys.getsizeof(${$.pick.value}) = ${e.getsizeof} (${e.typeName})`), h("table", "", ...e.parts.map((p) => h("tr", "", h("td", "", p.label), h("td", "rule", p.rule), h("td", "", String(p.bytes)))))] : []));
    }
    if ($.map) {
      const s = sim.snapshot();
      drawMap($.canvas, s, s.hasPymalloc ? sim.blocks() : null, this.w.classList.contains("dark"), cur?.events ?? []);
      const used = s.arenas.reduce((t, a) => t + a.pools.filter((p) => p.state == "used" || p.state == "full").length, 0);
      const text = s.hasPymalloc
        ? `${s.arenas.length} arena${s.arenas.length == 1 ? "" : "s"} · ${used} pools and ${s.allocatedBlocks} blocks in use · ${s.mappedBytes.toLocaleString("en")} B mapped`
        : `${s.note} ${s.chunks.length} live malloc chunks.`;
      $.cap.textContent = text;
      $.canvas.setAttribute("aria-label", "Arena map: " + text);
    }
    this.dispatchEvent(new CustomEvent("step", { detail: { step: pos, line }, bubbles: true, composed: true }));
  }
}

// Prose control: links or buttons anywhere in the page that name a widget.
document.addEventListener("click", (e) => {
  const a = e.target.closest?.("[data-py-memory]");
  const name = a?.getAttribute("data-py-memory");
  const w = name && [...document.querySelectorAll("py-memory")].find((w) => w.getAttribute("name") == name || w.id == name);
  if (!w) return;
  e.preventDefault();
  const play = a.getAttribute("data-play");
  if (play != null) {
    const [f, t] = play.split("-").map(Number);
    w.play(f || 0, t >= 0 ? t : Infinity);
  } else w.goTo(+a.getAttribute("data-step"));
  w.scrollIntoView({ block: "nearest", behavior: reduced() ? "auto" : "smooth" });
});

if (!customElements.get("py-memory")) customElements.define("py-memory", PyMemory);
