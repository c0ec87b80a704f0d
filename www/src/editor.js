// The page's code editor: CodeJar (a small contenteditable editor with undo, indentation and bracket pairs)
// with Prism's Python grammar for highlighting, plus what the simulator needs on top: a band marking the
// statement being stepped (or the line of an error) and a way out of the Tab trap for keyboard users.
// Bundled by scripts/bundle.mjs into www/vendor/editor.js. Prism escapes the text it highlights, so the
// program's text is never parsed as HTML.
import "./prism-manual.js";
import Prism from "prismjs/components/prism-core.js";
import "prismjs/components/prism-python.js";
import { CodeJar } from "codejar";

/**
 * Turns `host` (an empty element) into an editor. Returns { value, setValue, markLine, focus, onChange, onRun }.
 * `label` names the text box for screen readers.
 */
export function createEditor(host, { id, label, help, language = "python" } = {}) {
  host.classList.add("editor-wrap");
  const mark = document.createElement("div");
  mark.className = "line-mark";
  mark.hidden = true;
  mark.setAttribute("aria-hidden", "true");
  const ed = document.createElement("div");
  ed.className = "editor";
  if (id) ed.id = id;
  ed.setAttribute("role", "textbox");
  ed.setAttribute("aria-multiline", "true");
  if (label) ed.setAttribute("aria-label", label);
  if (help) ed.setAttribute("aria-describedby", help);
  host.append(mark, ed);

  let lang = language;
  const highlight = (el) => {
    const grammar = lang === "python" ? Prism.languages.python : null;
    if (grammar) el.innerHTML = Prism.highlight(el.textContent, grammar, lang);
  };
  // No auto-closing: CodeJar does not type over the closer it inserted, so `print(1)` typed in full would
  // become `print(1))`.
  const jar = CodeJar(ed, highlight, { tab: "    ", indentOn: /[:({[]$/, addClosing: false });
  // Lines never wrap, so line N's band is N-1 line-heights below the padding.
  ed.style.whiteSpace = "pre";
  ed.style.overflowWrap = "normal";

  // Paste as one text replacement: CodeJar's execCommand("insertHTML") takes seconds for a few hundred lines
  // in Chromium. Registered for the capture phase so it runs first; CodeJar skips a handled event.
  ed.addEventListener(
    "paste",
    (e) => {
      const text = e.clipboardData?.getData("text/plain");
      if (text === undefined) return;
      e.preventDefault();
      const pasted = text.replace(/\r\n?/g, "\n");
      const pos = jar.save();
      const [a, b] = [Math.min(pos.start, pos.end), Math.max(pos.start, pos.end)];
      const code = jar.toString();
      jar.recordHistory();
      jar.updateCode(code.slice(0, a) + pasted + code.slice(b));
      jar.restore({ start: a + pasted.length, end: a + pasted.length });
      jar.recordHistory();
    },
    true,
  );

  // Tab indents inside the editor; Escape hands Tab back to the page until the editor is left.
  ed.addEventListener("keydown", (e) => {
    if (e.key === "Escape") jar.updateOptions({ catchTab: false });
  });
  ed.addEventListener("focus", () => jar.updateOptions({ catchTab: true }));

  // Rich-text insertions (execCommand, some IMEs and drag-and-drop) leave <div>/<br> line breaks instead of
  // "\n"; read them back as text so the program's lines are what the learner sees.
  ed.addEventListener("input", () => {
    if (!ed.querySelector("div, br, p, font, b")) return;
    jar.updateCode(ed.innerText.replace(/\n$/, ""));
    const sel = getSelection();
    sel.selectAllChildren(ed);
    sel.collapseToEnd();
  });

  let changed = () => {};
  jar.onUpdate((code) => changed(code));
  let run = () => {};
  ed.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      e.stopPropagation();
      run();
    }
  });

  const place = () => {
    const line = Number(mark.dataset.line || 0);
    if (!line) return;
    const cs = getComputedStyle(ed);
    const lh = parseFloat(cs.lineHeight);
    mark.style.top = `${ed.offsetTop + parseFloat(cs.paddingTop) + (line - 1) * lh - ed.scrollTop}px`;
    mark.style.height = `${lh}px`;
  };
  ed.addEventListener("scroll", place);

  return {
    element: ed,
    get value() {
      return jar.toString();
    },
    setValue(code) {
      jar.updateCode(code, false);
    },
    setLanguage(l) {
      lang = l;
      jar.updateCode(jar.toString(), false);
    },
    /** Marks `line` (1-based; 0 clears) as the current statement, or as an error's line. */
    markLine(line, kind = "current") {
      mark.hidden = !line;
      mark.dataset.line = String(line || 0);
      mark.className = `line-mark ${kind}`;
      if (!line) return;
      place();
      const cs = getComputedStyle(ed);
      const lh = parseFloat(cs.lineHeight);
      const y = parseFloat(cs.paddingTop) + (line - 1) * lh;
      if (y < ed.scrollTop || y + lh > ed.scrollTop + ed.clientHeight) {
        ed.scrollTop = Math.max(0, y - ed.clientHeight / 3);
        place();
      }
    },
    focus: () => ed.focus(),
    onChange(fn) {
      changed = fn;
    },
    onRun(fn) {
      run = fn;
    },
  };
}
