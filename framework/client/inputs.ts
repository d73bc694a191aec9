/**
 * What a server says its app takes, read from its OpenAPI document (generated from the
 * components' zod schemas), and turning `predict`'s inputs into a request body: JSON, or multipart
 * when a file goes along. Nothing here imports a Node module: a file path is read through a
 * dynamic import, only when one is given. zod too is imported only to read a description: in a
 * browser bundle it is ~93 KB gzipped against ~4 KB for the rest of the client (esbuild, minified).
 */
import type { z } from 'zod';
import type * as NodeFs from 'node:fs/promises';
import { VitrineClientError, localError } from './errors.ts';

/** One input as the server describes it. */
export interface InputDescription {
  name: string;
  /** Sent as a file part in multipart (an image). */
  file: boolean;
  /** The server has no default for it. */
  required: boolean;
  /** Its wire value's schema, rebuilt from the JSON Schema the server publishes. */
  schema: z.ZodType;
}

/** What `describe()` resolves to. */
export interface AppDescription {
  title: string;
  inputs: InputDescription[];
  outputs: string[];
}

/** The part of an OpenAPI document the client reads: the predict operation's bodies. */
function openApiPredict(zod: typeof z) {
  const jsonSchemaObject = zod.object({
    properties: zod.record(zod.string(), zod.record(zod.string(), zod.unknown())),
    required: zod.array(zod.string()).default([]),
  });
  return zod.object({
    info: zod.object({ title: zod.string() }),
    paths: zod.object({
      '/api/predict': zod.object({
        post: zod.object({
          requestBody: zod.object({
            content: zod.object({
              'application/json': zod.object({ schema: jsonSchemaObject }),
              'multipart/form-data': zod.object({ schema: jsonSchemaObject }).optional(),
            }),
          }),
          responses: zod.object({ '200': zod.object({ content: zod.object({ 'application/json': zod.object({ schema: jsonSchemaObject }) }) }) }),
        }),
      }),
    }),
  });
}

/**
 * Reads a Vitrine server's `openapi.json` into the description of its inputs and outputs.
 *
 * @example
 * const app = await describeOpenApi(await (await fetch('http://127.0.0.1:7860/openapi.json')).json());
 */
export async function describeOpenApi(doc: unknown): Promise<AppDescription> {
  const { z } = await import('zod');
  const parsed = openApiPredict(z).safeParse(doc);
  if (!parsed.success) throw new VitrineClientError('BAD_RESPONSE', `the server's openapi.json has no predict operation Vitrine's client can read: ${parsed.error.issues[0]?.message ?? ''}`);
  const post = parsed.data.paths['/api/predict'].post;
  const json = post.requestBody.content['application/json'].schema;
  const multipart = post.requestBody.content['multipart/form-data']?.schema;
  return {
    title: parsed.data.info.title,
    inputs: Object.entries(json.properties).map(([name, schema]) => ({
      name,
      file: multipart?.properties[name]?.format === 'binary',
      required: json.required.includes(name),
      schema: z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]),
    })),
    outputs: Object.keys(post.responses['200'].content['application/json'].schema.properties),
  };
}

/**
 * Refuses, before anything is sent, what the server would refuse: an unknown input, a missing
 * required one, a value its schema rejects, or something that is not a file for a file input.
 * The errors carry the server's codes and messages.
 *
 * @example
 * checkInputs({ text: 'hi', times: 9 }, app); // throws INVALID_INPUT for "times" when its maximum is 5
 */
export function checkInputs(inputs: Record<string, unknown>, app: AppDescription): void {
  if (inputs === null || typeof inputs !== 'object' || Array.isArray(inputs)) {
    throw new VitrineClientError('BAD_REQUEST', `predict takes an object with one key per input: ${expected(app)}`);
  }
  for (const name of Object.keys(inputs)) {
    if (!app.inputs.some((i) => i.name === name)) throw localError('UNKNOWN_FIELD', { field: name, expected: expected(app) });
  }
  for (const input of app.inputs) {
    const value = inputs[input.name];
    if (value === undefined) {
      if (input.required) throw localError('MISSING_INPUT', { field: input.name });
      continue;
    }
    if (input.file) {
      if (!isFileValue(value)) {
        throw localError('INVALID_INPUT', { field: input.name, reason: 'expected a Blob, Buffer, Uint8Array, ArrayBuffer, data: URL, or a file path or file: URL (Node)' });
      }
      continue;
    }
    const checked = input.schema.safeParse(value);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` (at ${issue.path.join('.')})` : '';
      throw localError('INVALID_INPUT', { field: input.name, reason: `${issue?.message ?? 'refused'}${where}` });
    }
  }
}

