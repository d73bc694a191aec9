/**
 * `npm run bench:accuracy`: sends the 10,000 official test images as PNG through `POST /api/predict`
 * and prints the API's accuracy next to the model's own accuracy on the raw tensors.
 */
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type * as tfTypes from '@tensorflow/tfjs';
import type { Tf } from '../framework/tf/backend.ts';
import { buildApp } from '../framework/server/app.ts';
import { encodePng } from '../framework/image/index.ts';
import { initTf } from '../framework/tf/backend.ts';
import { loadLayersModelFromDir } from '../framework/tf/model-io.ts';
import { DEFAULT_DATA_DIR, readIdxSplit } from '../training/idx.ts';
import { CLASS_NAMES } from '../training/model.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The app under test and the model it serves. */
export const APP_MODULE = resolve(ROOT, 'apps/fashion-mnist/app.ts');
export const MODEL_DIR = resolve(ROOT, 'apps/fashion-mnist/model');
const PIXELS = 28 * 28;

/** A running server to send requests to, and how to stop it. */
export interface RunningServer {
  url: string;
  close: () => Promise<void>;
}

/**
 * Starts the Fashion-MNIST app in this process on a free port (or uses `url` when given) and
 * waits until `/healthz` answers 200.
 *
 * @example
 * const server = await startServer(); await server.close();
 */
export async function startServer(url?: string): Promise<RunningServer> {
  if (url !== undefined) {
    await waitHealthy(url);
    return { url: url.replace(/\/?$/, '/'), close: async () => {} };
  }
  const app = await buildApp({ apps: [{ prefix: '/', module: APP_MODULE }], logger: false });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  await waitHealthy(address);
  return { url: `${address}/`, close: () => app.close() };
}

async function waitHealthy(base: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(new URL('healthz', base.replace(/\/?$/, '/')));
      if (res.ok) return;
      last = `${res.status} ${await res.text()}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server at ${base} did not become healthy: ${last}`);
}

/**
 * Sends one image to `POST /api/predict` as a data URL and returns the top-1 class name.
 *
 * @example
 * await predictViaApi('http://127.0.0.1:7860/', pngBytes, 'image/png'); // 'Sneaker'
 */
export async function predictViaApi(base: string, bytes: Uint8Array, mime: string): Promise<string> {
  const image = `data:${mime};base64,${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}`;
  const res = await fetch(new URL('api/predict', base), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ image }),
  });
  const body = (await res.json()) as { label?: { label?: string }; error?: string; message?: string };
  if (!res.ok || typeof body.label?.label !== 'string') {
    throw new Error(`POST /api/predict answered ${res.status}: ${body.error ?? ''} ${body.message ?? JSON.stringify(body)}`);
  }
  return body.label.label;
}

/**
 * Loads the committed model with the same backend choice as the server.
 *
 * @example
 * const { tf, model } = await loadModel();
 */
export async function loadModel(dir = MODEL_DIR): Promise<{ tf: Tf; model: tfTypes.LayersModel; backend: string }> {
  const { tf, backend } = await initTf({ threads: 1 });
  return { tf, model: await loadLayersModelFromDir(dir), backend };
}

/**
 * Top-1 class indices of the model on `count` 28×28 tensors (784 floats each in [0, 1]).
 *
 * @example
 * const predicted = predictTensors(tf, model, inputs, 10_000);
 */
export function predictTensors(tf: Tf, model: tfTypes.LayersModel, inputs: Float32Array, count: number): Uint8Array {
  const out = new Uint8Array(count);
  const batch = 500;
  for (let start = 0; start < count; start += batch) {
    const n = Math.min(batch, count - start);
    const probs = tf.tidy(() => {
      const x = tf.tensor4d(inputs.subarray(start * PIXELS, (start + n) * PIXELS), [n, 28, 28, 1]);
      return (model.predict(x) as tfTypes.Tensor).argMax(-1).dataSync();
    });
    out.set(probs, start);
  }
  return out;
}

/**
 * Runs `fn` over `items` with at most `concurrency` in flight; results keep the input order.
 *
 * @example
 * const labels = await mapPool(images, 8, (img) => predictViaApi(url, img, 'image/png'));
 */
export async function mapPool<T, R>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next;
      next += 1;
      results[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, lane));
  return results;
}

/** True when this module is the script node was started with (not imported). */
export function isMain(url: string): boolean {
  return process.argv[1] !== undefined && url === pathToFileURL(resolve(process.argv[1])).href;
}

/** Formats a fraction as a percentage with two decimals. */
export function percent(x: number): string {
  return `${(100 * x).toFixed(2)} %`;
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      data: { type: 'string', default: DEFAULT_DATA_DIR },
      limit: { type: 'string', default: '10000' },
      concurrency: { type: 'string', default: '16' },
      url: { type: 'string' },
      help: { type: 'boolean', default: false, short: 'h' },
    },
  });
  if (args.help) {
    console.log(`Usage: npm run bench:accuracy -- [--limit 10000] [--concurrency 16] [--data DIR] [--url URL]
  --limit        how many test images to send (default all 10,000)
  --concurrency  requests in flight (default 16)
  --data         folder with t10k-*-ubyte(.gz) (default ${DEFAULT_DATA_DIR})
  --url          an already running server to test instead of starting one in this process`);
    return;
  }
  const test = await readIdxSplit(args.data, 't10k');
  const count = Math.min(test.count, Number(args.limit));
  const concurrency = Number(args.concurrency);

  const { tf, model, backend } = await loadModel();
  const tensors = new Float32Array(count * PIXELS);
  for (let i = 0; i < count * PIXELS; i += 1) tensors[i] = (test.images[i] ?? 0) / 255;
  const direct = predictTensors(tf, model, tensors, count);

  const pngs = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      encodePng({ data: test.images.subarray(i * PIXELS, (i + 1) * PIXELS), width: 28, height: 28, channels: 1 }),
    ),
  );
  const server = await startServer(args.url);
  const started = performance.now();
  let viaApi: string[];
  try {
    viaApi = await mapPool(pngs, concurrency, (png) => predictViaApi(server.url, png, 'image/png'));
  } finally {
    await server.close();
  }
  const seconds = (performance.now() - started) / 1000;

  let modelRight = 0;
  let apiRight = 0;
  let agree = 0;
  for (let i = 0; i < count; i += 1) {
    const truth = test.labels[i] ?? 0;
    const modelName = CLASS_NAMES[direct[i] ?? 0];
    if (direct[i] === truth) modelRight += 1;
    if (viaApi[i] === CLASS_NAMES[truth]) apiRight += 1;
    if (viaApi[i] === modelName) agree += 1;
  }
  const modelAcc = modelRight / count;
  const apiAcc = apiRight / count;
  const gap = Math.abs(apiAcc - modelAcc) * 100;
  console.log(`$ node scripts/bench-accuracy.ts ${process.argv.slice(2).join(' ')}`.trimEnd());
  console.log(`test images            ${count} (sent as 28×28 grey PNG, ${concurrency} in flight; TF.js backend ${backend})`);
  console.log(`model on raw tensors   ${percent(modelAcc)}`);
  console.log(`API /api/predict       ${percent(apiAcc)}`);
  console.log(`difference             ${gap.toFixed(2)} points (target ≤ 0.20) ${gap <= 0.2 ? 'OK' : 'FAIL'}`);
  console.log(`same top-1 as model    ${percent(agree / count)}`);
  console.log(`API throughput         ${Math.round(count / seconds)} req/s over ${seconds.toFixed(1)} s`);
  if (gap > 0.2) process.exitCode = 1;
}

if (isMain(import.meta.url)) await main();
