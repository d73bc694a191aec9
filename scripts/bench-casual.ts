/**
 * `npm run bench:casual`: renders official test garments as casual phone photos (training/photo-*.ts)
 * on a held-out seed and prints the API's accuracy, overall and per condition.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { decodeImage } from '../framework/image/index.ts';
import { preprocessForFashionMnist } from '../apps/fashion-mnist/preprocess.ts';
import { APP_DECODE, CASUAL_BENCH_SEED, casualAccuracy, casualPhotoSet } from '../training/casual-set.ts';
import { DEFAULT_DATA_DIR, readIdxSplit } from '../training/idx.ts';
import { CLASS_NAMES } from '../training/model.ts';
import { isMain, loadModel, mapPool, percent, predictTensors, predictViaApi, startServer } from './bench-accuracy.ts';

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      count: { type: 'string', default: '1000', short: 'n' },
      seed: { type: 'string', default: String(CASUAL_BENCH_SEED) },
      concurrency: { type: 'string', default: '8' },
      data: { type: 'string', default: DEFAULT_DATA_DIR },
      url: { type: 'string' },
      save: { type: 'string' },
      'in-process': { type: 'boolean', default: false },
      model: { type: 'string' },
      mode: { type: 'string', default: APP_DECODE.mode },
      help: { type: 'boolean', default: false, short: 'h' },
    },
  });
  if (args.help) {
    console.log(`Usage: npm run bench:casual -- [--count 1000] [--seed ${CASUAL_BENCH_SEED}] [--concurrency 8] [--data DIR] [--url URL] [--save DIR]
  --count        test garments to photograph (default 1,000, drawn at random)
  --seed         seed of the draw and the photo conditions (default: the held-out benchmark seed;
                 tune on any other seed)
  --concurrency  requests in flight (default 8)
  --data         folder with t10k-*-ubyte(.gz) (default ${DEFAULT_DATA_DIR})
  --url          an already running server to test instead of starting one in this process
  --save         also write the photo files into this folder (to look at them)
  --in-process   skip the server: decode like the app + preprocess + model in this process
  --model        model folder for --in-process (default the app's)
  --mode         decode mode for --in-process: RGB (the app's) or L`);
    return;
  }
  const started = performance.now();
  const test = await readIdxSplit(args.data, 't10k');
  const photos = await casualPhotoSet(test, Number(args.count), Number(args.seed));
  if (args.save !== undefined) {
    await mkdir(args.save, { recursive: true });
    await Promise.all(photos.map((p, k) => writeFile(`${args.save}/${k}-${(CLASS_NAMES[p.label] ?? '').replace(/\W+/g, '-')}.${p.file.format}`, p.bytes)));
  }
  let predicted: number[];
  if (args['in-process']) {
    const { tf, model } = await loadModel(args.model);
    const inputs = new Float32Array(photos.length * 784);
    await mapPool(photos, 2, async (p, k) => {
      const img = await decodeImage(p.bytes, { field: 'image', ...APP_DECODE, mode: args.mode === 'L' ? 'L' : 'RGB' });
      inputs.set(preprocessForFashionMnist(img), k * 784);
    });
    predicted = Array.from(predictTensors(tf, model, inputs, photos.length));
  } else {
    const server = await startServer(args.url);
    try {
      const names = await mapPool(photos, Number(args.concurrency), (p) => predictViaApi(server.url, p.bytes, p.mime));
      predicted = names.map((name) => CLASS_NAMES.indexOf(name as (typeof CLASS_NAMES)[number]));
    } finally {
      await server.close();
    }
  }
  const result = casualAccuracy(photos, predicted);
  const kib = photos.reduce((s, p) => s + p.bytes.length, 0) / photos.length / 1024;
  console.log(`$ npm run bench:casual -- ${process.argv.slice(2).join(' ')}`.trimEnd());
  console.log(`photos      ${photos.length} test garments as casual phone photos (JPEG/WebP/PNG, mean ${kib.toFixed(0)} KiB), seed ${args.seed}`);
  const how = args['in-process'] ? `in-process (${args.mode})` : 'API';
  console.log(`${how.padEnd(11)} ${percent(result.accuracy)} (target ≥ 85 %) ${result.accuracy >= 0.85 ? 'OK' : 'BELOW TARGET'}`);
  console.log('per condition:');
  for (const c of result.perCondition) console.log(`  ${c.condition.padEnd(34)} ${percent(c.accuracy).padStart(8)}  (${c.count})`);
  console.log(`wall time   ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (isMain(import.meta.url)) await main();
