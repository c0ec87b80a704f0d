// The iframe page: one <py-memory> filling the page. Its state is the URL fragment, in the main page's format
// (mode, python, arch, align, step, and code as base64url of its UTF-8) plus views and theme (light|dark);
// stepping keeps the fragment's step current. The content height is posted to the parent as
// { type: "pymemsim:height", height } so a host can size the iframe. Everything from the fragment is set as
// attributes or text, never parsed as HTML.
// The shipped widget beside the bundled www/embed.js (left external by scripts/bundle.mjs).
import "./widget.js";
import { decodeCode } from "../fragment.js";

const w = document.createElement("py-memory");
w.style.margin = "0";
document.body.style.margin = "0";

function apply() {
  const q = new URLSearchParams(location.hash.slice(1));
  let code = "";
  try {
    code = decodeCode(q.get("code") ?? "");
  } catch { /* a damaged fragment runs nothing */ }
  for (const k of ["mode", "python", "arch", "align", "step", "views"]) q.has(k) ? w.setAttribute(k, q.get(k)) : w.removeAttribute(k);
  w.setAttribute("code", code);
  document.documentElement.style.colorScheme = q.get("theme") ?? "light dark";
}

apply();
addEventListener("hashchange", apply);
w.addEventListener("step", (e) => {
  const q = new URLSearchParams(location.hash.slice(1));
  q.set("step", e.detail.step);
  history.replaceState(null, "", "#" + q);
});
document.body.append(w);
new ResizeObserver(() => parent.postMessage({ type: "pymemsim:height", height: Math.ceil(document.documentElement.getBoundingClientRect().height) }, "*")).observe(document.documentElement);
