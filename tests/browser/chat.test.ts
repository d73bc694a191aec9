/**
 * A ChatInterface's page in Chromium against the real server: the reply grows in the conversation
 * while the function is still writing it, the history goes with the next message, and Stop, Retry
 * and Clear do what they say. No console errors or CSP violations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatInterface, type ChatMessage } from '../../framework/index.ts';
import { gate } from '../gradio/helpers.ts';
import { openRealDemo, type RealDemo } from './real-app.ts';

let step = gate();
const calls: Array<{ message: string; history: ChatMessage[] }> = [];
const stopped: string[] = [];
const app = ChatInterface({
  fn: async function* (message, history) {
    calls.push({ message, history });
    try {
      yield `Thinking about "${message}"`;
      await step.promise;
      yield `Thinking about "${message}": **done**`;
    } finally {
      stopped.push(message);
    }
  },
  title: 'Chat',
  examples: ['an example'],
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

const log = () => demo.page.getByRole('log', { name: 'Conversation' });
/** The messages' texts as a screen reader reads them ("You: …", "Assistant: …"). */
const transcript = () => log().locator('.message').allInnerTexts().then((texts) => texts.map((t) => t.replace(/\s+/g, ' ').trim()));
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const end = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(await transcript())}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the page of a ChatInterface', () => {
  it('shows the reply growing while the function writes it, and sends the history with the next message', async () => {
    step = gate();
    const box = demo.page.getByRole('textbox', { name: 'Message' });
    await box.fill('hello');
    await box.press('Enter');
    await until(async () => (await transcript()).at(-1) === 'Assistant: Thinking about "hello"', 'the first partial');
    expect(stopped).toEqual([]);
    await expect(demo.page.getByRole('button', { name: 'Stop' }).count()).resolves.toBe(1);
    step.open();
    await until(async () => (await transcript()).at(-1) === 'Assistant: Thinking about "hello": done', 'the whole reply');
    await expect(log().locator('.message.assistant strong').last().textContent()).resolves.toBe('done');

    await demo.page.getByRole('button', { name: 'an example' }).click();
    await until(async () => (await transcript()).length === 4 && stopped.length === 2, 'the second reply');
    expect(calls.at(-1)).toEqual({
      message: 'an example',
      history: [
        { role: 'user', content: 'hello' },
        { role: 'assistant', content: 'Thinking about "hello": **done**' },
      ],
    });
    expect(demo.problems.all()).toEqual([]);
  });

  it('Stop keeps what was written and stops the function; Retry writes it again; Clear empties the chat', async () => {
    await demo.page.getByRole('button', { name: 'Clear' }).click();
    await expect(transcript()).resolves.toEqual([]);
    step = gate();
    const box = demo.page.getByRole('textbox', { name: 'Message' });
    await box.fill('halt');
    await demo.page.getByRole('button', { name: 'Send' }).click();
    await until(async () => (await transcript()).at(-1) === 'Assistant: Thinking about "halt"', 'the partial');
    await demo.page.getByRole('button', { name: 'Stop' }).click();
    step.open();
    await until(async () => stopped.includes('halt'), 'the generator\'s finally');
    await expect(transcript()).resolves.toEqual(['You: halt', 'Assistant: Thinking about "halt"']);

    await demo.page.getByRole('button', { name: 'Retry' }).click();
    await until(async () => (await transcript()).at(-1) === 'Assistant: Thinking about "halt": done', 'the retried reply');
    await expect(transcript()).resolves.toEqual(['You: halt', 'Assistant: Thinking about "halt": done']);
    expect(calls.at(-1)).toEqual({ message: 'halt', history: [] });

    await demo.page.getByRole('button', { name: 'Clear' }).click();
    await expect(transcript()).resolves.toEqual([]);
    expect(demo.problems.all()).toEqual([]);
  });
});
