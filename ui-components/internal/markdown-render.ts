/** Renders parsed Markdown as Lit templates: text is always escaped by Lit, links are checked, no innerHTML. */
import { html, nothing, type TemplateResult } from 'lit';
import { parseMarkdown, safeHref, type Block, type Inline } from './markdown.ts';

function renderInline(nodes: Inline[], base: string): Array<TemplateResult | string> {
  return nodes.map((node) => {
    switch (node.type) {
      case 'text':
        return node.text;
      case 'code':
        return html`<code>${node.text}</code>`;
      case 'strong':
        return html`<strong>${renderInline(node.children, base)}</strong>`;
      case 'em':
        return html`<em>${renderInline(node.children, base)}</em>`;
      case 'link': {
        const href = safeHref(node.href, base);
        const children = renderInline(node.children, base);
        return href === null ? html`${children}` : html`<a href=${href} target="_blank" rel="noopener noreferrer">${children}</a>`;
      }
    }
  });
}

function renderBlock(block: Block, base: string): TemplateResult {
  switch (block.type) {
    case 'paragraph':
      return html`<p>${renderInline(block.children, base)}</p>`;
    case 'heading':
      // The page title is the only h1; document headings start one level below it.
      switch (Math.min(block.level + 1, 6)) {
        case 2:
          return html`<h2>${renderInline(block.children, base)}</h2>`;
        case 3:
          return html`<h3>${renderInline(block.children, base)}</h3>`;
        case 4:
          return html`<h4>${renderInline(block.children, base)}</h4>`;
        case 5:
          return html`<h5>${renderInline(block.children, base)}</h5>`;
        default:
          return html`<h6>${renderInline(block.children, base)}</h6>`;
      }
    case 'list': {
      const items = block.items.map((item) => html`<li>${renderInline(item, base)}</li>`);
      return block.ordered ? html`<ol>${items}</ol>` : html`<ul>${items}</ul>`;
    }
    case 'code':
      return html`<pre><code>${block.text}</code></pre>`;
  }
}

/**
 * Markdown source → a Lit template; relative links resolve against `base`.
 *
 * @example
 * html`<div class="markdown">${renderMarkdown(config.description, baseUrl.href)}</div>`
 */
export function renderMarkdown(source: string | null, base: string): TemplateResult | typeof nothing {
  if (source === null || source.trim() === '') return nothing;
  return html`${parseMarkdown(source).map((block) => renderBlock(block, base))}`;
}
