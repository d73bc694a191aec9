/**
 * The page and a function that reports progress, in Chromium against the real server: the bar
 * appears with the function's own fraction and words while it runs, then the result replaces it;
 * an error after some progress is shown with the JSON API's message. No console errors or CSP
 * violations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Interface, Textbox } from '../../framework/index.ts';
import { gate } from '../gradio/helpers.ts';
import { openRealDemo, type RealDemo } from './real-app.ts';

let step = gate();
const app = Interface({
  fn: async (prompt: string, ctx) => {
    ctx.progress(0.5, 'halfway there');
    await step.promise;
    if (prompt === 'fail') throw new Error('asked to fail');
    return prompt.toUpperCase();
  },
  inputs: Textbox({ label: 'Prompt' }),
  outputs: Textbox({ label: 'Reply' }),
  title: 'Progress',
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

const bar = () => demo.page.getByRole('progressbar', { name: 'Progress' });

describe('the page shows a function\'s progress', () => {
  it('draws the reported fraction and words while the function runs, then the result', async () => {
    step = gate();
    await demo.page.getByRole('textbox', { name: 'Prompt' }).fill('hello');
    await demo.page.getByRole('button', { name: 'Submit' }).click();
    await bar().waitFor();
    await expect(bar().getAttribute('aria-valuenow')).resolves.toBe('50');
    await expect(bar().getAttribute('aria-valuetext')).resolves.toBe('halfway there, 50%');
    step.open();
    await demo.page.waitForFunction(() => {
      const iface = document.querySelector('vt-interface')!;
      const reply = iface.shadowRoot!.querySelector('vt-textbox[part="output"]') as HTMLElement & { value: string };
      return reply.value === 'HELLO';
    });
    await expect(bar().count()).resolves.toBe(0);
    expect(demo.problems.all()).toEqual([]);
  });

  it('shows an error that follows progress with the JSON API\'s message', async () => {
    step = gate();
    await demo.page.getByRole('textbox', { name: 'Prompt' }).fill('fail');
    await demo.page.getByRole('button', { name: 'Submit' }).click();
    await bar().waitFor();
    step.open();
    const alert = demo.page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^The app failed while handling this request \(request id [0-9a-f-]{36}\)$/);
    await expect(bar().count()).resolves.toBe(0);
  });
});
