/** The static site's own text files: each app's page, and the README whose front matter makes the folder a static Hugging Face Space. */
import { escapeHtml, PAGE_CSS } from '../server/pages.ts';
import type { StaticPageSettings } from './page.ts';

export { PAGE_CSS };

/**
 * A static demo page: the same shell as the server's page (`<vt-interface>` built from
 * `api/config`), plus the glue that answers predictions in a Web Worker. `root` is the path from
 * the page to the site's root (`./` or `../`). No inline script runs: the settings are a JSON block.
 *
 * @example
 * staticPage({ title: 'Fashion-MNIST', root: './', settings: { worker: './app/worker.js', app: './app/fashion-mnist.js', serviceWorker: './sw.js' } });
 */
export function staticPage(opts: { title: string; root: string; settings: StaticPageSettings }): string {
  const root = escapeHtml(opts.root);
  // `<` escaped so no value can close the script element.
  const settings = JSON.stringify(opts.settings).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(opts.title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${root}page.css">
<script type="application/json" id="vitrine-static">${settings}</script>
<script type="module" src="${root}ui/vitrine.js"></script>
<script type="module" src="${root}vitrine-static.js"></script>
</head>
<body>
<main><vt-interface src="./"></vt-interface></main>
<noscript><p>This demo runs its model in your browser and needs JavaScript.</p></noscript>
<footer class="vt-footer">The model runs in your browser: nothing you upload leaves this page.</footer>
</body>
</html>
`;
}

/** A page listing the apps of a site built from several modules. */
export function indexPage(apps: ReadonlyArray<{ title: string; path: string }>): string {
  const items = apps.map((a) => `<li><a href="${escapeHtml(a.path)}">${escapeHtml(a.title)}</a></li>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Vitrine demos</title><link rel="stylesheet" href="page.css"></head>
<body><main><h1>Demos</h1><ul>
${items}
</ul></main></body>
</html>
`;
}

/**
 * The README of a static Hugging Face Space: `sdk: static` serves the folder as it is, and the
 * COOP/COEP `custom_headers` make the page cross-origin isolated, so onnxruntime-web may use
 * threads (one thread without them). Spaces accept only these three headers.
 *
 * @example
 * spaceReadme({ title: 'Fashion-MNIST', description: 'Clothing classifier' }); // '---\ntitle: "Fashion-MNIST"\n…'
 */
export function spaceReadme(opts: { title: string; description: string }): string {
  // JSON strings are valid YAML scalars: a title with a colon or a quote stays one value.
  return `---
title: ${JSON.stringify(opts.title.slice(0, 60))}
emoji: 🧥
colorFrom: indigo
colorTo: gray
sdk: static
app_file: index.html
pinned: false
custom_headers:
  cross-origin-embedder-policy: require-corp
  cross-origin-opener-policy: same-origin
  cross-origin-resource-policy: cross-origin
---

# ${opts.title}

${opts.description}

Built with \`vitrine build\`: the model runs in the visitor's browser (ONNX Runtime Web, WASM), so
this Space needs no server and works offline after its first visit.
`;
}
