/**
 * Wire values → checked values → work items, shared by predict and flagging: the request schemas
 * built from the components, the catalogue error for the first problem zod finds, and the JSON
 * and multipart readers of `POST api/predict`.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { VitrineError } from '../errors.ts';
import type { NamedComponent, VitrineInterface } from '../interface.ts';
import type { WorkItem } from '../runtime/execute.ts';
import { DEFAULT_FILE_PART_BYTES, MAX_FIELD_BYTES } from './limits.ts';

type Shape = Record<string, z.ZodType>;

/** A component's schema with its label as the JSON Schema title. */
function titled({ component }: NamedComponent): z.ZodType {
  return component.label ? component.schema.meta({ title: component.label }) : component.schema;
}

/**
 * The object of one wire value per input: unknown keys refused, inputs with a default optional
 * (zod fills the default). Predict, the flag body and OpenAPI all use it.
 *
 * @example
 * inputsSchema(iface.inputs).parse({ text: 'hi' }); // { text: 'hi', times: 3 }
 */
export function inputsSchema(inputs: readonly NamedComponent[], error?: string): z.ZodObject<Shape> {
  const shape: Shape = {};
  for (const input of inputs) {
    const schema = titled(input);
    shape[input.name] = input.component.defaultValue === undefined ? schema : schema.default(input.component.defaultValue);
  }
  return z.strictObject(shape, error === undefined ? undefined : { error });
}

/**
 * The object of one wire value per output; with `partial`, every output may be left out (a flag
 * need not say what the app answered).
 *
 * @example
 * outputsSchema(iface.outputs).parse(outcome.outputs);
 */
export function outputsSchema(outputs: readonly NamedComponent[], opts: { partial?: boolean; error?: string } = {}): z.ZodObject<Shape> {
  const shape: Shape = {};
  for (const output of outputs) shape[output.name] = opts.partial ? titled(output).optional() : titled(output);
  return z.strictObject(shape, opts.error === undefined ? undefined : { error: opts.error });
}

/** How the errors of one kind of body name their fields. */
export interface WireNaming {
  /** The message of the 400 for a body that is not a JSON object. */
  notAnObject: string;
  /** The field an issue at `path` is about, and the part of the path inside that field's value. */
  split(path: readonly PropertyKey[]): { field: string; inside: readonly PropertyKey[] };
  /** The keys the object at `path` takes, for the message about an unknown one. */
  expected(path: readonly PropertyKey[]): readonly string[];
}

/** Predict's bodies: one key per input, each the field it is about. */
export function inputNaming(inputs: readonly NamedComponent[]): WireNaming {
  const names = inputs.map((i) => i.name);
  return {
    notAnObject: `The body must be a JSON object with one key per input: ${quoted(names)}`,
    split: (path) => ({ field: String(path[0] ?? names[0]), inside: path.slice(1) }),
    expected: () => names,
  };
}

/**
 * Parses `value` with `schema`, or throws the catalogue error for the first problem: an unknown
 * key (UNKNOWN_FIELD), then a missing value (MISSING_INPUT), then any other (INVALID_INPUT, with
 * zod's message and where inside the value it is), or BAD_REQUEST for a body that is no object.
 *
 * @example
 * const wire = parseWire(inputsSchema(iface.inputs), req.body, inputNaming(iface.inputs));
 */
export function parseWire<T>(schema: z.ZodType<T>, value: unknown, naming: WireNaming): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw wireError(parsed.error.issues, value, naming);
}

