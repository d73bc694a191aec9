/**
 * `node --conditions=vitrine-source scripts/worker-memory.ts`: what one idle Fashion-MNIST worker
 * costs, step by step — RSS of this process before and after starting a bare worker thread, then
 * after it imports the app, loads its model (ONNX Runtime session) and loads sharp. Idle figures:
 * little disturbed by other load on the machine.
 */
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) / 1024;
const settle = () => new Promise((r) => setTimeout(r, 500));

// The worker runs each step when told and answers when it is done.
const source = `
const { parentPort } = require('node:worker_threads');
let app;
parentPort.on('message', async (step) => {
  if (step === 'import') app = (await import(${JSON.stringify(new URL('../apps/fashion-mnist/app.ts', import.meta.url).href)})).default;
  if (step === 'load') await app.options.load({ log: () => {} });
  if (step === 'sharp') await (await import(${JSON.stringify(new URL('../framework/image/sharp.ts', import.meta.url).href)})).loadSharp();
  parentPort.postMessage(step);
});
parentPort.postMessage('started');
`;

async function main(): Promise<void> {
  const rows: Array<[string, number]> = [];
  await settle();
  rows.push(['this process, idle', rssMb()]);
  for (let w = 1; w <= 2; w++) {
    const worker = new Worker(source, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 8 } });
    const next = () => new Promise<unknown>((r) => worker.once('message', r));
    await next();
    await settle();
    rows.push([`worker ${w} started (bare)`, rssMb()]);
    for (const step of ['import', 'load', 'sharp']) {
      worker.postMessage(step);
      await next();
      await settle();
      rows.push([`worker ${w}: ${step === 'import' ? 'imported the app' : step === 'load' ? 'load(): ONNX Runtime session, warmed up' : 'loaded sharp'}`, rssMb()]);
    }
  }
  let previous = 0;
  for (const [what, mb] of rows) {
    console.log(`${what.padEnd(48)} ${mb.toFixed(0).padStart(4)} MB  ${previous ? `+${(mb - previous).toFixed(0)}` : ''}`);
    previous = mb;
  }
  process.exit(0);
}

await main();
