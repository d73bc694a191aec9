/** The "Use via API" snippets (curl and JavaScript), generated from the interface's config. */
import type { ComponentConfig, InterfaceConfig } from '../internal/config.ts';

/** The snippets shown in the "Use via API" panel. */
export interface ApiSnippets {
  /** Absolute URL of the predict endpoint. */
  url: string;
  curl: string;
  /** The same curl call asking for the event stream: progress reports and partial outputs as they come (`-N`: unbuffered). */
  curlStream: string;
  javascript: string;
}

/** A sample value for an input: from the first example when there is one, else the one its kind gives (a file kind: a file name). */
export function sampleValue(input: ComponentConfig, example: Record<string, unknown> | undefined): unknown {
  const fromExample = example?.[input.name];
  return fromExample !== undefined ? fromExample : (input.sample ?? null);
}

/** The file name to show for a file example URL (`examples/sneaker.png` → `sneaker.png`). */
export function fileName(value: unknown, fallback: string): string {
  if (typeof value !== 'string' || value.startsWith('data:')) return fallback;
  const last = value.split(/[?#]/)[0]?.split('/').pop();
  return last !== undefined && last !== '' ? decodeURIComponent(last) : fallback;
}

/** Single-quotes a string for POSIX shells. */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A JavaScript identifier for an input name (`my-image` → `my_image`). */
function identifier(name: string): string {
  const id = name.replace(/[^\p{L}\p{N}_$]/gu, '_');
  return /^[\p{L}_$]/u.test(id) ? id : `_${id}`;
}

/**
 * Builds curl and JavaScript snippets for `POST {base}/api/predict`. With image inputs, curl sends
 * multipart (one part per input, image files by path); otherwise JSON. The JavaScript sends JSON,
 * images as data URLs read from a file input.
 *
 * @example
 * const { curl, javascript } = apiSnippets(config, new URL('http://127.0.0.1:7860/'));
 */
export function apiSnippets(config: InterfaceConfig, base: URL): ApiSnippets {
  const url = new URL(config.api.predict, base).href;
  const example = config.examples[0];
  const files = config.inputs.filter((i) => i.file);

  let curl: string;
  if (files.length > 0) {
    const parts = config.inputs.map((input) => {
      const value = sampleValue(input, example);
      if (input.file) return `-F ${shellQuote(`${input.name}=@${fileName(value, String(input.sample))}`)}`;
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      return `-F ${shellQuote(`${input.name}=${text}`)}`;
    });
    curl = [`curl -X POST ${shellQuote(url)}`, ...parts].join(' \\\n  ');
  } else {
    const body = Object.fromEntries(config.inputs.map((input) => [input.name, sampleValue(input, example)]));
    curl = [`curl -X POST ${shellQuote(url)}`, `-H 'Content-Type: application/json'`, `-d ${shellQuote(JSON.stringify(body))}`].join(' \\\n  ');
  }

  const lines: string[] = [];
  if (files.length > 0) {
    lines.push(
      '// Files travel as data URLs; read them from an <input type="file"> (or fetch a Blob).',
      'const toDataUrl = (file) =>',
      '  new Promise((resolve, reject) => {',
      '    const reader = new FileReader();',
      '    reader.onload = () => resolve(reader.result);',
      '    reader.onerror = () => reject(reader.error);',
      '    reader.readAsDataURL(file);',
      '  });',
      '',
    );
  }
  const fields = config.inputs.map((input) => {
    if (input.file) {
      return `  ${JSON.stringify(input.name)}: await toDataUrl(document.querySelector('#${identifier(input.name)}').files[0]),`;
    }
    return `  ${JSON.stringify(input.name)}: ${JSON.stringify(sampleValue(input, example))},`;
  });
  lines.push(
    `const response = await fetch(${JSON.stringify(url)}, {`,
    `  method: 'POST',`,
    `  headers: { 'Content-Type': 'application/json' },`,
    `  body: JSON.stringify({`,
    ...fields.map((f) => `  ${f}`),
    `  }),`,
    `});`,
    `const result = await response.json();`,
    `if (!response.ok) throw new Error(result.message);`,
    ...config.outputs.map((o) => `console.log(result[${JSON.stringify(o.name)}]);`),
  );
  const curlStream = `${curl.replace(/^curl /, 'curl -N ')} \\\n  -H 'Accept: text/event-stream'`;
  return { url, curl, curlStream, javascript: lines.join('\n') };
}
