/** The Gradio client snippets follow the config: the interface's URL, one argument per input, the server's own example file by URL. */
import { describe, expect, it } from 'vitest';
import type { ComponentConfig, InterfaceConfig } from '../internal/config.ts';
import { gradioSnippets, pythonLiteral } from './gradio-snippets.ts';

type ComponentPart = Omit<ComponentConfig, 'label' | 'props'> & { props?: Record<string, unknown> };

/** A config as the server sends it, from the parts a test cares about. */
function configOf(parts: { inputs: ComponentPart[]; outputs: ComponentPart[]; examples?: InterfaceConfig['examples'] }): InterfaceConfig {
  const component = (c: ComponentPart): ComponentConfig => ({ label: c.name, props: {}, ...c });
  return {
    title: 'T',
    description: '',
    article: null,
    inputs: parts.inputs.map(component),
    outputs: parts.outputs.map(component),
    examples: parts.examples ?? [],
    batch: null,
    layout: 'interface',
    streams: false,
    api: { predict: 'api/predict', gradio: '/predict', config: 'api/config', flag: null, openapi: 'openapi.json', docs: 'docs' },
  };
}

describe('gradioSnippets', () => {
  it('calls /predict with keyword arguments, the example image by its URL on this server', () => {
    const config = configOf({
      inputs: [
        { name: 'image', kind: 'image', tag: 'vt-image', element: 'elements/image.js', file: true, sample: 'image.png' },
        { name: 'effect', kind: 'dropdown', tag: 'vt-dropdown', element: 'elements/dropdown.js', file: false, sample: '', props: { choices: ['blur', 'sepia'] } },
        { name: 'strength', kind: 'slider', tag: 'vt-slider', element: 'elements/slider.js', file: false, sample: 0, props: { min: 0 } },
      ],
      outputs: [{ name: 'result', kind: 'image', tag: 'vt-image', element: 'elements/image.js', file: true, sample: 'image.png' }],
      examples: [{ image: 'examples/0/landscape.jpg', effect: 'sepia', strength: 0.8 }],
    });
    const { javascript, python } = gradioSnippets(config, new URL('http://127.0.0.1:7860/image-effects/'));
    expect(javascript).toBe(
      [
        'import { Client, handle_file } from "@gradio/client";',
        '',
        'const client = await Client.connect("http://127.0.0.1:7860/image-effects/");',
        'const result = await client.predict("/predict", {',
        '  image: handle_file("http://127.0.0.1:7860/image-effects/examples/0/landscape.jpg"),',
        '  effect: "sepia",',
        '  strength: 0.8,',
        '});',
        '',
        'console.log(result.data); // [result]',
      ].join('\n'),
    );
    expect(python).toBe(
      [
        'from gradio_client import Client, handle_file',
        '',
        'client = Client("http://127.0.0.1:7860/image-effects/")',
        'result = client.predict(',
        '    image=handle_file("http://127.0.0.1:7860/image-effects/examples/0/landscape.jpg"),',
        '    effect="sepia",',
        '    strength=0.8,',
        '    api_name="/predict",',
        ')',
        'print(result)',
      ].join('\n'),
    );
  });

  it('passes arguments by position in Python when a name cannot be a keyword there, and writes Python literals', () => {
    const config = configOf({
      inputs: [
        { name: 'my-text', kind: 'textbox', tag: 'vt-textbox', element: 'elements/textbox.js', file: false, sample: 'Hello' },
        { name: 'meta', kind: 'json', tag: 'vt-json', element: 'elements/json.js', file: false, sample: null },
      ],
      outputs: [
        { name: 'a', kind: 'textbox', tag: 'vt-textbox', element: 'elements/textbox.js', file: false, sample: 'Hello' },
        { name: 'b', kind: 'label', tag: 'vt-label', element: 'elements/label.js', file: false, sample: null },
      ],
      examples: [{ 'my-text': 'hi', meta: { on: true, none: null } }],
    });
    const { javascript, python } = gradioSnippets(config, new URL('http://h/'));
    expect(javascript).toContain('  "my-text": "hi",');
    expect(javascript).not.toContain('handle_file');
    expect(python).toContain('    "hi",\n    {"on": True, "none": None},\n    api_name="/predict",');
    expect(python).toContain('print(result)  # (a, b)');
    expect(pythonLiteral([false, 1.5, 'x'])).toBe('[False, 1.5, "x"]');
  });
});
