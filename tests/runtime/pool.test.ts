/** The worker pool with real worker threads: load failures, a worker that dies and its replacement, the flags workers get. */
import { afterEach, describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { defaultWorkerCount, WorkerPool, type PoolEvent } from '../../framework/runtime/pool.ts';
import { discardPrestarted, prestartWorker } from '../../framework/runtime/prestart.ts';

const fixture = (name: string) => pathToFileURL(resolve('tests/runtime/fixtures', name)).href;

let pool: WorkerPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
  await discardPrestarted();
});

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('WorkerPool', () => {
  it('runs batches in a worker thread and answers in item order', async () => {
    pool = new WorkerPool({ modulePath: fixture('faulty-app.ts'), size: 1, concurrencyPerWorker: 1 });
    await pool.start();
    expect(pool.readyWorkers).toBe(1);
    const outcomes = await pool.run([{ textbox: 'a' }, { textbox: 'b' }]);
    expect(outcomes).toEqual([
      { ok: true, outputs: { textbox: 'ok:a' } },
      { ok: true, outputs: { textbox: 'ok:b' } },
    ]);
  });

  it('turns a throwing function into an app error for that item only, and the worker lives on', async () => {
    pool = new WorkerPool({ modulePath: fixture('faulty-app.ts'), size: 1, concurrencyPerWorker: 1 });
    await pool.start();
    const [bad, good] = await pool.run([{ textbox: 'throw' }, { textbox: 'fine' }]);
    expect(bad).toMatchObject({ ok: false, appError: expect.stringContaining('secret detail') });
    expect(good).toEqual({ ok: true, outputs: { textbox: 'ok:fine' } });
    expect(pool.restarts).toBe(0);
  });

  it('fails every request in flight on a worker that dies, answers 503 MODEL_UNAVAILABLE while it is replaced, then serves again', async () => {
    const events: PoolEvent[] = [];
    pool = new WorkerPool({ modulePath: fixture('faulty-app.ts'), size: 1, concurrencyPerWorker: 2, onEvent: (e) => events.push(e) });
    await pool.start();
    const p = pool;
    const sleeping = p.run([{ textbox: 'sleep:2000' }]);
    const dying = p.run([{ textbox: 'exit' }]);
    const [died] = await dying;
    expect(died).toMatchObject({ ok: false, appError: expect.stringMatching(/exited with code 7/) });
    expect(await sleeping).toEqual([{ ok: false, appError: expect.stringMatching(/exited with code 7/) }]);

    // Until the replacement has loaded the app there is no worker to take a batch.
    expect(p.readyWorkers).toBe(0);
    const [meanwhile] = await p.run([{ textbox: 'hello' }]);
    expect(meanwhile).toMatchObject({ ok: false, error: { code: 'MODEL_UNAVAILABLE', headers: { 'retry-after': '1' } } });

    await until(() => p.readyWorkers === 1, 'the replacement worker');
    expect(p.restarts).toBe(1);
    expect(await p.run([{ textbox: 'again' }])).toEqual([{ ok: true, outputs: { textbox: 'ok:again' } }]);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['crash', 'replaced']));
  });

  it('rejects start() with the error load() threw', async () => {
    pool = new WorkerPool({ modulePath: fixture('unloadable-once-app.ts'), size: 1, concurrencyPerWorker: 1 });
    await expect(pool.start()).rejects.toThrow('no weights here');
  });

  it('rejects start() when the module exports no Interface', async () => {
    pool = new WorkerPool({ modulePath: fixture('faulty-app.ts'), exportName: 'missing', size: 1, concurrencyPerWorker: 1 });
    await expect(pool.start()).rejects.toThrow(/does not export an Interface as "missing"/);
  });

  it('is ready once its first worker is; the others load behind it and then take batches', async () => {
    pool = new WorkerPool({ modulePath: fixture('faulty-app.ts'), size: 3, concurrencyPerWorker: 1 });
    await pool.start();
    expect(pool.readyWorkers).toBe(1);
    expect(await pool.run([{ textbox: 'first' }])).toEqual([{ ok: true, outputs: { textbox: 'ok:first' } }]);
    await pool.allReady();
    expect(pool.readyWorkers).toBe(3);
  });

  it('answers a call stuck past timeoutMs with FUNCTION_TIMEOUT, stops its worker and replaces it', async () => {
    const events: PoolEvent[] = [];
    pool = new WorkerPool({ modulePath: fixture('faulty-app.ts'), size: 1, concurrencyPerWorker: 2, timeoutMs: 300, onEvent: (e) => events.push(e) });
    await pool.start();
    const started = Date.now();
    // A synchronous loop: nothing but terminating the thread ends it before 60 s.
    const [stuck, neighbour] = await Promise.all([pool.run([{ textbox: 'spin:60000' }]), pool.run([{ textbox: 'sleep:100' }])]);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(stuck).toEqual([{ ok: false, error: expect.objectContaining({ code: 'FUNCTION_TIMEOUT', params: { timeoutMs: 300 } }) }]);
    // The other batch on that worker could not finish either (its thread was blocked): it fails too,
    // by its own time limit or with the worker's exit, never with a late success.
    expect(neighbour[0]!.ok).toBe(false);
    await until(() => pool!.readyWorkers === 1 && pool!.restarts === 1, 'the replacement worker');
    expect(await pool.run([{ textbox: 'after' }])).toEqual([{ ok: true, outputs: { textbox: 'ok:after' } }]);
    expect(events.some((e) => e.type === 'crash' && e.detail.includes('longer than 300 ms'))).toBe(true);
  });

  it('leaves a call that finishes in time alone', async () => {
    pool = new WorkerPool({ modulePath: fixture('faulty-app.ts'), size: 1, concurrencyPerWorker: 1, timeoutMs: 5_000 });
    await pool.start();
    expect(await pool.run([{ textbox: 'sleep:50' }])).toEqual([{ ok: true, outputs: { textbox: 'ok:sleep:50' } }]);
    expect(pool.restarts).toBe(0);
  });

  it('spreads concurrent batches over its workers', async () => {
    pool = new WorkerPool({ modulePath: fixture('faulty-app.ts'), size: 2, concurrencyPerWorker: 1 });
    await pool.start();
    await pool.allReady();
    const runs = [pool.run([{ textbox: 'sleep:300' }]), pool.run([{ textbox: 'sleep:300' }])];
    expect(pool.busy).toEqual([1, 1]);
    await Promise.all(runs);
    expect(pool.busy).toEqual([0, 0]);
  });
});

