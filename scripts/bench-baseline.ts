/**
 * The hand-written server `npm run bench` compares Vitrine against: what a TypeScript developer
 * would write by hand today — one Fastify route that decodes with sharp and runs the same
 * model.onnx in-process on onnxruntime-node, one request at a time: no framework, no worker pool,
 * no queue, no batching, logger off. The table then shows what Vitrine adds on the same runtime.
 *
 * Run: `PORT=7861 node scripts/bench-baseline.ts [--model apps/fashion-mnist/model]`
 *
 * It runs the CNN once per picture (no mirror pass: 93.56 % on the test set against the app's
 * 94.13 %), with ORT's default threads, as a first version usually does.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import multipart from '@fastify/multipart';
import sharp from 'sharp';
import * as ort from 'onnxruntime-node';
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
  --model  folder with model.onnx and labels.json (default apps/fashion-mnist/model, or VITRINE_BENCH_MODEL_DIR)`);
  process.exit(0);
}

const session = await ort.InferenceSession.create(join(resolve(args.model), 'model.onnx'));
const CLASS_NAMES = JSON.parse(readFileSync(join(resolve(args.model), 'labels.json'), 'utf8')) as string[];
const inputName = session.inputNames[0]!;
const outputName = session.outputNames[0]!;
// One warm-up run, as the framework's app does in its load().
await session.run({ [inputName]: new ort.Tensor('float32', new Float32Array(784), [1, 28, 28, 1]) });

/** sharp: grey, fitted into 28×28 on white (shrink-on-load for large JPEGs), inverted like the dataset when its border is light. */
async function classify(bytes: Buffer) {
  const { data } = await sharp(bytes, { failOn: 'error', pages: 1, autoOrient: true })
    .greyscale()
    .resize(28, 28, { fit: 'contain', background: '#fff' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  let border = 0;
  for (let i = 0; i < 28; i++) border += data[i]! + data[27 * 28 + i]! + data[i * 28]! + data[i * 28 + 27]!;
  const invert = border / (4 * 28) > 127;
  const input = new Float32Array(784);
  for (let i = 0; i < 784; i++) input[i] = invert ? 1 - data[i]! / 255 : data[i]! / 255;
  const out = await session.run({ [inputName]: new ort.Tensor('float32', input, [1, 28, 28, 1]) });
  const probs = out[outputName]!.data as Float32Array;
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
