/** Interface(): a function plus typed input and output components — the whole declaration of an app. */
import type { AnyComponent, ResultOf, ValueOf } from './components/base.ts';

/** One component, or a record of named components. */
export type ComponentSpec = AnyComponent | Readonly<Record<string, AnyComponent>>;

/** What the function receives: the value of the single input, or a record of them. */
export type InputsOf<S extends ComponentSpec> = S extends AnyComponent ? ValueOf<S> : { -readonly [K in keyof S]: ValueOf<S[K]> };

/** What the function returns: the value of the single output, or a record of them. */
export type OutputsOf<S extends ComponentSpec> = S extends AnyComponent ? ResultOf<S> : { -readonly [K in keyof S]: ResultOf<S[K]> };

type MaybePromise<T> = T | Promise<T>;

/**
 * What an unbatched function may return: the outputs, or an async iterable of them — an
 * `async function*` whose every `yield` is a partial output and whose last yield is the final one —
 * or a promise of either.
 */
export type FunctionResult<T> = MaybePromise<T | AsyncIterable<T>>;

/** Micro-batching: concurrent requests are grouped, and the function takes and returns arrays. */
export interface BatchOptions {
  /** Most requests in one call (≥ 1). */
  maxSize: number;
  /** Longest a request waits for others to fill a batch while the pool is busy (ms). */
  maxDelayMs: number;
}

/** The bounded queue in front of the function. */
export interface QueueOptions {
  /** Requests waiting beyond this answer 503 with Retry-After at once (default 256). */
  maxLength?: number;
  /** Calls in flight per worker (default 2, or 1 with batching). */
  concurrencyPerWorker?: number;
}

/** An example: one value per input (image inputs take a file path or URL). */
export type ExampleSpec<I extends ComponentSpec> = I extends AnyComponent
  ? unknown
  : { [K in keyof I]?: unknown };

/** What `load` is given: a way to report (the backend chosen, the model's size) through the server's log. */
export interface LoadContext {
  log: (message: string) => void;
}

/**
 * What the function is given besides its inputs (its second argument).
 *
 * @example
 * fn: async (image, ctx) => { ctx.progress(0.5, 'halfway'); return classify(image); }
 */
export interface FunctionContext {
  /**
   * Reports how far the call has got: `fraction` from 0 to 1 (clamped) and what it is doing. Gradio
   * clients receive `progress` events and the page shows a progress bar. Cheap to call in a loop:
   * at most one report per 50 ms leaves the thread. With `batch`, one report covers the whole batch.
   */
  progress(fraction: number, description?: string): void;
}

/** How long one call may run unless the Interface sets `timeoutMs` (BentoML's default too). */
export const DEFAULT_TIMEOUT_MS = 60_000;

interface InterfaceCommon<I extends ComponentSpec, O extends ComponentSpec> {
  inputs: I;
  outputs: O;
  title?: string;
  /** Markdown shown under the title. */
  description?: string;
  /** Markdown shown under the demo (model card, credits). */
  article?: string;
  /** Example inputs shown in the gallery; image values are file paths (relative to the working directory) or file: URLs. */
  examples?: ReadonlyArray<ExampleSpec<I>>;
  /**
   * Loads what the function needs (a model) once per thread, before the first call; requests
   * that arrive meanwhile wait for it (at most `timeoutMs`). A throw marks the app unavailable
   * (503) with the error's message.
   */
  load?: (ctx: LoadContext) => MaybePromise<void>;
  /**
   * Worker threads running the function: 0 = the main thread. Default: one per core for an app
   * with a `load()` mounted by module path; else 0, since a function without a model is cheaper
   * in the main thread than a thread hop away (docs/decisions/014-trivial-apps-on-the-main-thread.md).
   */
  workers?: number;
  queue?: QueueOptions;
  /**
   * Longest a call (one batch) may run, in ms; past it the request answers 504 and, in a worker,
   * the worker is stopped and replaced, since a stuck function cannot be interrupted any other
   * way. In the main thread (`workers: 0`) the call cannot be stopped, only no longer awaited.
   * Default 60 000; 0 = no limit.
   */
  timeoutMs?: number;
}

/** The options of Interface(): without `batch` the function takes one input; with it, arrays. */
export type InterfaceOptions<I extends ComponentSpec, O extends ComponentSpec> =
  | (InterfaceCommon<I, O> & { batch?: undefined; fn: (input: InputsOf<I>, ctx: FunctionContext) => FunctionResult<OutputsOf<O>> })
  | (InterfaceCommon<I, O> & { batch: BatchOptions; fn: (inputs: InputsOf<I>[], ctx: FunctionContext) => MaybePromise<OutputsOf<O>[]> });

