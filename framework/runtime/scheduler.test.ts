/** The scheduler's queue and batching rules, against an executor the test drives by hand. */
import { describe, expect, it } from 'vitest';
import { Scheduler } from './scheduler.ts';
import type { Executor } from './executor.ts';
import type { Outcome, WorkItem } from './execute.ts';

/** An executor whose batches finish only when the test says so. */
class HeldExecutor implements Executor {
  readonly batches: WorkItem[][] = [];
  readonly #finish: Array<(o: Outcome[]) => void> = [];
  readonly #fail: Array<(e: unknown) => void> = [];
  constructor(readonly slots: number) {}
  async start(): Promise<void> {}
  async close(): Promise<void> {}
  run(items: WorkItem[]): Promise<Outcome[]> {
    this.batches.push(items);
    return new Promise((resolve, reject) => {
      this.#finish.push(resolve);
      this.#fail.push(reject);
    });
  }
  /** Finishes batch `i`, answering each item with its own `n` doubled. */
  finish(i: number): void {
    this.#finish[i]!(this.batches[i]!.map((item) => ({ ok: true, outputs: { n: (item.n as number) * 2 } })));
  }
  fail(i: number, err: unknown): void {
    this.#fail[i]!(err);
  }
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('Scheduler', () => {
  it('dispatches a lone request at once, even when batching', async () => {
    const ex = new HeldExecutor(1);
    const s = new Scheduler(ex, { maxQueue: 10, batch: { maxSize: 8, maxDelayMs: 60_000 } });
    const p = s.submit({ n: 1 });
    expect(ex.batches).toEqual([[{ n: 1 }]]);
    ex.finish(0);
    expect(await p).toEqual({ ok: true, outputs: { n: 2 } });
  });

  it('groups what queues up while busy, up to maxSize, in arrival order', async () => {
    const ex = new HeldExecutor(1);
    const sizes: number[] = [];
    const s = new Scheduler(ex, { maxQueue: 10, batch: { maxSize: 3, maxDelayMs: 60_000 }, onBatch: (n) => sizes.push(n) });
    const all = [1, 2, 3, 4, 5].map((n) => s.submit({ n }));
    expect(s.queued).toBe(4);
    ex.finish(0);
    await tick();
    expect(ex.batches.map((b) => b.map((i) => i.n))).toEqual([[1], [2, 3, 4]]);
    ex.finish(1);
    await tick();
    expect(ex.batches[2]!.map((i) => i.n)).toEqual([5]);
    ex.finish(2);
    expect((await Promise.all(all)).map((o) => (o.ok ? o.outputs.n : null))).toEqual([2, 4, 6, 8, 10]);
    expect(sizes).toEqual([1, 3, 1]);
  });

  it('lets a partial batch wait for company while another runs, then sends it within maxDelayMs', async () => {
    const ex = new HeldExecutor(2);
    const s = new Scheduler(ex, { maxQueue: 10, batch: { maxSize: 4, maxDelayMs: 10 } });
    void s.submit({ n: 1 });
    const second = s.submit({ n: 2 });
    const third = s.submit({ n: 3 });
    // A slot is free, but a batch is running: the newcomers wait to be grouped…
    expect(ex.batches).toHaveLength(1);
    // …and go together once maxDelayMs has passed, without the first batch finishing.
    for (let i = 0; i < 200 && ex.batches.length < 2; i++) await new Promise((r) => setTimeout(r, 5));
    expect(ex.batches.map((b) => b.map((i) => i.n))).toEqual([[1], [2, 3]]);
    ex.finish(1);
    expect(await Promise.all([second, third])).toEqual([
      { ok: true, outputs: { n: 4 } },
      { ok: true, outputs: { n: 6 } },
    ]);
    ex.finish(0);
  });

  it('refuses beyond maxQueue with QUEUE_FULL and an integer Retry-After', async () => {
    const ex = new HeldExecutor(1);
    const s = new Scheduler(ex, { maxQueue: 1 });
    void s.submit({ n: 1 });
    void s.submit({ n: 2 });
    const err = await s.submit({ n: 3 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'QUEUE_FULL', status: 503 });
    expect((err as { headers: Record<string, string> }).headers['retry-after']).toMatch(/^[1-9]\d*$/);
    ex.finish(0);
    await tick();
    ex.finish(1);
  });

  it('drops a queued request whose client went away, and never runs it', async () => {
    const ex = new HeldExecutor(1);
    const s = new Scheduler(ex, { maxQueue: 10 });
    void s.submit({ n: 1 });
    const abort = new AbortController();
    const gone = s.submit({ n: 2 }, abort.signal);
    abort.abort(new Error('client closed'));
    await expect(gone).rejects.toThrow('client closed');
    expect(s.queued).toBe(0);
    ex.finish(0);
    await tick();
    expect(ex.batches).toHaveLength(1);
    await expect(s.submit({ n: 3 }, AbortSignal.abort(new Error('already gone')))).rejects.toThrow('already gone');
  });

  it('rejects every request of a batch whose executor failed, and keeps going', async () => {
    const ex = new HeldExecutor(1);
    const s = new Scheduler(ex, { maxQueue: 10 });
    const p = s.submit({ n: 1 });
    ex.fail(0, new Error('worker lost'));
    await expect(p).rejects.toThrow('worker lost');
    const q = s.submit({ n: 2 });
    ex.finish(1);
    expect(await q).toEqual({ ok: true, outputs: { n: 4 } });
  });

  it('drained() waits for queued and running requests', async () => {
    const ex = new HeldExecutor(1);
    const s = new Scheduler(ex, { maxQueue: 10 });
    await s.drained();
    void s.submit({ n: 1 });
    void s.submit({ n: 2 });
    let drained = false;
    void s.drained().then(() => (drained = true));
    ex.finish(0);
    await tick();
    expect(drained).toBe(false);
    ex.finish(1);
    await tick();
    expect(drained).toBe(true);
    expect([s.queued, s.inFlight]).toEqual([0, 0]);
  });
});
