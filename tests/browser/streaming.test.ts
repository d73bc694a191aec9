/**
 * The page and a function that streams, in Chromium against the real server: the output changes
 * while the function is still running (it yields, then waits until the test lets it go), the last
 * yield stays as the result; Stop aborts the request, which stops the generator (its finally runs).
 * No console errors or CSP violations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Interface, Textbox } from '../../framework/index.ts';
import { gate } from '../gradio/helpers.ts';
import { openRealDemo, type RealDemo } from './real-app.ts';

let step = gate();
const stopped: string[] = [];
const app = Interface({
  fn: async function* (prompt: string) {
    try {
      yield `${prompt}…`;
      await step.promise;
      yield `${prompt}, said in full`;
    } finally {
      stopped.push(prompt);
    }
  },
  inputs: Textbox({ label: 'Prompt' }),
  outputs: Textbox({ label: 'Reply' }),
  title: 'Streaming',
  workers: 0,
});

let demo: RealDemo;
beforeAll(async () => {
  demo = await openRealDemo([{ interface: app, workers: 0 }]);
  await demo.open();
});
afterAll(async () => {
  step.open();
  await demo?.close();
});

/** Waits until the Reply output shows `text`. */
function replyShows(text: string): Promise<unknown> {
  return demo.page.waitForFunction((expected) => {
    const iface = document.querySelector('vt-interface')!;
    const reply = iface.shadowRoot!.querySelector('vt-textbox[part="output"]') as HTMLElement & { value: string };
    return reply.value === expected;
  }, text);
}

describe('the page and a streaming function', () => {
  it('shows the first partial before the function ends, then the last one as the result', async () => {
    step = gate();
    await demo.page.getByRole('textbox', { name: 'Prompt' }).fill('hello');
    await demo.page.getByRole('button', { name: 'Submit' }).click();
    await replyShows('hello…');
    // The function is still waiting: the page is busy, and nothing has ended it.
    expect(stopped).toEqual([]);
    await expect(demo.page.getByRole('button', { name: 'Stop' }).count()).resolves.toBe(1);
    step.open();
    await replyShows('hello, said in full');
    await demo.page.getByRole('status').filter({ hasText: /^Done in/ }).waitFor();
    expect(stopped).toEqual(['hello']);
    expect(demo.problems.all()).toEqual([]);
  });

  it('Stop keeps the partial shown and stops the generator on the server', async () => {
    step = gate();
    await demo.page.getByRole('textbox', { name: 'Prompt' }).fill('halt');
    await demo.page.getByRole('button', { name: 'Submit' }).click();
    await replyShows('halt…');
    await demo.page.getByRole('button', { name: 'Stop' }).click();
    await demo.page.getByRole('status').filter({ hasText: 'Stopped.' }).waitFor();
    // The stop lands at the generator's next yield, once what it awaits lets it go.
    step.open();
    const end = Date.now() + 5000;
    while (!stopped.includes('halt') && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(stopped).toContain('halt');
    await replyShows('halt…');
    expect(demo.problems.all()).toEqual([]);
  });
});
