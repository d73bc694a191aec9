/** ctx.progress: reports reach the callers of the batch that made them, clamped and rate-limited, and a bad value fails the call. */
import { describe, expect, it } from 'vitest';
import { Interface, Textbox } from '../../framework/index.ts';
import { InlineExecutor } from '../../framework/runtime/executor.ts';
import { PROGRESS_INTERVAL_MS } from '../../framework/runtime/execute.ts';
import { Scheduler } from '../../framework/runtime/scheduler.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A text app whose function reports progress as its input says: `steps`, `flood`, `clamp` or `nan`. */
const reporter = (batch = false) => {
  const fn = async (text: string, ctx: { progress(f: number, d?: string): void }) => {
    if (text === 'steps') {
      for (const f of [0.2, 0.6]) {
        ctx.progress(f, `at ${f}`);
        await sleep(PROGRESS_INTERVAL_MS + 20);
      }
    } else if (text === 'flood') {
      for (let i = 1; i <= 100; i++) ctx.progress(i / 100);
    } else if (text === 'clamp') {
      ctx.progress(7, 'past the end');
      await sleep(PROGRESS_INTERVAL_MS + 20);
      ctx.progress(-1);
      await sleep(PROGRESS_INTERVAL_MS + 20);
    } else if (text === 'nan') {
      ctx.progress(Number.NaN);
    }
    return text;
  };
  return batch
    ? Interface({
        fn: async (texts: string[], ctx) => {
          ctx.progress(0.5, 'half the batch');
          await sleep(PROGRESS_INTERVAL_MS + 20);
          return texts;
        },
        batch: { maxSize: 4, maxDelayMs: 1000 },
        inputs: Textbox(),
        outputs: Textbox(),
        workers: 0,
      })
    : Interface({ fn, inputs: Textbox(), outputs: Textbox(), workers: 0 });
};

describe('ctx.progress', () => {
  it('delivers each report, with its description, to the batch\'s listener', async () => {
    const reports: Array<[number, string | undefined]> = [];
    const [outcome] = await new InlineExecutor(reporter(), 1).run([{ textbox: 'steps' }], (f, d) => reports.push([f, d]));
    expect(outcome).toEqual({ ok: true, outputs: { textbox: 'steps' } });
    expect(reports).toEqual([
      [0.2, 'at 0.2'],
      [0.6, 'at 0.6'],
    ]);
  });

  it('sends at most one report per interval from a function that reports in a tight loop', async () => {
    const reports: number[] = [];
    await new InlineExecutor(reporter(), 1).run([{ textbox: 'flood' }], (f) => reports.push(f));
    expect(reports.length).toBeLessThan(100);
    expect(reports[0]).toBe(0.01);
  });

  it('clamps fractions to 0–1, and fails the call on a fraction that is not a number', async () => {
    const reports: number[] = [];
    const exec = new InlineExecutor(reporter(), 1);
    await exec.run([{ textbox: 'clamp' }], (f) => reports.push(f));
    expect(reports).toEqual([1, 0]);
    const [failed] = await exec.run([{ textbox: 'nan' }], () => {});
    expect(failed).toMatchObject({ ok: false, appError: expect.stringContaining('fraction must be a finite number') });
  });

  it('goes to every caller of a batch, and tells each when its request left the queue', async () => {
    const exec = new InlineExecutor(reporter(true), 1);
    const scheduler = new Scheduler(exec, { maxQueue: 8, batch: { maxSize: 4, maxDelayMs: 1000 } });
    const heard: string[] = [];
    const hooks = (name: string) => ({ onStart: () => heard.push(`${name} started`), onProgress: (f: number, d?: string) => heard.push(`${name} ${f} ${d}`) });
    // The first request runs alone; the next two wait for it, then share one batch.
    const first = scheduler.submit({ textbox: 'a' }, undefined, hooks('a'));
    const rest = [scheduler.submit({ textbox: 'b' }, undefined, hooks('b')), scheduler.submit({ textbox: 'c' }, undefined, hooks('c'))];
    await Promise.all([first, ...rest]);
    expect(heard).toEqual([
      'a started',
      'a 0.5 half the batch',
      'b started',
      'c started',
      'b 0.5 half the batch',
      'c 0.5 half the batch',
    ]);
  });
});
