/**
 * Every app as an MCP server, tested with the SDK's own client over streamable HTTP against a
 * real listening server: the tools listed, the Fashion-MNIST tool called with an example picture
 * (base64 and its example URL), a text tool's progress notifications, bad arguments as tool
 * errors, the bearer token, and the JSON schema route.
 */
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, Interface, Slider, Textbox } from 'vitrine';
import { PROGRESS_INTERVAL_MS } from '../../framework/runtime/execute.ts';
import { settled } from '../http/helpers.ts';

const FASHION = fileURLToPath(new URL('../../apps/fashion-mnist/app.ts', import.meta.url));
const SNEAKER = fileURLToPath(new URL('../../apps/fashion-mnist/examples/sneaker.png', import.meta.url));

/** A text app that reports progress (one report per PROGRESS_INTERVAL_MS leaves a call, so it pauses between them). */
const shout = Interface({
  fn: async function shout({ text, times }, ctx) {
    for (let i = 1; i <= times; i++) {
      ctx.progress(i / times, `shout ${i} of ${times}`);
      await new Promise((r) => setTimeout(r, PROGRESS_INTERVAL_MS + 20));
    }
    return { shout: `${text.toUpperCase()}${'!'.repeat(times)}` };
  },
  inputs: { text: Textbox({ label: 'Text' }), times: Slider({ min: 1, max: 5, value: 2, label: 'Times' }) },
  outputs: { shout: Textbox({ label: 'Shouted' }) },
  title: 'Shout',
  description: 'Shouts the text back.',
  workers: 0,
});

