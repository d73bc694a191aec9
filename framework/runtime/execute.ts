/** Runs one batch of requests through preprocess → the app's function → postprocess, in whatever thread holds the app. */
import { isVitrineError, type TransferredError } from '../errors.ts';
import { functionArgument, isAsyncIterable, namedResults, type FunctionContext, type VitrineInterface } from '../interface.ts';
import { drainStream, type CallControl } from './stream.ts';

/** One request's inputs as they cross to the executor: input name → transport value. */
export type WorkItem = Record<string, unknown>;

/** One request's result: its outputs as wire values, a client error, or an app failure. */
export type Outcome =
  | { ok: true; outputs: Record<string, unknown> }
  | { ok: false; error: TransferredError }
  | { ok: false; appError: string };

/** Where a batch's progress reports go: the scheduler's callers in the main thread, or a message to it from a worker. */
export type ProgressSink = (fraction: number, description: string | undefined) => void;

/**
 * At most one report per this many ms leaves a call; the latest one in between is sent when the
 * window ends. Gradio's own queue samples a function's progress at a similar rate, and it keeps a
 * function that reports in a tight loop from flooding the thread hand-off and the event streams.
 */
export const PROGRESS_INTERVAL_MS = 50;

const loaded = new WeakMap<VitrineInterface, Promise<void>>();

/**
 * Runs the app's `load` once per thread (per interface); later calls share the same promise.
 *
 * @example
 * await ensureLoaded(iface); // the model is in memory from here on
 */
export function ensureLoaded(iface: VitrineInterface, log: (message: string) => void = () => {}): Promise<void> {
  let p = loaded.get(iface);
  if (!p) {
    p = Promise.resolve().then(() => iface.options.load?.({ log }));
    loaded.set(iface, p);
  }
  return p;
}

/** One call's result before postprocessing: a value, the outputs of a stream (already postprocessed), or a throw. */
type CallResult = { ok: true; value: unknown } | { ok: true; streamed: Outcome } | { ok: false; error: unknown };

/**
 * Preprocesses each item on its own (a bad image fails only its request), calls the function once
 * per item — or once for the whole batch when the interface batches — and postprocesses the results.
 * A function that returns an async iterable streams: each value it yields is postprocessed and
 * handed to `control.onPartial`, the last is its outcome, and `control.signal` stops it.
 *
 * @example
 * const [outcome] = await executeBatch(iface, [{ image: { bytes } }]);
 */
export async function executeBatch(iface: VitrineInterface, items: WorkItem[], onProgress?: ProgressSink, control: CallControl = {}): Promise<Outcome[]> {
  await ensureLoaded(iface);
  const outcomes: Outcome[] = new Array(items.length);
  const args: unknown[] = [];
  const argIndex: number[] = [];

  await Promise.all(
    items.map(async (item, i) => {
      try {
        const values: Record<string, unknown> = {};
        for (const { name, component } of iface.inputs) {
          values[name] = await component.preprocess(item[name], { field: name });
        }
        args[i] = functionArgument(iface, values);
        argIndex.push(i);
      } catch (err) {
        outcomes[i] = failure(err);
      }
    }),
  );
  argIndex.sort((a, b) => a - b);
  if (argIndex.length === 0) return outcomes;

  let results: CallResult[];
  const context = functionContext(onProgress);
  try {
    results = await callFunction(iface, argIndex.map((i) => args[i]), context.ctx, control);
  } catch (err) {
    for (const i of argIndex) outcomes[i] = { ok: false, appError: describe(err) };
    return outcomes;
  } finally {
    // A report still waiting for its window is dropped: the result supersedes it.
    context.end();
  }

  await Promise.all(
    argIndex.map(async (itemIndex, k) => {
      const result = results[k]!;
      if (!result.ok) {
        outcomes[itemIndex] = { ok: false, appError: describe(result.error) };
        return;
      }
      if ('streamed' in result) {
        outcomes[itemIndex] = result.streamed;
        return;
      }
      try {
        outcomes[itemIndex] = { ok: true, outputs: await postprocess(iface, result.value) };
      } catch (err) {
        outcomes[itemIndex] = { ok: false, appError: describe(err) };
      }
    }),
  );
  return outcomes;
}

