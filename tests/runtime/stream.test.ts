/**
 * Streaming functions in both executors (the main thread and a worker thread): partials in order,
 * the last one as the outcome, and a stop — cancel or timeout — that runs the generator's finally
 * and leaves the thread free for the next call.
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Interface, Textbox } from '../../framework/index.ts';
import { InlineExecutor, type Executor } from '../../framework/runtime/executor.ts';
import { WorkerPool } from '../../framework/runtime/pool.ts';
import { Scheduler } from '../../framework/runtime/scheduler.ts';
import streamApp from './fixtures/stream-app.ts';

const fixture = pathToFileURL(resolve('tests/runtime/fixtures/stream-app.ts')).href;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let executor: Executor | undefined;
afterEach(async () => {
  await executor?.close();
  executor = undefined;
});

const executors = {
  'the main thread': (timeoutMs = 0) => new InlineExecutor(streamApp, 1, () => {}, timeoutMs),
  'a worker thread': (timeoutMs = 0) => new WorkerPool({ modulePath: fixture, size: 1, concurrencyPerWorker: 1, timeoutMs }),
};

/** Runs one input, collecting its partials' text. */
async function run(exec: Executor, text: string, signal?: AbortSignal) {
  const partials: unknown[] = [];
  const [outcome] = await exec.run([{ textbox: text }], undefined, { onPartial: (o) => partials.push(o.textbox), signal });
  return { outcome, partials };
}

async function finishedCount(exec: Executor): Promise<number> {
  const { outcome } = await run(exec, 'finished');
  if (!outcome?.ok) throw new Error('the count failed');
  return Number(outcome.outputs.textbox);
}

for (const [where, make] of Object.entries(executors)) {
  describe(`a streaming function in ${where}`, () => {
    it('hands on each partial in order and ends with the last one', async () => {
      executor = make();
      await executor.start();
      const { outcome, partials } = await run(executor, 'count:4');
      expect(partials).toEqual(['1', '2', '3', '4']);
      expect(outcome).toEqual({ ok: true, outputs: { textbox: '4' } });
    });

    it('stops when its signal aborts: the finally runs and the next call is served', async () => {
      executor = make();
      await executor.start();
      const before = await finishedCount(executor);
      const aborter = new AbortController();
      const partials: unknown[] = [];
      const running = executor.run([{ textbox: 'ticks' }], undefined, {
        signal: aborter.signal,
        onPartial: (o) => {
          partials.push(o.textbox);
          if (partials.length === 3) aborter.abort();
        },
      });
      const [outcome] = await running;
      expect(outcome).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      expect(partials.slice(0, 3)).toEqual(['tick 1', 'tick 2', 'tick 3']);
      expect(await finishedCount(executor)).toBe(before + 1);
      expect((await run(executor, 'count:2')).partials).toEqual(['1', '2']);
    });

    it('stops at timeoutMs with a 504, runs the finally, and serves the next call', async () => {
      executor = make(150);
      await executor.start();
      const before = await finishedCount(executor);
      const { outcome, partials } = await run(executor, 'ticks');
      expect(outcome).toMatchObject({ ok: false, error: { code: 'FUNCTION_TIMEOUT' } });
      expect(partials.length).toBeGreaterThan(2);
      await sleep(60); // the stop lands at the generator's next yield (≤ 20 ms)
      expect(await finishedCount(executor)).toBe(before + 1);
    });

    it('fails a stream that throws, and one that yields nothing', async () => {
      executor = make();
      await executor.start();
      const thrown = await run(executor, 'throw');
      expect(thrown.partials).toEqual(['before']);
      expect(thrown.outcome).toMatchObject({ ok: false, appError: expect.stringContaining('asked to throw') });
      expect((await run(executor, 'nothing')).outcome).toMatchObject({ ok: false, appError: expect.stringContaining('without yielding') });
    });
  });
}

describe('a stream that never yields again in a worker', () => {
  it('is stopped at timeoutMs, and its worker replaced once the grace period passes', async () => {
    const pool = new WorkerPool({ modulePath: fixture, size: 1, concurrencyPerWorker: 1, timeoutMs: 100 });
    executor = pool;
    await pool.start();
    const { outcome, partials } = await run(pool, 'stuck');
    expect(partials).toEqual(['stuck']);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'FUNCTION_TIMEOUT' } });
    const end = Date.now() + 20_000;
    while (pool.restarts === 0 || pool.readyWorkers === 0) {
      if (Date.now() > end) throw new Error('the stuck worker was not replaced');
      await sleep(50);
    }
    expect((await run(pool, 'count:1')).partials).toEqual(['1']);
  });
});

describe('the scheduler and streams', () => {
  it('passes a running request\'s signal and partial listener to the executor', async () => {
    executor = executors['the main thread']();
    const scheduler = new Scheduler(executor, { maxQueue: 4 });
    const aborter = new AbortController();
    const heard: unknown[] = [];
    const outcome = await scheduler.submit({ textbox: 'ticks' }, aborter.signal, {
      onPartial: (o) => {
        heard.push(o.textbox);
        if (heard.length === 2) aborter.abort();
      },
    });
    expect(heard).toEqual(['tick 1', 'tick 2']);
    expect(outcome).toMatchObject({ ok: false });
    expect(scheduler.inFlight).toBe(0);
  });
});

describe('Interface() and generators', () => {
  it('refuses a generator function with batch, and a synchronous generator', () => {
    expect(() =>
      // @ts-expect-error a batched function takes arrays and returns arrays, never a stream
      Interface({ fn: async function* (texts: string[]) { yield texts; }, batch: { maxSize: 2, maxDelayMs: 1 }, inputs: Textbox(), outputs: Textbox() }),
    ).toThrow(/cannot be batched/);
    expect(() =>
      // @ts-expect-error a synchronous generator is not a stream Vitrine reads
      Interface({ fn: function* (t: string) { yield t; }, inputs: Textbox(), outputs: Textbox() }),
    ).toThrow(/async function\*/);
  });
});
