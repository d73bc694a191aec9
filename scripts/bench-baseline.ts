/**
 * The hand-written server `npm run bench` compares Vitrine against: one Fastify route that decodes
 * with sharp and runs the same model in-process, one request at a time — no framework, no worker
 * pool, no queue, no batching. Written the way a minimal server usually is: logger off.
 *
 * Run: `PORT=7861 node scripts/bench-baseline.ts [--model apps/fashion-mnist/model]`
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import multipart from '@fastify/multipart';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
// The framework's default limits only (two constants, no other module of the framework).
import { DEFAULT_BODY_LIMIT_BYTES, DEFAULT_FILE_PART_BYTES } from '../framework/server/limits.ts';

const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: process.env.VITRINE_BENCH_MODEL_DIR ?? 'apps/fashion-mnist/model' },
    help: { type: 'boolean', default: false, short: 'h' },
  },
});
if (args.help) {
  console.log(`Usage: PORT=7861 node scripts/bench-baseline.ts [--model DIR]
  --model  folder with model.json + weights (default apps/fashion-mnist/model, or VITRINE_BENCH_MODEL_DIR)`);
  process.exit(0);
}

await tf.setBackend('wasm');
const model = await loadModel(resolve(args.model));
// The class names the model was saved with (training writes them from the app's CLASS_NAMES): the
// baseline stays free of the framework, whose modules would otherwise add to its memory figures.
const CLASS_NAMES = JSON.parse(await readFile(join(resolve(args.model), 'labels.json'), 'utf8')) as string[];
// One warm-up call compiles the kernels, as the framework's app does in its load().
tf.tidy(() => (model.predict(tf.zeros([1, 28, 28, 1])) as tf.Tensor).dataSync());

/** Reads a TF.js layers model folder with plain TF.js (no tfjs-node to read `file://`). */
async function loadModel(dir: string): Promise<tf.LayersModel> {
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
  const buffers: ArrayBuffer[] = [];
  for (const group of json.weightsManifest) {
    for (const p of group.paths) {
      const b = await readFile(join(dir, p));
      buffers.push(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
    }
  }
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
      weightData: tf.io.concatenateArrayBuffers(buffers),
    }),
  );
}

/** sharp: grey, fitted into 28×28 on white (shrink-on-load for large JPEGs), inverted like the dataset. */
async function classify(bytes: Buffer) {
  const { data } = await sharp(bytes, { failOn: 'error', pages: 1, autoOrient: true })
    .greyscale()
    .resize(28, 28, { fit: 'contain', background: '#fff' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const input = new Float32Array(784);
  for (let i = 0; i < 784; i++) input[i] = 1 - (data[i] ?? 255) / 255;
  const probs = tf.tidy(() => (model.predict(tf.tensor4d(input, [1, 28, 28, 1])) as tf.Tensor).dataSync());
  const ranked = CLASS_NAMES.map((label, i) => ({ label, confidence: probs[i]! })).sort((a, b) => b.confidence - a.confidence);
  return { label: { label: ranked[0]!.label, confidences: ranked.slice(0, 3) } };
}

const app = Fastify({ logger: false, bodyLimit: DEFAULT_BODY_LIMIT_BYTES });
await app.register(multipart, { limits: { fileSize: DEFAULT_FILE_PART_BYTES, files: 1 } });
app.get('/healthz', async () => ({ status: 'ready' }));
app.post('/api/predict', async (req, reply) => {
  let bytes: Buffer | undefined;
  if (req.isMultipart()) {
    const file = await req.file();
    bytes = await file?.toBuffer();
  } else {
    const image = (req.body as { image?: unknown } | null)?.image;
    if (typeof image === 'string') bytes = Buffer.from(image.replace(/^data:[^,]*,/, ''), 'base64');
  }
  if (!bytes || bytes.length === 0) return reply.code(400).send({ error: 'INVALID_INPUT', message: 'send an image' });
  try {
    return await classify(bytes);
  } catch {
    return reply.code(400).send({ error: 'INVALID_IMAGE', message: 'the image could not be decoded' });
  }
});
await app.listen({ port: Number(process.env.PORT ?? 7861), host: process.env.HOST ?? '127.0.0.1' });
const close = () => void app.close();
process.once('SIGTERM', close);
process.once('SIGINT', close);