describe('defaultWorkerCount', () => {
  it('is one worker per core, and never fewer than one', () => {
    expect(defaultWorkerCount(0)).toBe(1);
    expect(defaultWorkerCount(2)).toBe(2);
    expect(defaultWorkerCount(8)).toBe(8);
  });
});

describe('prestartWorker', () => {
  it('starts a worker that the first pool of that module adopts instead of starting its own', async () => {
    const threadId = prestartWorker(fixture('faulty-app.ts'));
    expect(prestartWorker(fixture('faulty-app.ts'))).toBe(threadId); // one per module
    pool = new WorkerPool({ modulePath: fixture('faulty-app.ts'), size: 1, concurrencyPerWorker: 1 });
    await pool.start();
    expect(await pool.run([{ textbox: 'thread' }])).toEqual([{ ok: true, outputs: { textbox: String(threadId) } }]);
  });

  it("hands the pool what the worker said before it was adopted: a failed load fails the pool's start", async () => {
    prestartWorker(fixture('unloadable-once-app.ts'));
    // Long enough for the load to have failed before the pool exists (the answer is the same if not).
    await new Promise((r) => setTimeout(r, 1500));
    pool = new WorkerPool({ modulePath: fixture('unloadable-once-app.ts'), size: 1, concurrencyPerWorker: 1 });
    await expect(pool.start()).rejects.toThrow('no weights here');
  });

  it('stops the workers no pool adopted; a later pool starts its own', async () => {
    const threadId = prestartWorker(fixture('faulty-app.ts'));
    await discardPrestarted();
    pool = new WorkerPool({ modulePath: fixture('faulty-app.ts'), size: 1, concurrencyPerWorker: 1 });
    await pool.start();
    const [answer] = await pool.run([{ textbox: 'thread' }]);
    expect(answer).toMatchObject({ ok: true });
    expect(answer).not.toEqual({ ok: true, outputs: { textbox: String(threadId) } });
  });
});
