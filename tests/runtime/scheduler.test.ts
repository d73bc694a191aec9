/** The scheduler on its own: dispatch without delay when idle, batches in arrival order, the bounded queue, dropped clients. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { VitrineError } from '../../framework/errors.ts';
import { withRanMs, type Executor } from '../../framework/runtime/executor.ts';
import type { Outcome, WorkItem } from '../../framework/runtime/execute.ts';
import { BatchCost, Scheduler } from '../../framework/runtime/scheduler.ts';

/** An executor whose batches finish only when the test says so; each answer echoes its item's `n`. */
class HeldExecutor implements Executor {
  readonly calls: number[][] = [];
  readonly #running: Array<{ items: WorkItem[]; resolve: (o: Outcome[]) => void; reject: (e: unknown) => void }> = [];
  readonly slots: number;
  constructor(slots: number) {
    this.slots = slots;
  }
  async start(): Promise<void> {}
  async close(): Promise<void> {}
  run(items: WorkItem[]): Promise<Outcome[]> {
    this.calls.push(items.map((i) => i.n as number));
    return new Promise((resolve, reject) => this.#running.push({ items, resolve, reject }));
  }
  get running(): number {
    return this.#running.length;
  }
  /** Finishes the oldest running batch (saying it ran for `ranMs`); lets the scheduler's follow-up dispatch happen. */
  async finishOldest(ranMs?: number): Promise<void> {
    const b = this.#running.shift()!;
    b.resolve(withRanMs(b.items.map((i): Outcome => ({ ok: true, outputs: { echo: i.n } })), ranMs));
    await flush();
  }
  async failOldest(err: Error): Promise<void> {
    this.#running.shift()!.reject(err);
    await flush();
  }
}

/** Lets settled promises run their callbacks. */
const flush = () => new Promise<void>((r) => setImmediate(r));

function shuffled<T>(xs: T[], seed = 7): T[] {
  const out = [...xs];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('dispatch', () => {
  it('sends a lone request on an idle pool at once, even with a long maxDelayMs', async () => {
    const exec = new HeldExecutor(2);
    const s = new Scheduler(exec, { maxQueue: 10, batch: { maxSize: 8, maxDelayMs: 60_000 } });
    const answer = s.submit({ n: 1 });
    // Synchronously: no timer, no tick in between.
    expect(exec.calls).toEqual([[1]]);
    expect(s.queued).toBe(0);
    expect(s.inFlight).toBe(1);
    await exec.finishOldest();
    await expect(answer).resolves.toEqual({ ok: true, outputs: { echo: 1 } });
    expect(s.inFlight).toBe(0);
  });

  it('groups what arrives while the executor is busy into batches of at most maxSize, in arrival order, each caller getting its own answer', async () => {
    const exec = new HeldExecutor(1);
    const batches: number[] = [];
    const s = new Scheduler(exec, { maxQueue: 100, batch: { maxSize: 8, maxDelayMs: 2 }, onBatch: (n) => batches.push(n) });
    const ids = shuffled(Array.from({ length: 20 }, (_, i) => i + 1));
    const answers = ids.map((n) => s.submit({ n }));
    expect(exec.calls).toEqual([[ids[0]]]);
    expect(s.queued).toBe(19);
    await exec.finishOldest();
    expect(exec.calls[1]).toEqual(ids.slice(1, 9));
    await exec.finishOldest();
    expect(exec.calls[2]).toEqual(ids.slice(9, 17));
    await exec.finishOldest();
    expect(exec.calls[3]).toEqual(ids.slice(17));
    await exec.finishOldest();
    const outcomes = await Promise.all(answers);
    outcomes.forEach((o, i) => expect(o).toEqual({ ok: true, outputs: { echo: ids[i] } }));
    expect(batches).toEqual([1, 8, 8, 3]);
  });

  it('sends the next batch before answering the callers of the one that finished', async () => {
    const exec = new HeldExecutor(1);
    const s = new Scheduler(exec, { maxQueue: 10, batch: { maxSize: 4, maxDelayMs: 1 } });
    let callsWhenAnswered = -1;
    const first = s.submit({ n: 1 }).then((o) => {
      callsWhenAnswered = exec.calls.length;
      return o;
    });
    void s.submit({ n: 2 });
    await exec.finishOldest();
    await first;
    expect(callsWhenAnswered).toBe(2);
  });

  it('without batching sends one request per call and keeps every slot busy', async () => {
    const exec = new HeldExecutor(2);
    const s = new Scheduler(exec, { maxQueue: 10 });
    const answers = [1, 2, 3].map((n) => s.submit({ n }));
    expect(exec.calls).toEqual([[1], [2]]);
    expect(s.queued).toBe(1);
    await exec.finishOldest();
    expect(exec.calls).toEqual([[1], [2], [3]]);
    await exec.finishOldest();
    await exec.finishOldest();
    expect((await Promise.all(answers)).map((o) => (o.ok ? o.outputs.echo : null))).toEqual([1, 2, 3]);
  });

  it('while another batch runs, lets a partial batch fill for at most maxDelayMs, then sends it to the free slot', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const exec = new HeldExecutor(2);
    const s = new Scheduler(exec, { maxQueue: 10, batch: { maxSize: 4, maxDelayMs: 5 } });
    void s.submit({ n: 1 });
    expect(exec.calls).toEqual([[1]]);
    void s.submit({ n: 2 });
    vi.advanceTimersByTime(2);
    void s.submit({ n: 3 });
    vi.advanceTimersByTime(2);
    expect(exec.calls).toEqual([[1]]);
    vi.advanceTimersByTime(1);
    expect(exec.calls).toEqual([[1], [2, 3]]);
  });

  it('sends a full batch to a free slot without waiting', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const exec = new HeldExecutor(2);
    const s = new Scheduler(exec, { maxQueue: 10, batch: { maxSize: 3, maxDelayMs: 1_000 } });
    for (const n of [1, 2, 3, 4]) void s.submit({ n });
    expect(exec.calls).toEqual([[1], [2, 3, 4]]);
  });

  it('rejects every caller of a batch whose executor call fails, and goes on with the next batch', async () => {
    const exec = new HeldExecutor(1);
    const s = new Scheduler(exec, { maxQueue: 10, batch: { maxSize: 4, maxDelayMs: 1 } });
    const first = s.submit({ n: 1 });
    const second = s.submit({ n: 2 });
    const third = s.submit({ n: 3 });
    const failure = new Error('executor broke');
    const firstFails = expect(first).rejects.toBe(failure);
    await exec.failOldest(failure);
    await firstFails;
    expect(exec.calls).toEqual([[1], [2, 3]]);
    await exec.finishOldest();
    expect(await second).toEqual({ ok: true, outputs: { echo: 2 } });
    expect(await third).toEqual({ ok: true, outputs: { echo: 3 } });
  });
});

