/**
 * A kind defined outside the framework (tests/fixtures/rating-app: Rating and its <x-rating>)
 * works everywhere a built-in kind does: the JSON API with its checks, OpenAPI, the page in
 * Chromium (the element loaded on demand, keyboard-usable), @gradio/client, vitrine/client and flagging.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@gradio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'vitrine/client';
import type reviewApp from '../fixtures/rating-app/app.ts';
import { openRealDemo, type RealDemo } from '../browser/real-app.ts';

const APP = fileURLToPath(new URL('../fixtures/rating-app/app.ts', import.meta.url));

let demo: RealDemo;
let origin: string;
beforeAll(async () => {
  demo = await openRealDemo([{ module: APP, workers: 0 }]);
  origin = demo.running.origin;
});
afterAll(async () => demo?.close());

async function post(path: string, body: unknown) {
  const res = await fetch(`${origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('a kind of the app’s own', () => {
  it('answers through the JSON API, with its schema’s checks as clear 400s', async () => {
    expect(await post('/api/predict', { stars: 5, comment: 'fits' })).toEqual({ status: 200, body: { verdict: 'Happy customer: fits', echo: 4 } });
    const bad = await post('/api/predict', { stars: 9, comment: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'INVALID_INPUT', field: 'stars' });
    const half = await post('/api/predict', { stars: 2.5 });
    expect(half.body.message).toMatch(/whole number of stars/);
  });

  it('is described in OpenAPI and the config, with its element module served', async () => {
    const spec = (await (await fetch(`${origin}/openapi.json`)).json()) as { components: { schemas: Record<string, unknown> } };
    expect(JSON.stringify(spec)).toContain('A rating: 1 to 5 stars');
    const config = (await (await fetch(`${origin}/api/config`)).json()) as { inputs: Array<{ tag: string; element: string; kind: string }> };
    const stars = config.inputs[0]!;
    expect(stars).toMatchObject({ kind: 'rating', tag: 'x-rating' });
    expect(stars.element).toMatch(/^elements\/custom\/rating-[0-9a-f]{8}\.js$/);
    const js = await fetch(`${origin}/assets/${stars.element}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(await js.text()).toContain('x-rating');
  });

  it('works from @gradio/client, with its Gradio name in the API info', async () => {
    const client = await Client.connect(origin);
    const api = (await client.view_api()) as unknown as { named_endpoints: Record<string, { parameters: Array<{ component: string }> }> };
    expect(api.named_endpoints['/predict']!.parameters.map((p) => p.component)).toEqual(['Rating', 'Textbox']);
    const result = await client.predict('/predict', { stars: 1, comment: 'tight' });
    expect(result.data).toEqual(['Unhappy customer: tight', 1]);
    client.close();
  });

  it('works from vitrine/client, typed by the kind’s schema', async () => {
    const client = connect<typeof reviewApp>(origin);
    const out = await client.predict({ stars: 3, comment: 'fine' });
    const echo: number = out.echo;
    expect([out.verdict, echo]).toEqual(['Neutral customer: fine', 2]);
  });

  it('is flagged as JSON', async () => {
    const flagged = await post('/api/flag', { inputs: { stars: 4, comment: 'nice' }, outputs: { verdict: 'Happy customer: nice', echo: 3 } });
    expect(flagged.status).toBe(200);
    const index = await readFile(join(demo.running.dir, 'flagged', 'root', 'index.jsonl'), 'utf8');
    expect(JSON.parse(index.trim().split('\n').pop()!)).toMatchObject({ inputs: { stars: 4 }, outputs: { echo: 3 }, files: [] });
  });

  it('shows its own element on the page, usable from the keyboard', async () => {
    await demo.open();
    const group = demo.page.getByRole('radiogroup', { name: 'Stars' });
    await group.getByRole('radio', { name: '3 stars' }).focus();
    await demo.page.keyboard.press('ArrowRight');
    await expect.poll(() => group.getByRole('radio', { name: '4 stars' }).getAttribute('aria-checked')).toBe('true');
    await demo.page.getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => demo.page.getByRole('textbox', { name: 'Verdict' }).inputValue()).toBe('Happy customer: ok');
    const output = demo.page.locator('x-rating[part="output"]');
    await expect.poll(() => output.evaluate((el) => (el as HTMLElement & { value: number }).value)).toBe(3);
    expect(demo.problems.all()).toEqual([]);
  });
});
