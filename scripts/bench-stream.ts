/**
 * Streaming latency (issue 21's target: the first partial within 20 ms of its `yield`): the time
 * from a generator's `yield` to the client holding that partial, through the JSON API's event
 * stream (`POST api/predict`, `Accept: text/event-stream`) and through `@gradio/client`'s
 * `submit()`; then the server's RSS before and after `--streams` concurrent streams. The server
 * runs in this process (scripts/bench-stream/app.ts, in the main thread or `--workers N` threads),
 * so the function's stamp and the client's clock are the same clock — and the RSS is the whole
 * process's, the clients' included.
 *
 * Run: `npm run bench:stream -- [--rounds 20] [--partials 20] [--interval 10] [--streams 100] [--workers 0]`
 */
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Client } from '@gradio/client';
import { buildApp } from 'vitrine';
import { now } from './bench-stream/app.ts';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '20' },
    partials: { type: 'string', default: '20' },
    interval: { type: 'string', default: '10' },
    streams: { type: 'string', default: '100' },
    workers: { type: 'string', default: '0' },
    help: { type: 'boolean', default: false, short: 'h' },
  },
});
if (args.help) {
  console.log(
    'Usage: npm run bench:stream -- [--rounds N streams per path (default 20)] [--partials N per stream (default 20)]\n' +
      '  [--interval MS between yields (default 10)] [--streams N concurrent for the memory row (default 100)] [--workers N (default 0: main thread)]',
  );
  process.exit(0);
}
const rounds = Number(args.rounds);
const input = { partials: Number(args.partials), intervalMs: Number(args.interval) };

type Partial = { text: string; index: number; stamp: number };

/** One stream through the JSON API: the delay (ms) of each partial, in order. */
async function viaJsonApi(base: string, body = input): Promise<number[]> {
  const res = await fetch(`${base}api/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify(body),
  });
  const delays: number[] = [];
  const decoder = new TextDecoder();
  let buffered = '';
  const reader = res.body!.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const received = now();
    buffered += decoder.decode(value, { stream: true });
    const blocks = buffered.split('\n\n');
    buffered = blocks.pop()!;
    for (const block of blocks) {
      const [event, data] = block.split('\n');
      if (event !== 'event: partial') continue;
      delays.push(received - (JSON.parse(data!.slice('data: '.length)) as Partial).stamp);
    }
  }
  if (delays.length !== body.partials) throw new Error(`the JSON API stream had ${delays.length} partials, not ${body.partials}`);
  return delays;
}

/** One stream through @gradio/client: the delay (ms) of each generating partial (the final data event repeats the last). */
async function viaGradio(client: Client): Promise<number[]> {
  const delays: number[] = [];
  for await (const event of client.submit('/predict', [input.partials, input.intervalMs])) {
    if (event.type !== 'data') continue;
    const received = now();
    const stamp = (event.data as unknown[])[2] as number;
    if (delays.length < input.partials) delays.push(received - stamp);
  }
  return delays;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function row(name: string, firsts: number[], all: number[]): string {
  const f = [...firsts].sort((a, b) => a - b);
  const a = [...all].sort((x, y) => x - y);
  const ms = (v: number) => v.toFixed(2).padStart(7);
  return `| ${name.padEnd(16)} | ${ms(quantile(f, 0.5))} | ${ms(quantile(f, 0.99))} | ${ms(quantile(a, 0.5))} | ${ms(quantile(a, 0.99))} | ${String(a.length).padStart(6)} |`;
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

const app = await buildApp({
  logger: false,
  flagging: false,
  apps: [{ module: fileURLToPath(new URL('./bench-stream/app.ts', import.meta.url)), workers: Number(args.workers) }],
});
await app.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/`;
try {
  while ((await fetch(`${base}healthz`)).status !== 200) await new Promise((r) => setTimeout(r, 50));
  const gradio = await Client.connect(base);
  // Warm-up: the first calls compile the paths (JIT, zod, the client's config).
  for (let i = 0; i < 3; i++) await Promise.all([viaJsonApi(base), viaGradio(gradio)]);

  const results: Record<string, { firsts: number[]; all: number[] }> = { 'JSON API (SSE)': { firsts: [], all: [] }, '@gradio/client': { firsts: [], all: [] } };
  for (let r = 0; r < rounds; r++) {
    // Alternating, one stream at a time: each path meets the same machine.
    for (const [name, run] of [['JSON API (SSE)', () => viaJsonApi(base)], ['@gradio/client', () => viaGradio(gradio)]] as const) {
      const delays = await run();
      results[name]!.firsts.push(delays[0]!);
      results[name]!.all.push(...delays);
    }
  }
  gradio.close();
  console.log(`yield → client, ${rounds} streams per path of ${input.partials} partials ${input.intervalMs} ms apart, workers ${args.workers} (ms):\n`);
  console.log('| path             | first p50 | first p99 | all p50 | all p99 | partials |');
  console.log('| ---------------- | ---: | ---: | ---: | ---: | ---: |');
  for (const [name, { firsts, all }] of Object.entries(results)) console.log(row(name, firsts, all));

  const streams = Number(args.streams);
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  const began = performance.now();
  await Promise.all(Array.from({ length: streams }, () => viaJsonApi(base)));
  const took = performance.now() - began;
  await new Promise((r) => setTimeout(r, 500));
  globalThis.gc?.();
  const after = process.memoryUsage().rss;
  console.log(`\n${streams} concurrent streams (JSON API) in ${took.toFixed(0)} ms: RSS ${mib(before)} before, ${mib(after)} after${globalThis.gc ? '' : ' (run with --expose-gc for a collected heap)'}`);
} finally {
  await app.close();
}
