// Bundles and minifies the page's JavaScript that is not loaded as written, with esbuild: the editor (CodeJar +
// Prism's Python grammar) into www/vendor/, the embeddable widget (its source is www/src/widget.js; the
// shipped www/widget.js counts in the size budget, so it is minified) and the iframe page's script
// (www/src/embed.js with the fragment decoder it imports, the widget left as its own file). Run by
// scripts/build.mjs; usage: node scripts/bundle.mjs
import { build } from "esbuild";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const BUNDLES = [
  { entry: "www/src/editor.js", out: "www/vendor/editor.js" },
  { entry: "www/src/widget.js", out: "www/widget.js" },
  { entry: "www/src/embed.js", out: "www/embed.js", external: ["./widget.js"] },
];

export async function bundle() {
  for (const b of BUNDLES) {
    await build({
      entryPoints: [join(root, b.entry)],
      outfile: join(root, b.out),
      bundle: true,
      minify: true,
      format: "esm",
      target: "es2020",
      legalComments: "none",
      logLevel: "warning",
      external: b.external ?? [],
    });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundle();
