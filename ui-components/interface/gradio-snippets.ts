/** The "Use via API" snippets for Gradio's own clients (`@gradio/client`, `gradio_client`), filled in from the interface's config. */
import type { ComponentConfig, InterfaceConfig } from '../internal/config.ts';
import { fileName, sampleValue } from './api-snippets.ts';

/** Snippets a Gradio user would paste: only the URL differs from a Space's. */
export interface GradioSnippets {
  javascript: string;
  python: string;
}

/** Names the clients keep for their own keyword arguments: such an input is `param_<i>` (server/gradio/info.ts). */
const RESERVED = new Set(['api_name', 'fn_index', 'result_callbacks']);
// Python keywords, and `headers`, which predict() takes for itself.
const PYTHON_UNUSABLE = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield headers'.split(' '),
);

function parameterName(input: ComponentConfig, index: number): string {
  return RESERVED.has(input.name) ? `param_${index}` : input.name;
}

/**
 * A value written as a Python literal (JSON, with Python's True/False/None).
 *
 * @example
 * pythonLiteral({ a: [true, null] }); // '{"a": [True, None]}'
 */
export function pythonLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (Array.isArray(value)) return `[${value.map(pythonLiteral).join(', ')}]`;
  if (typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${pythonLiteral(v)}`).join(', ')}}`;
  return JSON.stringify(value);
}

/** What to pass for a file input: the server's own example by URL (it reads that itself), else a local file. */
function fileArgument(input: ComponentConfig, example: Record<string, unknown> | undefined, base: URL): string {
  const value = example?.[input.name];
  if (typeof value === 'string' && !value.startsWith('data:')) return new URL(value, base).href;
  return fileName(value, String(input.sample));
}

/**
 * Builds the two snippets: connect to the interface's URL, call its endpoint (`/predict`, a chat's `/chat`) with one keyword
 * argument per input (positional in Python when a name is not an identifier there).
 *
 * @example
 * const { javascript, python } = gradioSnippets(config, new URL('http://127.0.0.1:7860/'));
 */
export function gradioSnippets(config: InterfaceConfig, base: URL): GradioSnippets {
  const example = config.examples[0];
  const hasFile = config.inputs.some((i) => i.file);
  const args = config.inputs.map((input, index) => ({
    name: parameterName(input, index),
    js: input.file ? `handle_file(${JSON.stringify(fileArgument(input, example, base))})` : JSON.stringify(sampleValue(input, example)),
    py: input.file ? `handle_file(${JSON.stringify(fileArgument(input, example, base))})` : pythonLiteral(sampleValue(input, example)),
  }));
  const javascript = [
    `import { Client${hasFile ? ', handle_file' : ''} } from "@gradio/client";`,
    '',
    `const client = await Client.connect(${JSON.stringify(base.href)});`,
    `const result = await client.predict(${JSON.stringify(config.api.gradio)}, {`,
    ...args.map((a) => `  ${/^[A-Za-z_$][\w$]*$/.test(a.name) ? a.name : JSON.stringify(a.name)}: ${a.js},`),
    `});`,
    '',
    `console.log(result.data); // [${config.outputs.map((o) => o.name).join(', ')}]`,
  ].join('\n');
  const keywords = args.every((a) => /^[A-Za-z_]\w*$/.test(a.name) && !PYTHON_UNUSABLE.has(a.name));
  const python = [
    `from gradio_client import Client${hasFile ? ', handle_file' : ''}`,
    '',
    `client = Client(${JSON.stringify(base.href)})`,
    'result = client.predict(',
    ...args.map((a) => `    ${keywords ? `${a.name}=` : ''}${a.py},`),
    `    api_name=${JSON.stringify(config.api.gradio)},`,
    ')',
    `print(result)${config.outputs.length > 1 ? `  # (${config.outputs.map((o) => o.name).join(', ')})` : ''}`,
  ].join('\n');
  return { javascript, python };
}