async function listen(opts: { token?: string; mcp?: boolean } = {}): Promise<{ app: FastifyInstance; origin: string }> {
  const app = await buildApp({
    apps: [
      { prefix: '/', module: FASHION, workers: 1 },
      { prefix: '/shout', interface: shout },
    ],
    logger: false,
    flagging: false,
    mcp: opts.mcp ?? true,
    security: { token: opts.token ?? false },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, origin: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

async function connect(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'vitrine-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return client;
}

type Content = Array<{ type: string; text?: string; data?: string; mimeType?: string }>;

describe('serve({ mcp: true })', () => {
  let app: FastifyInstance;
  let origin: string;
  let fashion: Client;
  let text: Client;

  beforeAll(async () => {
    ({ app, origin } = await listen());
    expect(await settled(app)).toBe('ready');
    fashion = await connect(`${origin}/gradio_api/mcp/`);
    text = await connect(`${origin}/shout/gradio_api/mcp/`);
  });
  afterAll(async () => {
    await fashion?.close();
    await text?.close();
    await app?.close();
  });

  it('lists one tool per app: named after the function, described by the interface, typed by the components', async () => {
    const { tools } = await fashion.listTools();
    expect(tools.map((t) => t.name)).toEqual(['classify']);
    expect(tools[0]!.description).toMatch(/^Fashion-MNIST Clothing Classifier\. Upload a picture/);
    expect(tools[0]!.description).toContain('Returns: label (Prediction, JSON text); seen (What the model saw, image content)');
    expect(tools[0]!.inputSchema).toEqual({
      type: 'object',
      properties: { image: { type: 'string', description: expect.stringMatching(/^Clothing picture: .*\. The image as an http\(s\) URL, a data: URL or base64\.$/) } },
      required: ['image'],
    });
    const shoutTool = (await text.listTools()).tools[0]!;
    expect(shoutTool.name).toBe('shout');
    expect(shoutTool.inputSchema).toMatchObject({
      properties: { text: { type: 'string', description: 'Text' }, times: { type: 'number', minimum: 1, maximum: 5, default: 2, description: 'Times' } },
      required: ['text'],
    });
  });

  it('classifies an example picture sent as base64: the label as JSON text, the picture the model saw as image content', async () => {
    const image = (await readFile(SNEAKER)).toString('base64');
    const result = await fashion.callTool({ name: 'classify', arguments: { image } });
    expect(result.isError).toBeFalsy();
    const [label, seen] = result.content as Content;
    const parsed = JSON.parse(label!.text!) as { label: string; confidences: Array<{ label: string; confidence: number }> };
    expect(parsed.label).toBe('Sneaker');
    expect(parsed.confidences).toHaveLength(3);
    expect(seen).toMatchObject({ type: 'image', mimeType: 'image/png' });
    expect(Buffer.from(seen!.data!, 'base64').subarray(1, 4).toString()).toBe('PNG');
  });

  it("takes the app's own example URL as a data: URL's equal", async () => {
    const result = await fashion.callTool({ name: 'classify', arguments: { image: `${origin}/examples/0/sneaker.png` } });
    expect(JSON.parse((result.content as Content)[0]!.text!)).toMatchObject({ label: 'Sneaker' });
  });

  it("sends the function's progress as MCP progress notifications when asked to", async () => {
    const seen: Array<{ progress: number; total?: number; message?: string }> = [];
    const result = await text.callTool({ name: 'shout', arguments: { text: 'hey', times: 3 } }, undefined, { onprogress: (p) => seen.push(p) });
    expect(result.content).toEqual([{ type: 'text', text: 'HEY!!!' }]);
    expect(seen).toEqual([1, 2, 3].map((i) => ({ progress: i / 3, total: 1, message: `shout ${i} of 3` })));
  });

  it.each([
    ['a missing input', {}, /^MISSING_INPUT: Missing required input "text"/],
    ['a value of the wrong type', { text: 'x', times: 'many' }, /^INVALID_INPUT: Invalid value for "times"/],
    ['an unknown argument', { text: 'x', colour: 'red' }, /^UNKNOWN_FIELD: Unknown field "colour"/],
  ])('answers %s with a tool error that says what is wrong', async (_what, args, message) => {
    const result = await text.callTool({ name: 'shout', arguments: args });
    expect(result.isError).toBe(true);
    expect((result.content as Content)[0]!.text).toMatch(message);
  });

  it('refuses a picture that is not one, and a URL it may not fetch, as tool errors; the server goes on', async () => {
    const bad = await fashion.callTool({ name: 'classify', arguments: { image: Buffer.from('not a picture').toString('base64') } });
    expect(bad.isError).toBe(true);
    expect((bad.content as Content)[0]!.text).toMatch(/^(INVALID_IMAGE|UNSUPPORTED_IMAGE): /);
    const remote = await fashion.callTool({ name: 'classify', arguments: { image: 'http://169.254.169.254/latest/meta-data' } });
    expect(remote.isError).toBe(true);
    expect((remote.content as Content)[0]!.text).toContain('is a URL this server does not fetch');
    const unknown = await fashion.callTool({ name: 'shout', arguments: {} });
    expect(unknown).toMatchObject({ isError: true, content: [{ type: 'text', text: 'Unknown tool "shout"; this server has "classify"' }] });
    expect((await fetch(`${origin}/healthz`)).status).toBe(200);
  });

  it('describes the tools as JSON at gradio_api/mcp/schema, and answers a GET on the endpoint with 405', async () => {
    const schema = (await (await fetch(`${origin}/shout/gradio_api/mcp/schema`)).json()) as { tools: Array<{ name: string }>; meta: unknown };
    expect(schema.tools.map((t) => t.name)).toEqual(['shout']);
    expect(schema.meta).toEqual({ file_data_present: false });
    const get = await fetch(`${origin}/gradio_api/mcp/`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });
});

describe('the bearer token and the default', () => {
  it('an MCP client needs the token like any API client', async () => {
    const { app, origin } = await listen({ token: 's3cret' });
    try {
      await expect(connect(`${origin}/shout/gradio_api/mcp/`)).rejects.toThrow(/401|Unauthorized/i);
      const client = await connect(`${origin}/shout/gradio_api/mcp/`, { authorization: 'Bearer s3cret' });
      expect((await client.callTool({ name: 'shout', arguments: { text: 'ok', times: 1 } })).content).toEqual([{ type: 'text', text: 'OK!' }]);
      await client.close();
    } finally {
      await app.close();
    }
  });

  it('without mcp: true there is no MCP endpoint', async () => {
    const { app, origin } = await listen({ mcp: false });
    try {
      expect((await fetch(`${origin}/shout/gradio_api/mcp/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(404);
    } finally {
      await app.close();
    }
  });
});
