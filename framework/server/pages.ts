/** The HTML the server renders itself for the demo page (no scripts inline, CSP-safe); the API docs page is docs.ts. */

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Shared look of the server-rendered pages; the demo itself is styled by its Lit elements. */
export const PAGE_CSS = `
:root { color-scheme: light dark; --vt-page-bg: #f7f7f8; --vt-page-fg: #1f2328; --vt-page-muted: #5b616b; --vt-page-card: #fff; --vt-page-border: #d9dce1; --vt-page-accent: #4f46e5; }
@media (prefers-color-scheme: dark) { :root { --vt-page-bg: #111318; --vt-page-fg: #e6e8eb; --vt-page-muted: #9aa1ab; --vt-page-card: #1a1d24; --vt-page-border: #2c313a; --vt-page-accent: #8b85ff; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--vt-page-bg); color: var(--vt-page-fg); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 16px; }
a { color: var(--vt-page-accent); }
.vt-footer { max-width: 1100px; margin: 0 auto; padding: 8px 16px 24px; color: var(--vt-page-muted); font-size: 14px; }
noscript p { padding: 16px; }
`;

/**
 * The demo page: a shell that loads the element bundle and lets `<vt-interface>` build the demo
 * from `/api/config`.
 *
 * @example
 * demoPage({ title: 'Fashion-MNIST', base: '/', assets: '/assets' });
 */
export function demoPage(opts: { title: string; description?: string | undefined; base: string; assets: string }): string {
  const title = escapeHtml(opts.title);
  const base = escapeHtml(opts.base);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
${opts.description ? `<meta name="description" content="${escapeHtml(firstLine(opts.description))}">` : ''}
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${escapeHtml(opts.assets)}/page.css">
<script type="module" src="${escapeHtml(opts.assets)}/vitrine.js"></script>
</head>
<body>
<main><vt-interface src="${base}"></vt-interface></main>
<noscript><p>This demo needs JavaScript. The JSON API works without it: see <a href="${base}docs">${base}docs</a>.</p></noscript>
<footer class="vt-footer"><a href="${base}docs">API docs</a> · <a href="${base}openapi.json">OpenAPI</a></footer>
</body>
</html>
`;
}

function firstLine(markdown: string): string {
  return markdown.split('\n').find((l) => l.trim() !== '')?.replace(/[*_`#[\]]/g, '').trim().slice(0, 300) ?? '';
}