/** The function's result for one item → its outputs as wire values; throws when a key is missing or a component refuses its value. */
async function postprocess(iface: VitrineInterface, value: unknown): Promise<Record<string, unknown>> {
  const named = namedResults(iface, value);
  const outputs: Record<string, unknown> = {};
  for (const { name, component } of iface.outputs) {
    if (!(name in named)) throw new Error(`the function's result has no "${name}"`);
    outputs[name] = await component.postprocess(named[name], { field: name });
  }
  return outputs;
}

/**
 * A batched function is called once (it fails or succeeds for the whole batch); a plain one once
 * per item, so one item's failure is that item's alone. A plain function's async iterable is
 * drained here, its partials postprocessed as they come.
 */
async function callFunction(iface: VitrineInterface, args: unknown[], ctx: FunctionContext, control: CallControl): Promise<CallResult[]> {
  const { options } = iface;
  if (options.batch) {
    const out = await (options.fn as (xs: unknown[], ctx: FunctionContext) => unknown)(args, ctx);
    if (!Array.isArray(out) || out.length !== args.length) {
      throw new Error(`a batched function must return an array of ${args.length} results; got ${Array.isArray(out) ? out.length : typeof out}`);
    }
    return out.map((value: unknown) => ({ ok: true as const, value }));
  }
  const fn = options.fn as (x: unknown, ctx: FunctionContext) => unknown;
  const out: CallResult[] = [];
  for (const a of args) {
    try {
      const value = await fn(a, ctx);
      if (!isAsyncIterable(value)) {
        out.push({ ok: true, value });
        continue;
      }
      const drained = await drainStream(value, (v) => postprocess(iface, v), control);
      out.push({ ok: true, streamed: 'appError' in drained ? { ok: false, appError: describe(drained.appError) } : drained });
    } catch (error) {
      out.push({ ok: false, error });
    }
  }
  return out;
}

/**
 * The function's context for one call, whose `progress` forwards at most one report per
 * {@link PROGRESS_INTERVAL_MS} to `sink` (without a sink, reports go nowhere); `end` drops a report
 * still waiting.
 */
function functionContext(sink: ProgressSink | undefined): { ctx: FunctionContext; end: () => void } {
  let lastSent = -Infinity;
  let waiting: [number, string | undefined] | undefined;
  let timer: NodeJS.Timeout | undefined;
  let open = true;
  const send = () => {
    timer = undefined;
    if (!open || waiting === undefined || sink === undefined) return;
    lastSent = performance.now();
    const [fraction, description] = waiting;
    waiting = undefined;
    sink(fraction, description);
  };
  const ctx: FunctionContext = {
    progress(fraction, description) {
      if (typeof fraction !== 'number' || !Number.isFinite(fraction)) {
        throw new TypeError(`ctx.progress(fraction, description): fraction must be a finite number from 0 to 1; got ${String(fraction)}`);
      }
      if (!open || sink === undefined) return;
      waiting = [Math.min(1, Math.max(0, fraction)), description === undefined ? undefined : String(description).slice(0, 1000)];
      const wait = lastSent + PROGRESS_INTERVAL_MS - performance.now();
      if (wait <= 0) send();
      else timer ??= setTimeout(send, wait);
    },
  };
  return {
    ctx,
    end() {
      open = false;
      clearTimeout(timer);
    },
  };
}

/** Client errors travel as data; anything else is the app's fault and travels as a log line. */
function failure(err: unknown): Outcome {
  if (isVitrineError(err) && err.status < 500) return { ok: false, error: err.toTransfer() };
  return { ok: false, appError: describe(err) };
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  return String(err);
}