function expected(app: AppDescription): string {
  return app.inputs.map((i) => `"${i.name}"`).join(', ');
}

function isFileValue(value: unknown): boolean {
  return value instanceof Blob || value instanceof Uint8Array || value instanceof ArrayBuffer || value instanceof URL || (typeof value === 'string' && value !== '');
}

/** A request body and, for JSON, its content type (FormData sets its own, with the boundary). */
export interface RequestBody {
  body: string | FormData;
  contentType: string | undefined;
}

/**
 * Builds the body: JSON unless a file goes along as bytes, then multipart with one part per
 * input (files as file parts, other values as text fields, JSON-encoded unless they are text).
 * A `data:` URL stays a string. Without a description (`validate: false`), only Blobs, byte
 * arrays and `file:` URLs are known to be files.
 *
 * @example
 * const { body, contentType } = await requestBody({ image: await readFile('shoe.png') }, app);
 */
export async function requestBody(inputs: Record<string, unknown>, app: AppDescription | undefined): Promise<RequestBody> {
  const files = new Map<string, { blob: Blob; filename: string }>();
  for (const [name, value] of Object.entries(inputs)) {
    const described = app?.inputs.find((i) => i.name === name);
    const isFile = described ? described.file : value instanceof Blob || value instanceof Uint8Array || value instanceof ArrayBuffer || value instanceof URL;
    if (!isFile || value === undefined || (typeof value === 'string' && value.startsWith('data:'))) continue;
    files.set(name, await fileOf(name, value));
  }
  if (files.size === 0) return { body: JSON.stringify(inputs), contentType: 'application/json' };
  const form = new FormData();
  for (const [name, value] of Object.entries(inputs)) {
    if (value === undefined) continue;
    const file = files.get(name);
    if (file) form.append(name, file.blob, file.filename);
    else form.append(name, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return { body: form, contentType: undefined };
}

async function fileOf(name: string, value: unknown): Promise<{ blob: Blob; filename: string }> {
  if (value instanceof Blob) return { blob: value, filename: value instanceof File && value.name !== '' ? value.name : name };
  if (value instanceof ArrayBuffer) return { blob: new Blob([value]), filename: name };
  if (value instanceof Uint8Array) return { blob: new Blob([value as Uint8Array<ArrayBuffer>]), filename: name };
  if (value instanceof URL || typeof value === 'string') {
    if (value instanceof URL && value.protocol !== 'file:') {
      throw localError('INVALID_INPUT', { field: name, reason: `only file: URLs are read; fetch ${value.protocol} URLs yourself and pass the Blob` });
    }
    const bytes = await readLocalFile(name, value);
    const path = value instanceof URL ? decodeURIComponent(value.pathname) : value;
    return { blob: new Blob([bytes as Uint8Array<ArrayBuffer>]), filename: path.split(/[\\/]/).pop() || name };
  }
  throw localError('INVALID_INPUT', { field: name, reason: 'expected a file' });
}

/** Reads a file in Node; the module name is a variable so that bundlers for the browser leave it alone. */
async function readLocalFile(field: string, path: string | URL): Promise<Uint8Array> {
  const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';
  if (!isNode) throw localError('INVALID_INPUT', { field, reason: 'a file path can only be read in Node; pass a Blob or a data: URL' });
  const fsModule = 'node:fs/promises';
  const fs = (await import(/* @vite-ignore */ fsModule)) as typeof NodeFs;
  try {
    return await fs.readFile(path);
  } catch (err) {
    throw localError('INVALID_INPUT', { field, reason: `cannot read ${String(path)}: ${(err as { code?: string }).code ?? String(err)}` });
  }
}
