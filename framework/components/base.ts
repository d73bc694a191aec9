/** The component contract: one kind of input or output, its wire schema and its conversions. */
import { z } from 'zod';
import { VitrineError, type ErrorCode } from '../errors.ts';

/** What a conversion step knows about the value it handles. */
export interface ConvertContext {
  /** The input or output name, used in error messages. */
  field: string;
  /** A multipart file part's own file name and media type, when the value came as one. */
  fileName?: string | undefined;
  mimeType?: string | undefined;
}

/** One file inside a wire value, read and checked: what Gradio's file store and flagging keep. */
export interface FileBytes {
  bytes: Uint8Array;
  /** The media type (`image/png`, `audio/wav`, `application/octet-stream`). */
  mimeType: string;
  /** The extension it is stored under, without the dot (`png`, `wav`). */
  extension: string;
  /** The name it was sent with, when it had one. */
  name?: string | undefined;
}

/**
 * How a kind's wire value holds files. Gradio's protocol sends them as FileData, flagging stores
 * them as files, and the JSON API as base64 or `data:` URLs: the generic code walks a value with
 * `map` and converts each file with `read`/`write`, so no code outside the kind knows its shape.
 */
export interface FileCodec {
  /**
   * Calls `fn` on every file of a value, in order, and returns the value rebuilt with what `fn`
   * returned. The value may be a wire value (files as strings) or Gradio's (files as FileData).
   */
  map(value: unknown, fn: (file: unknown) => unknown): unknown;
  /** A file as the wire carries it → its bytes, checked as a prediction would check them (throws the catalogue error naming `field`). */
  read(file: unknown, field: string): FileBytes;
  /** Bytes (an upload, a stored file) → the file as the wire carries it. */
  write(file: FileBytes): unknown;
}

/** A kind's place in Gradio's protocol: the class name `/config` and `info` report, and the props its own component would send. */
export interface GradioMapping {
  readonly name: string;
  readonly props: Readonly<Record<string, unknown>>;
}

/**
 * One component kind. `Wire` is the JSON value on the API; `Transport` is what crosses from the
 * main thread to the worker (already checked, cheap to copy); `Value` is what the app's function
 * receives; `Result` is what the function may return for an output.
 */
export interface Component<Kind extends string = string, Wire = unknown, Transport = Wire, Value = Transport, Result = Value> {
  readonly kind: Kind;
  /** The custom element that reads and writes this wire value (`vt-image`, or an app's own `x-rating`). */
  readonly tag: string;
  /**
   * The module that defines the element: a built-in element's folder name (`image`), or the URL of
   * an app's own module (a `.ts` or `.js` file), which the server bundles and the page loads only
   * when it shows this kind.
   */
  readonly element: string;
  /** Gradio's class name and props for this kind. */
  readonly gradio: GradioMapping;
  /** Display name and help text shown on the page. */
  readonly label: string | undefined;
  readonly info: string | undefined;
  /** Serialisable options sent to the page in `/api/config`. */
  readonly props: Readonly<Record<string, unknown>>;
  /** The wire format: the single source of truth for validation, OpenAPI and types. */
  readonly schema: z.ZodType<Wire>;
  /** Used when the input is missing from a request; `undefined` makes the input required. */
  readonly defaultValue: Wire | undefined;
  /** A valid wire value, for docs and the contract tests. */
  readonly exampleWire: Wire;
  /** A valid function-side value, for the contract tests. */
  readonly exampleValue: Result;
  /** What the "Use via API" snippets show for this input (a file kind: a file name such as `image.png`). */
  readonly sample: unknown;
  /** True when a multipart request carries this input as a file part (and Gradio as one FileData). */
  readonly isFile: boolean;
  /** With `isFile`: the input takes several file parts (a list of files). */
  readonly multipleFiles: boolean;
  /** How files sit inside the wire value; undefined for kinds without files. */
  readonly files: FileCodec | undefined;
  /** The catalogue error for a file part over the limit (`FILE_TOO_LARGE`; an image says `IMAGE_TOO_LARGE`). */
  readonly tooLarge: ErrorCode;
  /** Largest file part accepted for this input (file components only); sizes the multipart limit. */
  readonly maxFileBytes: number | undefined;
  /** Main thread: wire (already schema-valid) → what goes to the worker; cheap checks only. */
  toTransport(wire: Wire, ctx: ConvertContext): Transport;
  /** Main thread: a multipart text field → wire value (checked against `schema` next). */
  fromMultipart(text: string, ctx: ConvertContext): Wire;
  /** Main thread: a multipart file part (or each, with `multipleFiles`) → transport value; only for `isFile` components. */
  fromFile(bytes: Uint8Array, ctx: ConvertContext): Transport;
  /** Worker: transport → the value the function receives. */
  preprocess(transport: Transport, ctx: ConvertContext): Value | Promise<Value>;
  /** Worker: the function's result → wire value. */
  postprocess(result: Result, ctx: ConvertContext): Wire | Promise<Wire>;
  /** Worker, once it is ready: loads what preprocess/postprocess load lazily (an image decoder). */
  warm(): Promise<unknown>;
}

