/** Draining a streaming function's async iterable: each partial postprocessed and passed on in order, and stopped (its `return()` run) when the call is cancelled. */
import { VitrineError, type TransferredError } from '../errors.ts';

/** Where a streaming call's partial outputs go: wire values, postprocessed, in the order they were yielded. */
export type PartialSink = (outputs: Record<string, unknown>) => void;

/** What a running call can be given besides its progress sink. */
export interface CallControl {
  /** Hears each partial output of a streaming function. */
  onPartial?: PartialSink | undefined;
  /**
   * Aborting stops a streaming function: its iterator's `return()` is called, so its `finally`
   * blocks run at its next `yield` (JavaScript cannot interrupt an `await`). A function that does
   * not stream cannot be stopped this way.
   */
  signal?: AbortSignal | undefined;
}

/** How a stream ended: its last outputs, a stop asked for by the caller, or a failure of the app. */
export type Drained =
  | { ok: true; outputs: Record<string, unknown> }
  | { ok: false; error: TransferredError }
  | { ok: false; appError: unknown };

/** What a stream that ends early reports: nobody waits for it, but the worker logs it the same way. */
const CANCELLED = () => new VitrineError('BAD_REQUEST', { reason: 'the call was cancelled' }).toTransfer();

/**
 * Reads `stream` to its end: each value is postprocessed (`postprocess` throws for a value that
 * breaks the outputs) and handed to `onPartial`; the last one is the call's outputs. An abort, a
 * throw of the function or a bad value stops the iterator through `return()` before this resolves,
 * so whoever runs the next call finds the function's `finally` blocks done.
 *
 * @example
 * const drained = await drainStream(fn(input, ctx), (v) => postprocess(v), { onPartial: send, signal });
 */
export async function drainStream(
  stream: AsyncIterable<unknown>,
  postprocess: (value: unknown) => Promise<Record<string, unknown>>,
  control: CallControl = {},
): Promise<Drained> {
  const { signal, onPartial } = control;
  const iterator = stream[Symbol.asyncIterator]();
  let last: Record<string, unknown> | undefined;
  let abort: (() => void) | undefined;
  const aborted = new Promise<'aborted'>((resolve) => {
    abort = () => resolve('aborted');
    if (signal?.aborted) resolve('aborted');
    else signal?.addEventListener('abort', abort, { once: true });
  });
  try {
    for (;;) {
      const next = iterator.next();
      // Left behind by an abort, the step may still reject: that is the stop's to report, not Node's.
      next.catch(() => {});
      const step = await Promise.race([next, aborted]);
      if (step === 'aborted') return await stop(iterator, { ok: false, error: CANCELLED() });
      if (step.done) break;
      let outputs: Record<string, unknown>;
      try {
        outputs = await postprocess(step.value);
      } catch (appError) {
        return await stop(iterator, { ok: false, appError });
      }
      last = outputs;
      onPartial?.(outputs);
    }
  } catch (appError) {
    // The function threw: a generator that throws is already closed, so there is nothing to stop.
    return { ok: false, appError };
  } finally {
    if (abort) signal?.removeEventListener('abort', abort);
  }
  if (last === undefined) return { ok: false, appError: new Error('the function\'s stream ended without yielding any output') };
  return { ok: true, outputs: last };
}

/**
 * Asks the iterator to finish (an async generator runs its `finally` blocks once its pending step
 * settles) and waits for it; a `finally` that throws is the app's failure.
 */
async function stop(iterator: AsyncIterator<unknown>, outcome: Drained): Promise<Drained> {
  try {
    await iterator.return?.();
  } catch (appError) {
    return { ok: false, appError };
  }
  return outcome;
}
