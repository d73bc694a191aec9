/** Shared pieces of the Gradio suites: a listening server, grey PNGs, an app whose calls a test holds, and the SSE framing check. */
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { expect } from 'vitest';
import { buildApp, Interface, Label, Textbox, type AppMount, type BuildOptions } from '../../framework/index.ts';

export interface Listening {
  app: FastifyInstance;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  close(): Promise<void>;
}

/**
 * Builds the server and listens on a free port (the clients speak real HTTP and SSE).
 *
 * @example
 * const server = await listen([{ prefix: '/m', module: MEASURE_APP }]);
 */
export async function listen(apps: AppMount[], opts: Partial<BuildOptions> = {}): Promise<Listening> {
  const app = await buildApp({ logger: false, flagging: false, ...opts, apps });
  const origin = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, origin, close: () => app.close() };
}

/** Waits until `{base}healthz` says the app has loaded (a worker thread takes a second or two). */
export async function ready(app: FastifyInstance, base: string): Promise<void> {
  const until = Date.now() + 60_000;
  while ((await app.inject({ method: 'GET', url: `${base}healthz` })).statusCode !== 200) {
    if (Date.now() > until) throw new Error(`${base} did not load within 60 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A grey PNG of one value (0–255): its mean brightness is `value / 255`.
 *
 * @example
 * const png = await greyPng(51); // mean 0.2
 */
export function greyPng(value: number, width = 6, height = 4): Promise<Buffer> {
  return sharp(Buffer.alloc(width * height, value), { raw: { width, height, channels: 1 } }).png().toBuffer();
}

/** A promise whose resolve is outside, to hold a call until the test lets it go. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

/**
 * A main-thread app with one slot whose calls a test controls: a text of `hold` waits for
 * `held.open()`; every text the function saw is in `seen`, in order.
 *
 * @example
 * const held = holdingApp({ maxLength: 1 });
 */
export function holdingApp(opts: { maxLength?: number; timeoutMs?: number } = {}) {
  const seen: string[] = [];
  const held = gate();
  const started = gate();
  const iface = Interface({
    fn: async (text: string) => {
      seen.push(text);
      if (text === 'hold') {
        started.open();
        await held.promise;
      }
      if (text === 'hang') await new Promise(() => {});
      return { answer: text.toUpperCase(), kind: { [text.length % 2 === 0 ? 'even' : 'odd']: 1 } };
    },
    inputs: Textbox(),
    outputs: { answer: Textbox(), kind: Label() },
    queue: { concurrencyPerWorker: 1, maxLength: opts.maxLength ?? 8 },
    workers: 0,
    ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
  });
  return { iface, seen, release: held.open, started: started.promise };
}

/**
 * Splits an SSE body into its messages, checking the framing Gradio's clients need: every message
 * is exactly one line, `data: ` followed by JSON (`queue/data`), or `event: …` then one such line
 * (the two-step route); nothing else, and the body ends with a blank line.
 *
 * @example
 * const messages = sseMessages(res.body, 'data'); // [{ msg: 'estimation', … }, …]
 */
export function sseMessages(body: string, framing: 'data'): Array<Record<string, unknown>>;
export function sseMessages(body: string, framing: 'named'): Array<{ event: string; data: unknown }>;
export function sseMessages(body: string, framing: 'data' | 'named'): unknown[] {
  expect(body.endsWith('\n\n'), 'the stream ends with a blank line').toBe(true);
  const blocks = body.slice(0, -2).split('\n\n');
  return blocks.map((block) => {
    const lines = block.split('\n');
    if (framing === 'data') {
      expect(lines, `one line per message: ${block}`).toHaveLength(1);
      expect(lines[0]).toMatch(/^data: \{/);
      return JSON.parse(lines[0]!.slice('data: '.length)) as unknown;
    }
    expect(lines, `an event line and one data line: ${block}`).toHaveLength(2);
    expect(lines[0]).toMatch(/^event: [a-z_]+$/);
    expect(lines[1]).toMatch(/^data: /);
    return { event: lines[0]!.slice('event: '.length), data: JSON.parse(lines[1]!.slice('data: '.length)) as unknown };
  });
}
