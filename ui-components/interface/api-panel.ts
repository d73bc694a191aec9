/** The "Use via API" panel of `<vt-interface>`: how to call the app, and the snippets filled in for it. */
import { html, nothing, type TemplateResult } from 'lit';
import type { InterfaceConfig } from '../internal/config.ts';
import { apiSnippets } from './api-snippets.ts';
import { gradioSnippets } from './gradio-snippets.ts';

/**
 * Renders the panel; `copied` is the snippet just copied (or `<what>-failed`), `onCopy` copies one.
 *
 * @example
 * html`${apiPanel(config, new URL('http://127.0.0.1:7860/'), '', (what, text) => copy(what, text))}`;
 */
export function apiPanel(config: InterfaceConfig, base: URL, copied: string, onCopy: (what: string, text: string) => void): TemplateResult {
  const snippets = apiSnippets(config, base);
  const gradio = gradioSnippets(config, base);
  const shown = [
    { what: 'curl', title: 'curl', text: snippets.curl },
    { what: 'curl-stream', title: 'curl, streamed (event: progress, partial, then complete)', text: snippets.curlStream },
    { what: 'javascript', title: 'JavaScript', text: snippets.javascript },
    { what: 'gradio-js', title: 'Gradio JS client (@gradio/client)', text: gradio.javascript },
    { what: 'gradio-python', title: 'Gradio Python client (gradio_client)', text: gradio.python },
  ];
  const docs = config.api.docs === null ? null : new URL(config.api.docs, base).href;
  const copyLabel = (what: string) => (copied === what ? 'Copied' : copied === `${what}-failed` ? 'Copy failed' : 'Copy');
  return html`<details class="api" part="api">
    <summary>Use via API</summary>
    <div class="api-body">
      <p>
        Send <code>POST</code> to <code>${snippets.url}</code> with one JSON key per input (images as
        <code>data:</code> URLs or base64), or <code>multipart/form-data</code> with one part per input. The answer has one key
        per output; errors are <code>{"error", "message"}</code>.
        ${docs === null ? nothing : html`<a href=${docs} target="_blank" rel="noopener">API docs</a>`}
      </p>
      <p>Gradio's clients work too, unchanged: the same calls as for a Gradio app on Hugging Face Spaces, with this URL.</p>
      ${shown.map(
        ({ what, title, text }) => html`<div class="snippet">
          <div class="snippet-head">
            <h3 class="snippet-title" id=${`snippet-${what}`}>${title}</h3>
            <button type="button" class="button small" aria-label=${`Copy the ${title} snippet`} @click=${() => onCopy(what, text)}>
              ${copyLabel(what)}
            </button>
          </div>
          <pre tabindex="0" aria-labelledby=${`snippet-${what}`}><code>${text}</code></pre>
        </div>`,
      )}
    </div>
  </details>`;
}
