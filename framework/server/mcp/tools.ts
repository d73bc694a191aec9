/** An interface as an MCP tool: its name, description and input schema, its arguments as wire values, its outputs as MCP content. */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { VitrineError } from '../../errors.ts';
import type { NamedComponent, VitrineInterface } from '../../interface.ts';
import { fetchAllowed } from '../gradio/files.ts';
import type { ExampleFile } from '../interface-config.ts';
import { DEFAULT_FILE_PART_BYTES } from '../limits.ts';

/** A tool as `tools/list` and the schema route describe it. */
export interface ToolDescription {
  name: string;
  description: string;
  inputSchema: { type: 'object'; properties: Record<string, unknown>; required?: string[] };
}

/** MCP content items: text, or a picture or a sound as base64 with its media type. */
export type ToolContent = { type: 'text'; text: string } | { type: 'image' | 'audio'; data: string; mimeType: string };

/** Names that say nothing about what a function does: `fn: (x) => …` is called "fn". */
const ANONYMOUS = new Set(['', 'fn', 'anonymous', 'default', 'bound fn']);

/**
 * The tool's name: the function's name (as Gradio does), else the title, else `predict`; only the
 * characters MCP allows (letters, digits, `_`, `-`, `.`), at most 64.
 *
 * @example
 * toolName(fashion); // 'classify'
 * toolName(Interface({ fn: (t) => t, inputs: Textbox(), outputs: Textbox(), title: 'Echo it!' })); // 'echo_it'
 */
export function toolName(iface: VitrineInterface): string {
  const fnName = iface.options.fn.name;
  const source = !ANONYMOUS.has(fnName) ? fnName : (iface.options.title ?? '').toLowerCase();
  const name = source.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 64);
  return name === '' ? 'predict' : name;
}

/**
 * The tool for an interface: the description from its title and description and the outputs'
 * labels; one property per input, from its zod schema (files: a URL or base64, as MCP clients
 * send them), required unless it has a default.
 *
 * @example
 * describeTool(fashion).inputSchema.properties.image; // { type: 'string', description: 'Clothing picture: …' }
 */
export function describeTool(iface: VitrineInterface): ToolDescription {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const input of iface.inputs) {
    properties[input.name] = inputSchema(input);
    if (input.component.defaultValue === undefined) required.push(input.name);
  }
  const { title, description } = iface.options;
  const returns = iface.outputs.map((o) => `${o.name} (${[o.component.label, o.component.isFile ? `${o.component.kind} content` : 'JSON text'].filter(Boolean).join(', ')})`);
  const text = [title, description, `Returns: ${returns.join('; ')}.`]
    .filter((part): part is string => typeof part === 'string' && part.trim() !== '')
    .map((part) => part.trim().replace(/([^.!?])$/, '$1.'))
    .join(' ');
  return { name: toolName(iface), description: text, inputSchema: { type: 'object', properties, ...(required.length ? { required } : {}) } };
}

function inputSchema({ name, component }: NamedComponent): Record<string, unknown> {
  const about = [component.label ?? name, component.info].filter(Boolean).join(': ');
  if (component.isFile) {
    return { type: 'string', description: `${about.replace(/[.!?]$/, '')}. The ${component.kind} as an http(s) URL, a data: URL or base64.` };
  }
  let schema: Record<string, unknown>;
  try {
    schema = z.toJSONSchema(component.schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  } catch {
    schema = {};
  }
  delete schema.$schema;
  return { ...schema, description: about, ...(component.defaultValue === undefined ? {} : { default: component.defaultValue }) };
}

/** Where a URL argument may come from: this interface's own examples, or the operator's allow-list. */
export interface UrlSources {
  /** The interface's example files and the path prefix they are served under (`/examples/…` below the mount). */
  examples: readonly ExampleFile[];
  prefix: string;
  /** URL prefixes the server may fetch (`gradio.allowedUrls`). */
  allowedUrls: readonly string[];
}

/**
 * A tool call's arguments → wire values and file bytes for the pipeline's reader. A file input
 * given as an http(s) URL is one of the interface's example files (read from disk) or an
 * allow-listed URL (fetched); any other string goes to the component's schema (base64, data: URL).
 *
 * @example
 * const { wire, files } = await toolArguments(iface, { image: 'data:image/png;base64,…' }, sources);
 * pipeline.read(wire, files);
 */
export async function toolArguments(iface: VitrineInterface, args: Record<string, unknown>, sources: UrlSources): Promise<{ wire: Record<string, unknown>; files: Record<string, Uint8Array> }> {
  const wire: Record<string, unknown> = { ...args };
  const files: Record<string, Uint8Array> = {};
  for (const { name, component } of iface.inputs) {
    const value = args[name];
    if (!component.isFile || typeof value !== 'string' || !/^https?:\/\//i.test(value)) continue;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new VitrineError('INVALID_INPUT', { field: name, reason: 'not a valid URL' });
    }
    delete wire[name];
    const example = sources.examples.find((e) => e.input === name && url.pathname === `${sources.prefix}examples/${e.index}/${encodeURIComponent(e.file)}`);
    if (example) files[name] = new Uint8Array(await readFile(example.path));
    else if (sources.allowedUrls.some((prefix) => url.href.startsWith(prefix))) files[name] = await fetchAllowed(url, component.maxFileBytes ?? DEFAULT_FILE_PART_BYTES, name);
    else {
      throw new VitrineError('INVALID_INPUT', {
        field: name,
        reason: `${url.href.slice(0, 200)} is a URL this server does not fetch (only its own examples and the operator's gradio.allowedUrls); send the ${component.kind} as base64 or a data: URL`,
      });
    }
  }
  return { wire, files };
}

/**
 * The outputs (wire values, in the interface's order) as MCP content: a file output that is a
 * `data:` URL of a picture or a sound becomes image or audio content; a value with files inside
 * (a gallery, an annotated picture) becomes its JSON text, each file named there by its place,
 * followed by the files as image or audio content; a string is its text; any other value is JSON text.
 *
 * @example
 * toolContent(fashion, { label: { label: 'Sneaker', confidences: […] }, seen: 'data:image/png;base64,…' });
 * // [{ type: 'text', text: '{"label":"Sneaker",…}' }, { type: 'image', data: '…', mimeType: 'image/png' }]
 */
export function toolContent(iface: VitrineInterface, outputs: Record<string, unknown>): ToolContent[] {
  return iface.outputs.flatMap(({ name, component }): ToolContent[] => {
    const value = outputs[name];
    const whole = mediaContent(value);
    if (whole) return [whole];
    if (component.files === undefined || typeof value === 'string') return [textContent(value)];
    const files: ToolContent[] = [];
    const described = component.files.map(value, (file) => {
      const media = mediaContent(file);
      if (media === null) return file;
      files.push(media);
      return `(${media.type} ${files.length} of ${name}, below)`;
    });
    return [textContent(described), ...files];
  });
}

function mediaContent(value: unknown): ToolContent | null {
  const media = typeof value === 'string' ? /^data:((image|audio)\/[\w.+-]+);base64,(.*)$/s.exec(value) : null;
  return media ? { type: media[2] as 'image' | 'audio', mimeType: media[1]!, data: media[3]! } : null;
}

function textContent(value: unknown): ToolContent {
  return { type: 'text', text: typeof value === 'string' ? value : JSON.stringify(value) };
}