/**
 * The function's type: one input to one result (or a stream of partial results), or arrays of them
 * when `B` is a batch option. A batched function never streams (docs/decisions/022-streaming.md).
 */
export type FunctionOf<I extends ComponentSpec, O extends ComponentSpec, B extends BatchOptions | undefined> = B extends BatchOptions
  ? (inputs: InputsOf<I>[], ctx: FunctionContext) => MaybePromise<OutputsOf<O>[]>
  : (input: InputsOf<I>, ctx: FunctionContext) => FunctionResult<OutputsOf<O>>;

/** A declared app: what the server mounts. */
export interface VitrineInterface<I extends ComponentSpec = ComponentSpec, O extends ComponentSpec = ComponentSpec> {
  readonly kind: 'vitrine-interface';
  readonly options: InterfaceOptions<I, O>;
  /** Inputs and outputs as named lists, single components named after their kind. */
  readonly inputs: ReadonlyArray<NamedComponent>;
  readonly outputs: ReadonlyArray<NamedComponent>;
  /** True when a single component was given (the function then takes/returns a bare value). */
  readonly singleInput: boolean;
  readonly singleOutput: boolean;
  /** The endpoint's name in Gradio's protocol (`predict`; `chat` for a ChatInterface). */
  readonly apiName: string;
  /** How the page shows it: inputs beside outputs, or a chat (ChatInterface). */
  readonly layout: 'interface' | 'chat';
}

export interface NamedComponent {
  name: string;
  component: AnyComponent;
}

/**
 * Declares an app. Nothing runs here: the model loads later, once per thread, through `load`.
 *
 * @example
 * export default Interface({
 *   fn: (text) => text.toUpperCase(),
 *   inputs: Textbox(),
 *   outputs: Textbox(),
 *   title: 'Shout',
 * });
 */
// `B` is inferred from `batch` before `fn` is typed: a union of the two option shapes would leave a
// batched fn's parameter untyped, since TypeScript only narrows a contextual union by literal values.
export function Interface<const I extends ComponentSpec, const O extends ComponentSpec, B extends BatchOptions | undefined = undefined>(
  options: InterfaceCommon<I, O> & { batch?: B; fn: FunctionOf<I, O, B> },
): VitrineInterface<I, O> {
  if (typeof options.fn !== 'function') throw new TypeError('Interface(): option "fn" must be a function');
  if (functionTag(options.fn) === 'GeneratorFunction') {
    throw new TypeError('Interface(): "fn" is a synchronous generator (function*); a function that streams partial outputs must be an async generator (async function*)');
  }
  const inputs = nameComponents(options.inputs, 'inputs');
  const outputs = nameComponents(options.outputs, 'outputs');
  if (options.batch !== undefined) {
    const { maxSize, maxDelayMs } = options.batch;
    if (!Number.isInteger(maxSize) || maxSize < 1) throw new TypeError('Interface(): batch.maxSize must be an integer ≥ 1');
    if (!(maxDelayMs >= 0)) throw new TypeError('Interface(): batch.maxDelayMs must be a number ≥ 0');
    if (functionTag(options.fn) === 'AsyncGeneratorFunction') {
      throw new TypeError('Interface(): a generator function streams one request\'s partial outputs and cannot be batched; drop "batch" (docs/decisions/022-streaming.md)');
    }
  }
  if (options.workers !== undefined && (!Number.isInteger(options.workers) || options.workers < 0)) {
    throw new TypeError('Interface(): option "workers" must be an integer ≥ 0');
  }
  if (options.timeoutMs !== undefined && !(Number.isFinite(options.timeoutMs) && options.timeoutMs >= 0)) {
    throw new TypeError('Interface(): option "timeoutMs" must be a number of milliseconds ≥ 0 (0 = no limit)');
  }
  const maxLength = options.queue?.maxLength;
  if (maxLength !== undefined && (!Number.isInteger(maxLength) || maxLength < 0)) {
    throw new TypeError('Interface(): queue.maxLength must be an integer ≥ 0');
  }
  checkExamples(options.examples ?? [], inputs, isComponent(options.inputs));
  return Object.freeze({
    kind: 'vitrine-interface',
    options: options as InterfaceOptions<I, O>,
    inputs,
    outputs,
    singleInput: isComponent(options.inputs),
    singleOutput: isComponent(options.outputs),
    apiName: 'predict',
    layout: 'interface',
  });
}

