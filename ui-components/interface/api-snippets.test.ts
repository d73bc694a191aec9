/** The "Use via API" snippets follow the config: URL under the base, multipart for images, JSON otherwise. */
import { describe, expect, it } from 'vitest';
import type { ComponentConfig, InterfaceConfig } from '../internal/config.ts';
import { apiSnippets } from './api-snippets.ts';

/** A config as the server sends it, from the parts a test cares about. */
function configOf(parts: { inputs: Array<Omit<ComponentConfig, 'label' | 'props'> & { props?: Record<string, unknown> }>; outputs: Array<Omit<ComponentConfig, 'label' | 'props'>>; examples: InterfaceConfig['examples'] }): InterfaceConfig {
  const component = (c: Omit<ComponentConfig, 'label' | 'props'> & { props?: Record<string, unknown> }): ComponentConfig => ({ label: c.name, props: {}, ...c });
  return {
    title: 'T',
    description: '',
    article: null,
    inputs: parts.inputs.map(component),
    outputs: parts.outputs.map(component),
    examples: parts.examples,
    batch: null,
    layout: 'interface',
    streams: false,
    api: { predict: 'api/predict', gradio: '/predict', config: 'api/config', flag: null, openapi: 'openapi.json', docs: 'docs' },
  };
}

describe('apiSnippets', () => {
  it('uses multipart with the example file for an image interface', () => {
    const config = configOf({
      inputs: [{ name: 'image', kind: 'image', tag: 'vt-image', element: 'elements/image.js', file: true, sample: 'image.png' }],
      outputs: [{ name: 'label', kind: 'label', tag: 'vt-label', element: 'elements/label.js', file: false, sample: null }],
      examples: [{ image: 'examples/0/sneaker.png' }],
    });
    const { url, curl, javascript } = apiSnippets(config, new URL('http://127.0.0.1:7860/fashion/'));
    expect(url).toBe('http://127.0.0.1:7860/fashion/api/predict');
    expect(curl).toBe("curl -X POST 'http://127.0.0.1:7860/fashion/api/predict' \\\n  -F 'image=@sneaker.png'");
    expect(javascript).toContain('fetch("http://127.0.0.1:7860/fashion/api/predict"');
    expect(javascript).toContain('"image": await toDataUrl(');
    expect(javascript).toContain('console.log(result["label"]);');
  });

  it('sends JSON built from the first example, quoting for the shell', () => {
    const config = configOf({
      inputs: [
        { name: 'text', kind: 'textbox', tag: 'vt-textbox', element: 'elements/textbox.js', file: false, sample: 'Hello' },
        { name: 'n', kind: 'slider', tag: 'vt-slider', element: 'elements/slider.js', file: false, sample: 3, props: { min: 3 } },
      ],
      outputs: [{ name: 'out', kind: 'textbox', tag: 'vt-textbox', element: 'elements/textbox.js', file: false, sample: 'Hello' }],
      examples: [{ text: "it's" }],
    });
    const { curl, javascript } = apiSnippets(config, new URL('http://h/'));
    expect(curl).toBe(`curl -X POST 'http://h/api/predict' \\\n  -H 'Content-Type: application/json' \\\n  -d '{"text":"it'\\''s","n":3}'`);
    expect(apiSnippets(config, new URL('http://h/')).curlStream).toBe(`${curl.replace('curl -X', 'curl -N -X')} \\\n  -H 'Accept: text/event-stream'`);
    expect(javascript).toContain(`"text": "it's",`);
    expect(javascript).not.toContain('toDataUrl');
  });
});