// The type parameters are existential here: a record of components mixes kinds freely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyComponent = Component<string, any, any, any, any>;

/** The value an app's function receives for a component. */
export type ValueOf<C> = C extends Component<string, unknown, unknown, infer V, unknown> ? V : never;
/** The value an app's function returns for a component. */
export type ResultOf<C> = C extends Component<string, unknown, unknown, unknown, infer R> ? R : never;
/** The wire value of a component. */
export type WireOf<C> = C extends Component<string, infer W, unknown, unknown, unknown> ? W : never;

/** Options every component accepts. */
export interface CommonOptions {
  /** Display name on the page; defaults to the input/output name. */
  label?: string;
  /** Help text under the control. */
  info?: string;
}

/**
 * Builds a component from its parts, filling the identity conversions a simple value needs.
 * `IsFile` keeps `isFile` in the component's type, so a typed client knows which inputs take a file.
 *
 * @example
 * const c = defineComponent({ kind: 'checkbox', tag: 'vt-checkbox', schema: z.boolean(), props: {},
 *   exampleWire: true, exampleValue: true, options: {} });
 */
export function defineComponent<Kind extends string, Wire, Transport = Wire, Value = Transport, Result = Value, IsFile extends boolean = false>(def: {
  kind: Kind;
  /** Default `vt-<kind>`. */
  tag?: string;
  /** Default the kind's name: the built-in element of the same name. */
  element?: string | URL;
  /** Default: the kind's name capitalised, with no props. */
  gradio?: { name?: string; props?: Record<string, unknown> };
  schema: z.ZodType<Wire>;
  props: Record<string, unknown>;
  options: CommonOptions;
  exampleWire: Wire;
  exampleValue: Result;
  defaultValue?: Wire;
  /** Default `exampleWire`. */
  sample?: unknown;
  isFile?: IsFile;
  multipleFiles?: boolean;
  files?: FileCodec;
  tooLarge?: ErrorCode;
  maxFileBytes?: number;
  toTransport?: (wire: Wire, ctx: ConvertContext) => Transport;
  fromMultipart?: (text: string, ctx: ConvertContext) => Wire;
  fromFile?: (bytes: Uint8Array, ctx: ConvertContext) => Transport;
  preprocess?: (transport: Transport, ctx: ConvertContext) => Value | Promise<Value>;
  postprocess?: (result: Result, ctx: ConvertContext) => Wire | Promise<Wire>;
  warm?: () => Promise<unknown>;
}): Component<Kind, Wire, Transport, Value, Result> & { readonly isFile: IsFile } {
  // Simple values cross every stage unchanged.
  const identity = (x: unknown) => x as never;
  const tag = def.tag ?? `vt-${def.kind}`;
  if (!CUSTOM_ELEMENT_NAME.test(tag)) throw new TypeError(`defineComponent(): tag "${tag}" is not a custom element name (lower case, with a hyphen)`);
  if (!KIND_NAME.test(def.kind)) throw new TypeError(`defineComponent(): kind "${def.kind}" must be lower case letters, digits and hyphens`);
  if (def.isFile && def.files === undefined) throw new TypeError(`defineComponent(): kind "${def.kind}" takes files (isFile) but has no "files" codec`);
  return Object.freeze({
    kind: def.kind,
    tag,
    element: def.element === undefined ? def.kind : String(def.element),
    gradio: Object.freeze({
      name: def.gradio?.name ?? def.kind.charAt(0).toUpperCase() + def.kind.slice(1),
      props: Object.freeze({ ...def.gradio?.props }),
    }),
    label: def.options.label,
    info: def.options.info,
    props: Object.freeze({ ...def.props }),
    schema: def.schema,
    defaultValue: def.defaultValue,
    exampleWire: def.exampleWire,
    exampleValue: def.exampleValue,
    sample: def.sample ?? def.exampleWire,
    isFile: def.isFile ?? (false as IsFile),
    multipleFiles: def.multipleFiles ?? false,
    files: def.files,
    tooLarge: def.tooLarge ?? 'FILE_TOO_LARGE',
    maxFileBytes: def.maxFileBytes,
    toTransport: def.toTransport ?? identity,
    fromMultipart: def.fromMultipart ?? jsonFieldFromMultipart(def.schema),
    fromFile: def.fromFile ?? refuseFile(def.kind),
    preprocess: def.preprocess ?? identity,
    postprocess: def.postprocess ?? identity,
    warm: def.warm ?? (() => Promise.resolve()),
  });
}

