/** Prints decode/encode throughput of the image module: sharp against the small-PNG fast path. */
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { decodeImage, encodePng, type RawImage } from '../framework/image/index.ts';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '2', short: 's' },
    concurrency: { type: 'string', default: '1', short: 'c' },
    help: { type: 'boolean', default: false, short: 'h' },
  },
});
if (args.help) {
  console.log(`Usage: node scripts/bench-image.ts [--seconds 2] [--concurrency 1]
  --seconds      time per case (default 2)
  --concurrency  decodes in flight at once; sharp runs them on its libuv/libvips threads (default 1)`);
  process.exit(0);
}
const seconds = Number(args.seconds);
const concurrency = Number(args.concurrency);

/** sharp's PNG encoder, the path encodePng takes above its small-image threshold. */
function encodeWithSharp(img: RawImage): Promise<Buffer> {
  return sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels } }).png().toBuffer();
}

/** Runs `op` for about `seconds`, `concurrency` at a time, and returns operations per second. */
async function measure(op: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 50; i += 1) await op(); // warm-up: JIT, sharp's thread pool
  let count = 0;
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  const lane = async () => {
    while (performance.now() < end) {
      await op();
      count += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return count / ((performance.now() - start) / 1000);
}

const grey28 = await sharp({ create: { width: 28, height: 28, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 90, sigma: 60 } } })
  .greyscale()
  .png()
  .toBuffer();
// A photo-like JPEG: smooth shapes with some grain, not pure noise (which no camera produces).
const photo = await sharp({ create: { width: 800, height: 800, channels: 3, background: '#fff', noise: { type: 'gaussian', mean: 180, sigma: 50 } } })
  .blur(4)
  .jpeg({ quality: 85 })
  .toBuffer();
const small: RawImage = { data: new Uint8Array(784).map((_, i) => (i * 37) & 0xff), width: 28, height: 28, channels: 1 };

const rows: Array<[string, number]> = [];
const resize = { width: 28, height: 28, fit: 'contain' as const };
rows.push(['decode 28×28 PNG → L, sharp', await measure(() => decodeImage(grey28, { field: 'x', mode: 'L', decoder: 'sharp' }))]);
rows.push(['decode 28×28 PNG → L, fast path (fast-png)', await measure(() => decodeImage(grey28, { field: 'x', mode: 'L' }))]);
rows.push(['decode 800×800 JPEG → 28×28 L, sharp shrink-on-load', await measure(() => decodeImage(photo, { field: 'x', mode: 'L', resize }))]);
rows.push(['encode 28×28 L → PNG, sharp', await measure(() => encodeWithSharp(small))]);
rows.push(['encode 28×28 L → PNG, encodePng (fast-png)', await measure(() => encodePng(small))]);

console.log(`node scripts/bench-image.ts --seconds ${seconds} --concurrency ${concurrency}`);
console.log(`800×800 JPEG: ${Math.round(photo.length / 1024)} KiB; sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}, sharp threads ${sharp.concurrency()}, node ${process.version}`);
for (const [name, ops] of rows) console.log(`${name.padEnd(56)} ${Math.round(ops).toLocaleString('en').padStart(8)} ops/s`);
