/** The HTML pages the server renders itself: the demo shell and the browsable API docs (no scripts inline, CSP-safe). */

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
.vt-docs section { background: var(--vt-page-card); border: 1px solid var(--vt-page-border); border-radius: 10px; padding: 16px; margin: 16px 0; }
.vt-docs h2 { margin: 0 0 8px; font-size: 18px; }
.vt-docs .method { display: inline-block; min-width: 52px; padding: 2px 8px; border-radius: 6px; background: var(--vt-page-accent); color: #fff; font: 600 13px ui-monospace, monospace; text-align: center; }
.vt-docs pre { overflow-x: auto; padding: 12px; border-radius: 8px; background: var(--vt-page-bg); border: 1px solid var(--vt-page-border); font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; }
.vt-docs table { border-collapse: collapse; width: 100%; table-layout: fixed; }
.vt-docs th:first-child { width: 64px; }
.vt-docs th:nth-child(2) { width: 32%; }
.vt-docs td pre { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.vt-docs td, .vt-docs th { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--vt-page-border); vertical-align: top; }
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

type Doc = Record<string, unknown>;

/**
 * A browsable rendering of an OpenAPI document: operations, schemas, examples and curl lines.
 *
 * @example
 * docsPage(buildOpenApi(iface, { serverUrl: '/' }), { assets: '/assets', origin: 'http://127.0.0.1:7860' });
 */
export function docsPage(doc: Doc, opts: { assets: string; origin: string }): string {
  const info = doc.info as { title: string; description?: string };
  const server = ((doc.servers as Array<{ url: string }>)[0]?.url ?? '/').replace(/\/$/, '');
  const sections: string[] = [];
  for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, Doc>>)) {
    for (const [method, op] of Object.entries(methods)) {
      const url = `${opts.origin}${server}${path}`;
      const parts = [`<h2><span class="method">${method.toUpperCase()}</span> <code>${escapeHtml(server + path)}</code></h2>`];
      parts.push(`<p>${escapeHtml(String(op.summary ?? ''))}</p>`);
      if (op.description) parts.push(`<p>${escapeHtml(String(op.description))}</p>`);
      const body = op.requestBody as { content: Record<string, { schema: Doc; example?: unknown }> } | undefined;
      if (body) {
        for (const [type, media] of Object.entries(body.content)) {
          parts.push(`<h3>Request body: <code>${escapeHtml(type)}</code></h3>`);
          parts.push(`<pre>${escapeHtml(JSON.stringify(media.schema, null, 2))}</pre>`);
          if (media.example !== undefined) {
            parts.push(`<p>Example</p><pre>${escapeHtml(JSON.stringify(media.example, null, 2))}</pre>`);
            parts.push(
              `<p>curl</p><pre>${escapeHtml(`curl -X POST ${url} -H 'Content-Type: application/json' -d '${JSON.stringify(media.example)}'`)}</pre>`,
            );
          } else if (type === 'multipart/form-data') {
            const props = Object.entries((media.schema.properties ?? {}) as Record<string, Doc>);
            const fields = props.map(([n, s]) => (s.format === 'binary' ? `-F ${n}=@picture.png` : `-F ${n}=…`)).join(' ');
            parts.push(`<p>curl</p><pre>${escapeHtml(`curl -X POST ${url} ${fields}`)}</pre>`);
          }
        }
      }
      const responses = Object.entries((op.responses ?? {}) as Record<string, Doc>);
      parts.push('<h3>Responses</h3><table><tr><th>Status</th><th>Meaning</th><th>Example</th></tr>');
      for (const [status, r] of responses) {
        const ex = (r.content as Record<string, { example?: unknown }> | undefined)?.['application/json']?.example;
        parts.push(
          `<tr><td>${escapeHtml(status)}</td><td>${escapeHtml(String(r.description ?? ''))}</td><td>${
            ex === undefined ? '' : `<pre>${escapeHtml(JSON.stringify(ex, null, 2))}</pre>`
          }</td></tr>`,
        );
      }
      parts.push('</table>');
      sections.push(`<section>${parts.join('\n')}</section>`);
    }
  }
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(info.title)} — API</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${escapeHtml(opts.assets)}/page.css">
</head>
<body>
<main class="vt-docs">
<h1>${escapeHtml(info.title)} — API</h1>
${info.description ? `<p>${escapeHtml(info.description)}</p>` : ''}
<p>Machine-readable: <a href="${escapeHtml(server)}/openapi.json">openapi.json</a> (OpenAPI 3.1). Errors are JSON <code>{"error", "message"}</code>. Demo page: <a href="${escapeHtml(server)}/">${escapeHtml(server)}/</a>.</p>
${sections.join('\n')}
</main>
</body>
</html>
`;
}