function wireError(issues: readonly z.core.$ZodIssue[], value: unknown, naming: WireNaming): VitrineError {
  const unknownKeys = issues
    .filter((i): i is z.core.$ZodIssueUnrecognizedKeys => i.code === 'unrecognized_keys')
    .sort((a, b) => a.path.length - b.path.length)[0];
  if (unknownKeys) {
    const field = [...unknownKeys.path, unknownKeys.keys[0]!].map(String).join('.');
    return new VitrineError('UNKNOWN_FIELD', { field, expected: quoted(naming.expected(unknownKeys.path)) });
  }
  // Missing: a whole field left out, not a key inside a field's value (that is an invalid value).
  const missing = issues.find(
    (i) => i.code === 'invalid_type' && i.path.length > 0 && naming.split(i.path).inside.length === 0 && valueAt(value, i.path) === undefined,
  );
  if (missing) return new VitrineError('MISSING_INPUT', { field: naming.split(missing.path).field });
  const issue = issues[0]!;
  if (issue.path.length === 0) return new VitrineError('BAD_REQUEST', { reason: naming.notAnObject });
  const { field, inside } = naming.split(issue.path);
  const where = inside.length > 0 ? ` (at ${inside.map(String).join('.')})` : '';
  return new VitrineError('INVALID_INPUT', { field, reason: `${issue.message}${where}` });
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function quoted(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}

/** The multipart parser's limits for one interface, within the server's body limit. */
export interface MultipartLimits {
  /** Largest file part: the largest any file input takes. */
  maxFileBytes: number;
  /** Largest text field. */
  maxFieldBytes: number;
  /** Largest whole body: a Content-Length above it is refused before a byte is read. */
  maxBodyBytes: number;
}

/**
 * Multipart bodies are streamed past Fastify's `bodyLimit`, so each part is held to it here.
 *
 * @example
 * multipartLimits(iface, app.initialConfig.bodyLimit); // { maxFileBytes: 10485760, maxFieldBytes: 15728640 }
 */
export function multipartLimits(iface: VitrineInterface, bodyLimit: number): MultipartLimits {
  const fileInputs = iface.inputs.filter((i) => i.component.isFile);
  return {
    maxFileBytes: Math.min(bodyLimit, Math.max(1, ...fileInputs.map((i) => i.component.maxFileBytes ?? DEFAULT_FILE_PART_BYTES))),
    maxFieldBytes: Math.min(bodyLimit, MAX_FIELD_BYTES),
    maxBodyBytes: bodyLimit,
  };
}

/** Reads predict's bodies into work items: what the scheduler queues and the executor runs. */
export interface WorkItemReader {
  /** A JSON body: one key per input. */
  fromJson(body: unknown): WorkItem;
  /** A multipart body: one field or file part per input. */
  fromMultipart(req: FastifyRequest): Promise<WorkItem>;
  /** Wire values plus inputs that arrived as file bytes (multipart, Gradio's FileData). */
  fromWire(wire: Record<string, unknown>, files?: Record<string, Uint8Array | FilePart[]>): WorkItem;
}

/** One file part as multipart delivered it. */
export interface FilePart {
  bytes: Uint8Array;
  fileName?: string | undefined;
  mimeType?: string | undefined;
}

/**
 * Builds the readers of one interface's predict bodies; the schemas are built once here.
 *
 * @example
 * const read = workItemReader(iface, multipartLimits(iface, bodyLimit));
 * const item = req.isMultipart() ? await read.fromMultipart(req) : read.fromJson(req.body);
 */
export function workItemReader(iface: VitrineInterface, limits: MultipartLimits): WorkItemReader {
  const schema = inputsSchema(iface.inputs);
  const naming = inputNaming(iface.inputs);
  const inputNames = new Set(iface.inputs.map((i) => i.name));
  const schemasWithout = new Map<string, z.ZodType<Record<string, unknown>>>();

  /**
   * The request schema less the inputs sent as files, built once per set of names: zod compiles
   * each new object schema on first use, which cost 50–90 µs per multipart request when rebuilt (measured).
   */
  function schemaWithout(names: string[]): z.ZodType<Record<string, unknown>> {
    if (names.length === 0) return schema;
    const key = names.join('\0');
    let found = schemasWithout.get(key);
    if (!found) schemasWithout.set(key, (found = schema.omit(Object.fromEntries(names.map((n) => [n, true])) as never)));
    return found;
  }

  function toWorkItem(wire: unknown, sentAsFiles: string[] = []): WorkItem {
    const checked = parseWire(schemaWithout(sentAsFiles), wire, naming);
    const item: WorkItem = {};
    for (const { name, component } of iface.inputs) {
      if (!sentAsFiles.includes(name)) item[name] = component.toTransport(checked[name], { field: name });
    }
    return item;
  }

  async function fromMultipart(req: FastifyRequest): Promise<WorkItem> {
    // Multipart is streamed past Fastify's own check: a declared length over the limit is refused at once.
    if (Number(req.headers['content-length']) > limits.maxBodyBytes) throw new VitrineError('BODY_TOO_LARGE', { limit: limits.maxBodyBytes });
    const wire: Record<string, unknown> = {};
    const parts: Record<string, FilePart[]> = {};
    for await (const part of req.parts()) {
      const name = part.fieldname;
      if (!name) throw new VitrineError('BAD_REQUEST', { reason: 'a multipart part has no field name (Content-Disposition: form-data; name="…")' });
      if (!inputNames.has(name)) throw new VitrineError('UNKNOWN_FIELD', { field: name, expected: quoted([...inputNames]) });
      const component = iface.inputs.find((i) => i.name === name)!.component;
      const more = component.multipleFiles && part.type === 'file' && name in parts;
      if (!more && (name in wire || name in parts)) throw new VitrineError('INVALID_INPUT', { field: name, reason: 'sent more than once' });
      if (part.type === 'file') {
        if (!component.isFile) {
          part.file.resume();
          throw new VitrineError('INVALID_INPUT', { field: name, reason: `a ${component.kind} input takes a text field, not a file` });
        }
        const bytes = await part.toBuffer().catch((err: unknown) => {
          if ((err as { code?: unknown }).code !== 'FST_REQ_FILE_TOO_LARGE') throw err;
          throw new VitrineError(component.tooLarge, { field: name, reason: `the file is larger than ${limits.maxFileBytes} bytes` });
        });
        (parts[name] ??= []).push({ bytes, fileName: part.filename || undefined, mimeType: part.mimetype || undefined });
      } else {
        // busboy cuts an over-long field short and says so; a cut value must never reach the app.
        if (part.valueTruncated) {
          throw component.isFile
            ? new VitrineError(component.tooLarge, { field: name, reason: `the field is longer than ${limits.maxFieldBytes} bytes` })
            : new VitrineError('BODY_TOO_LARGE', { field: name, limit: limits.maxFieldBytes });
        }
        wire[name] = component.fromMultipart(String(part.value), { field: name });
      }
    }
    return fromWire(wire, parts);
  }

  function fromWire(wire: Record<string, unknown>, files: Record<string, Uint8Array | FilePart[]> = {}): WorkItem {
    const item = toWorkItem(wire, Object.keys(files));
    for (const [name, sent] of Object.entries(files)) {
      const component = iface.inputs.find((i) => i.name === name)!.component;
      const list = sent instanceof Uint8Array ? [{ bytes: sent }] : sent;
      const values = list.map((p) => component.fromFile(p.bytes, { field: name, fileName: p.fileName, mimeType: p.mimeType }));
      item[name] = component.multipleFiles ? values : values[0];
    }
    return item;
  }

  return { fromJson: (body) => toWorkItem(body), fromMultipart, fromWire };
}
