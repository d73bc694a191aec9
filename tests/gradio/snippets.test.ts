/** The page's Gradio JS snippet runs as printed against the real server (the Python one is checked as text in gradio-snippets.test.ts). */
import { fileURLToPath } from 'node:url';
import { Client, handle_file } from '@gradio/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { InterfaceConfigSchema } from '../../framework/server/interface-config.ts';
import { gradioSnippets } from '../../ui-components/interface/gradio-snippets.ts';
import { listen, ready, type Listening } from './helpers.ts';

const EFFECTS = fileURLToPath(new URL('../../apps/image-effects/app.ts', import.meta.url));

let server: Listening;
beforeAll(async () => {
  server = await listen([{ prefix: '/image-effects', module: EFFECTS, workers: 1 }]);
  await ready(server.app, '/image-effects/');
});
afterAll(async () => server?.close());

it('the "Gradio JS client" snippet of image-effects runs unchanged and prints its FileData', async () => {
  const base = new URL(`${server.origin}/image-effects/`);
  const config = InterfaceConfigSchema.parse((await server.app.inject({ method: 'GET', url: '/image-effects/api/config' })).json());
  const { javascript } = gradioSnippets(config, base);
  const [importLine, ...body] = javascript.split('\n');
  expect(importLine).toBe('import { Client, handle_file } from "@gradio/client";');
  const printed: unknown[] = [];
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<void>;
  const clients: Client[] = [];
  const connect = { connect: async (url: string) => clients[clients.push(await Client.connect(url)) - 1] };
  try {
    await new AsyncFunction('Client', 'handle_file', 'console', body.join('\n'))(connect, handle_file, { log: (...xs: unknown[]) => printed.push(...xs) });
  } finally {
    for (const c of clients) c.close();
  }
  const [data] = printed as [[{ url: string; mime_type: string }, Array<{ image: { url: string; mime_type: string }; caption: string }>]];
  // The result picture, then the gallery of every effect.
  expect(data).toHaveLength(2);
  expect(data[0].mime_type).toBe('image/png');
  expect((await fetch(data[0].url)).status).toBe(200);
  expect(data[1].map((g) => g.caption)).toEqual(['blur', 'pixelate', 'sepia', 'grayscale', 'invert', 'posterize']);
  expect((await fetch(data[1][0]!.image.url)).headers.get('content-type')).toBe('image/png');
});
