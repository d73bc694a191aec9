/**
 * `node scripts/profile-photo.ts`: the Fashion-MNIST app's per-photo worker work, stage by stage,
 * in one thread without a server — for `--cpu-prof` and for counting instructions under
 * `valgrind --tool=callgrind` (counts do not depend on what else runs on the machine).
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeImage, encodePng, type RawImage } from '../framework/image/index.ts';
import { analyseForFashionMnist, seenImage } from '../apps/fashion-mnist/preprocess.ts';
import { mirrorImages } from '../apps/fashion-mnist/mirror.ts';
import { APP_DECODE } from '../training/casual-set.ts';
import { DEFAULT_DATA_DIR } from '../training/idx.ts';

/** The stages of one photo in the worker, in order; `none` runs the setup only (the baseline a count is taken against). */
export const STAGES = ['none', 'decode', 'analyse', 'seen', 'found', 'mirror', 'all'] as const;
type Stage = (typeof STAGES)[number];

const { values: args } = parseArgs({
  options: {
    write: { type: 'string' },
    photos: { type: 'string' },
    count: { type: 'string', default: '100' },
    data: { type: 'string', default: DEFAULT_DATA_DIR },
    stage: { type: 'string', default: 'all' },
    repeat: { type: 'string', default: '1' },
    limit: { type: 'string' },
    'sharp-cache': { type: 'string', default: 'off' },
    'sharp-concurrency': { type: 'string' },
    help: { type: 'boolean', default: false, short: 'h' },
  },
});
if (args.help) {
  console.log(`Usage: node --conditions=vitrine-source scripts/profile-photo.ts --write DIR [--count 100]
       node --conditions=vitrine-source scripts/profile-photo.ts --photos DIR [--stage all] [--repeat 1] [--limit N]
  --write DIR    render the photo sets into DIR (the bench's 800×800 JPEG; --count casual photos
                 of seed 1 and --count studio photos of seed 1; the app's examples) and stop
  --count N      photos per rendered set (default 100)
  --data DIR     folder with t10k-*-ubyte(.gz) (default ${DEFAULT_DATA_DIR})
  --photos DIR   run the stages over the files in DIR (all of them, sorted by name)
  --limit N      only the first N files of DIR
  --stage S      ${STAGES.join(', ')} (default all). Inputs of the stage are made first, outside
                 the measured loop; \`none\` makes them and stops
  --repeat R     run the stage R times over every photo (default 1)
  --sharp-cache on|off   libvips' operation cache (default off, as framework/image/sharp.ts sets
                 it; on = sharp's default, 50 MB); the closing line gives the RSS
  --sharp-concurrency N  libvips threads per operation (default: sharp's choice)
Instructions per photo for a stage: run it under callgrind with two repeat counts and divide the
difference of the totals by (R2 − R1) × photos, e.g.
  valgrind --tool=callgrind --callgrind-out-file=/dev/null node --conditions=vitrine-source --single-threaded scripts/profile-photo.ts --photos DIR --stage analyse --repeat 1
  (then --repeat 3)`);
  process.exit(0);
}

if (args.write !== undefined) {
  const { readIdxSplit } = await import('../training/idx.ts');
  const sets = await import('./lib/photo-sets.ts');
  const test = await readIdxSplit(args.data, 't10k');
  const count = Number(args.count);
  const files = [
    { name: 'bench-800.jpg', bytes: await sets.benchPhotoJpeg() },
    ...(await sets.casualPhotos(test, count, 1)),
    ...(await sets.studioPhotos(test, count, 1)),
    ...sets.exampleFiles(),
  ];
  await mkdir(args.write, { recursive: true });
  for (const f of files) await writeFile(join(args.write, f.name), f.bytes);
  console.log(`${files.length} photos in ${args.write}`);
  process.exit(0);
}
if (args.photos === undefined) throw new Error('give --photos DIR (or --write DIR first); --help for usage');
const stage = args.stage as Stage;
if (!STAGES.includes(stage)) throw new Error(`--stage must be one of ${STAGES.join(', ')}; got "${stage}"`);
const repeat = Number(args.repeat);

{
  const { loadSharp } = await import('../framework/image/sharp.ts');
  const sharp = await loadSharp();
  sharp.cache(args['sharp-cache'] === 'on');
  if (args['sharp-concurrency'] !== undefined) sharp.concurrency(Number(args['sharp-concurrency']));
}

const names = (await readdir(args.photos)).sort().slice(0, args.limit === undefined ? undefined : Number(args.limit));
const files = await Promise.all(names.map((n) => readFile(join(args.photos!, n))));
const decode = (bytes: Uint8Array) => decodeImage(bytes, { field: 'image', ...APP_DECODE });

// Inputs of every stage after `decode`, made outside the measured loop.
const decoded: RawImage[] = stage === 'decode' || stage === 'all' ? [] : await Promise.all(files.map(decode));
const tensors = stage === 'seen' || stage === 'mirror' ? decoded.map((img) => analyseForFashionMnist(img).tensor) : [];
const batch = new Float32Array(tensors.length * 784);
tensors.forEach((t, i) => batch.set(t, i * 784));

let sink = 0;
for (let r = 0; r < repeat; r++) {
  switch (stage) {
    case 'none':
      break;
    case 'decode':
      for (const bytes of files) sink += (await decode(bytes)).width;
      break;
    case 'analyse':
      for (const img of decoded) sink += analyseForFashionMnist(img).tensor[400]!;
      break;
    case 'seen':
      for (const t of tensors) sink += (await encodePng(seenImage(t))).length;
      break;
    case 'found':
      for (const img of decoded) sink += (await encodePng(img)).length;
      break;
    case 'mirror':
      for (let i = 0; i < tensors.length; i++) sink += mirrorImages(batch, [i])[5]!;
      break;
    case 'all':
      for (const bytes of files) {
        const img = await decode(bytes);
        const tensor = analyseForFashionMnist(img).tensor;
        sink += (await encodePng(seenImage(tensor))).length + (await encodePng(img)).length + mirrorImages(tensor, [0])[5]!;
      }
      break;
  }
}
const rss = Number(/VmRSS:\s+(\d+)/.exec(await readFile('/proc/self/status', 'utf8'))?.[1]) / 1024;
console.log(`${files.length} photos × ${repeat}, stage ${stage} (${sink}); RSS ${rss.toFixed(0)} MB`);