describe('the bounded queue', () => {
  it('refuses one request past maxLength at once with QUEUE_FULL, 503 and an integer Retry-After; takes requests again once there is room', async () => {
    const exec = new HeldExecutor(1);
    const s = new Scheduler(exec, { maxQueue: 2 });
    const accepted = [1, 2, 3].map((n) => s.submit({ n }));
    expect(s.queued).toBe(2);
    const refused = await s.submit({ n: 4 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(VitrineError);
    const err = refused as VitrineError;
    expect(err.code).toBe('QUEUE_FULL');
    expect(err.status).toBe(503);
    expect(err.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(exec.calls.flat()).not.toContain(4);

    await exec.finishOldest();
    const later = s.submit({ n: 5 });
    expect(s.queued).toBe(2);
    for (let i = 0; i < 3; i++) await exec.finishOldest();
    expect((await Promise.all([...accepted, later])).map((o) => (o.ok ? o.outputs.echo : null))).toEqual([1, 2, 3, 5]);
  });

  it('with maxLength 0 runs what a free slot can take and refuses the rest', async () => {
    const exec = new HeldExecutor(1);
    const s = new Scheduler(exec, { maxQueue: 0 });
    const first = s.submit({ n: 1 });
    await expect(s.submit({ n: 2 })).rejects.toMatchObject({ code: 'QUEUE_FULL' });
    await exec.finishOldest();
    expect(await first).toEqual({ ok: true, outputs: { echo: 1 } });
  });
});

describe('clients that go away', () => {
  it('drops a queued request whose client disconnected: it never runs, and onDrop is told', async () => {
    const exec = new HeldExecutor(1);
    let dropped = 0;
    const s = new Scheduler(exec, { maxQueue: 10, batch: { maxSize: 8, maxDelayMs: 1 }, onDrop: () => dropped++ });
    const running = s.submit({ n: 1 });
    const leaving = new AbortController();
    const gone = s.submit({ n: 2 }, leaving.signal);
    const staying = s.submit({ n: 3 }, new AbortController().signal);
    expect(s.queued).toBe(2);
    const reason = new VitrineError('BAD_REQUEST', { reason: 'the client closed the connection' });
    leaving.abort(reason);
    await expect(gone).rejects.toBe(reason);
    expect(s.queued).toBe(1);
    expect(dropped).toBe(1);
    await exec.finishOldest();
    await exec.finishOldest();
    expect(exec.calls).toEqual([[1], [3]]);
    expect(await running).toEqual({ ok: true, outputs: { echo: 1 } });
    expect(await staying).toEqual({ ok: true, outputs: { echo: 3 } });
  });

  it('never queues a request whose client is already gone', async () => {
    const exec = new HeldExecutor(1);
    const s = new Scheduler(exec, { maxQueue: 10 });
    const ac = new AbortController();
    ac.abort(new Error('gone'));
    await expect(s.submit({ n: 1 }, ac.signal)).rejects.toThrow('gone');
    expect(exec.calls).toEqual([]);
    expect(s.queued).toBe(0);
  });

  it('still answers a request that was already running when its client left', async () => {
    const exec = new HeldExecutor(1);
    let dropped = 0;
    const s = new Scheduler(exec, { maxQueue: 10, onDrop: () => dropped++ });
    const ac = new AbortController();
    const answer = s.submit({ n: 1 }, ac.signal);
    ac.abort(new Error('gone'));
    await exec.finishOldest();
    expect(await answer).toEqual({ ok: true, outputs: { echo: 1 } });
    expect(dropped).toBe(0);
  });
});

describe('drained()', () => {
  it('resolves once nothing is queued or running', async () => {
    const exec = new HeldExecutor(1);
    const s = new Scheduler(exec, { maxQueue: 10 });
    void s.submit({ n: 1 });
    void s.submit({ n: 2 });
    let done = false;
    const drained = s.drained().then(() => (done = true));
    await exec.finishOldest();
    expect(done).toBe(false);
    await exec.finishOldest();
    await drained;
    expect(done).toBe(true);
  });
});

describe('how long a partial batch waits, from what batches cost', () => {
  it('BatchCost fits fixed + per-item time, and says nothing before sizes have varied', () => {
    const cost = new BatchCost();
    for (let i = 0; i < 10; i++) cost.observe(4, 3.4);
    expect(cost.fixedMs).toBeUndefined();
    for (const n of [1, 4, 2, 8, 3, 6, 1, 5]) cost.observe(n, 0.2 + 0.8 * n);
    expect(cost.fixedMs).toBeCloseTo(0.2, 5);
    const gpu = new BatchCost();
    for (const n of [1, 4, 2, 8, 3, 6, 1, 5]) gpu.observe(n, 20 + 0.5 * n);
    expect(gpu.fixedMs).toBeCloseTo(20, 5);
  });

  /** Runs batches of varied sizes one at a time on one slot, each reported to take `ms(n)`, with `gapMs` between requests. */
  async function teach(exec: HeldExecutor, s: Scheduler, ms: (n: number) => number, gapMs: number) {
    let id = 100;
    for (const n of [1, 3, 2, 5, 1, 4, 2, 6, 3, 1]) {
      const answers = Array.from({ length: n }, () => {
        vi.advanceTimersByTime(gapMs);
        return s.submit({ n: id++ });
      });
      while (exec.running > 0) await exec.finishOldest(ms(exec.calls.at(-1)!.length));
      await Promise.all(answers);
    }
    exec.calls.length = 0;
  }

  it('sends a partial batch to a free slot at once when a batch costs mostly per item', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const exec = new HeldExecutor(2);
    const s = new Scheduler(exec, { maxQueue: 50, batch: { maxSize: 8, maxDelayMs: 1_000 } });
    await teach(exec, s, (n) => 0.2 + 0.8 * n, 1);
    void s.submit({ n: 1 });
    void s.submit({ n: 2 });
    // One slot busy with [1], the other free: [2] goes now instead of waiting up to 1 s for company.
    expect(exec.calls).toEqual([[1], [2]]);
  });

  it('lets a partial batch fill (never past maxDelayMs) when each batch has a large fixed cost and requests come fast', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const exec = new HeldExecutor(2);
    const s = new Scheduler(exec, { maxQueue: 50, batch: { maxSize: 8, maxDelayMs: 5 } });
    await teach(exec, s, (n) => 20 + 0.5 * n, 0.5);
    void s.submit({ n: 1 });
    void s.submit({ n: 2 });
    expect(exec.calls).toEqual([[1]]);
    vi.advanceTimersByTime(0.5);
    void s.submit({ n: 3 });
    vi.advanceTimersByTime(5);
    expect(exec.calls).toEqual([[1], [2, 3]]);
  });
});