/**
 * True for a value built by Interface(), even from another copy of the module (worker threads).
 *
 * @example
 * if (!isInterface(mod.default)) throw new Error('the module must export an Interface');
 */
export function isInterface(value: unknown): value is VitrineInterface {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'vitrine-interface';
}

/**
 * True when the interface's function is an async generator function: every call streams partial
 * outputs (Gradio's `types.generator`). A plain function that returns an async iterable streams
 * too, but is only known to once it is called.
 *
 * @example
 * isGeneratorInterface(Interface({ fn: async function* (t) { yield t; }, inputs: Textbox(), outputs: Textbox() })); // true
 */
export function isGeneratorInterface(iface: VitrineInterface): boolean {
  return functionTag(iface.options.fn) === 'AsyncGeneratorFunction';
}

/**
 * True for what a streaming function returns: an object with `Symbol.asyncIterator`.
 *
 * @example
 * isAsyncIterable((async function* () {})()); // true
 */
export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}

/** `AsyncGeneratorFunction`, `GeneratorFunction`, `AsyncFunction` or `Function` (ECMA-262's @@toStringTag of each). */
function functionTag(fn: unknown): string {
  return Object.prototype.toString.call(fn).slice(8, -1);
}

function isComponent(spec: ComponentSpec): spec is AnyComponent {
  return typeof (spec as AnyComponent).kind === 'string' && typeof (spec as AnyComponent).schema === 'object';
}

function nameComponents(spec: ComponentSpec, what: string): NamedComponent[] {
  if (spec === null || typeof spec !== 'object') throw new TypeError(`Interface(): "${what}" must be a component or a record of components`);
  if (isComponent(spec)) return [{ name: spec.kind, component: spec }];
  const entries = Object.entries(spec);
  if (entries.length === 0) throw new TypeError(`Interface(): "${what}" must name at least one component`);
  return entries.map(([name, component]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/.test(name)) {
      throw new TypeError(`Interface(): ${what} name "${name}" must be letters, digits, _ or - (at most 64)`);
    }
    if (!isComponent(component)) throw new TypeError(`Interface(): ${what}.${name} is not a component`);
    return { name, component };
  });
}

/**
 * Refuses, when the app is declared, an example the page would show but the API would refuse:
 * an unknown input, a value its schema rejects, or a file input that is not a path or URL.
 */
function checkExamples(examples: ReadonlyArray<unknown>, inputs: NamedComponent[], single: boolean): void {
  if (!Array.isArray(examples)) throw new TypeError('Interface(): "examples" must be a list');
  examples.forEach((example, i) => {
    const values = single ? { [inputs[0]!.name]: example } : example;
    if (values === null || typeof values !== 'object' || Array.isArray(values)) {
      throw new TypeError(`Interface(): examples[${i}] must be an object with one key per input`);
    }
    for (const [name, value] of Object.entries(values)) {
      const input = inputs.find((n) => n.name === name);
      if (!input) throw new TypeError(`Interface(): examples[${i}] names "${name}", which is not an input`);
      if (value === undefined) continue;
      if (input.component.isFile) {
        if (typeof value !== 'string' && !(value instanceof URL)) {
          throw new TypeError(`Interface(): examples[${i}].${name} must be a file path or URL`);
        }
      } else {
        const parsed = input.component.schema.safeParse(value);
        if (!parsed.success) {
          throw new TypeError(`Interface(): examples[${i}].${name} is not a valid value: ${parsed.error.issues[0]?.message ?? 'refused'}`);
        }
      }
    }
  });
}

/**
 * Packs the named input values into what the function takes (a bare value for a single input).
 *
 * @example
 * const arg = functionArgument(iface, { image });
 */
export function functionArgument(iface: VitrineInterface, values: Record<string, unknown>): unknown {
  return iface.singleInput ? values[iface.inputs[0]!.name] : values;
}

/**
 * Unpacks the function's result into named outputs (a bare value for a single output).
 *
 * @example
 * const named = namedResults(iface, fnResult); // { label: … }
 */
export function namedResults(iface: VitrineInterface, result: unknown): Record<string, unknown> {
  if (iface.singleOutput) return { [iface.outputs[0]!.name]: result };
  if (result === null || typeof result !== 'object') {
    throw new Error(`the function must return an object with ${iface.outputs.map((o) => `"${o.name}"`).join(', ')}`);
  }
  return result as Record<string, unknown>;
}