/** Custom element names (HTML's rule, ASCII only): a letter first, a hyphen somewhere. */
const CUSTOM_ELEMENT_NAME = /^[a-z][a-z0-9]*-[a-z0-9-]*$/;
const KIND_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * A multipart text field holds either the JSON of the value (`5`, `true`, `"x"`) or, for strings,
 * the raw text; try JSON first only when the schema does not accept the raw text.
 */
function jsonFieldFromMultipart<Wire>(schema: z.ZodType<Wire>) {
  return function fromMultipartField(part: string): Wire {
    if (schema.safeParse(part).success) return part as Wire;
    try {
      return JSON.parse(part) as Wire;
    } catch {
      return part as Wire;
    }
  };
}

/** Components whose value is not a file answer a file part with a 400 naming the field. */
function refuseFile(kind: string) {
  return function refuseFilePart(_bytes: Uint8Array, ctx: ConvertContext): never {
    throw new VitrineError('INVALID_INPUT', { field: ctx.field, reason: `a ${kind} input takes a text field, not a file` });
  };
}

/**
 * Checks a component option when the component is built, with an error listing the valid choices.
 *
 * @example
 * checkOption('Image', 'mode', 'LA', ['L', 'RGB', 'RGBA']); // throws: mode must be one of L, RGB, RGBA
 */
export function checkOption<T extends string>(component: string, name: string, value: unknown, choices: readonly T[]): T {
  if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
  throw new TypeError(`${component}(): option "${name}" must be one of ${choices.join(', ')}; got ${JSON.stringify(value)}`);
}

/**
 * Checks a numeric option when the component is built.
 *
 * @example
 * checkNumber('Label', 'topK', 3, { min: 1, integer: true });
 */
export function checkNumber(
  component: string,
  name: string,
  value: unknown,
  rule: { min?: number; max?: number; integer?: boolean } = {},
): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!rule.integer || Number.isInteger(value)) &&
    (rule.min === undefined || value >= rule.min) &&
    (rule.max === undefined || value <= rule.max);
  if (ok) return value;
  const parts = [rule.integer ? 'an integer' : 'a finite number'];
  if (rule.min !== undefined) parts.push(`≥ ${rule.min}`);
  if (rule.max !== undefined) parts.push(`≤ ${rule.max}`);
  throw new TypeError(`${component}(): option "${name}" must be ${parts.join(' ')}; got ${JSON.stringify(value)}`);
}
