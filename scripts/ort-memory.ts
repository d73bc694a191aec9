/**
 * `node scripts/ort-memory.ts`: what ONNX Runtime's memory options cost and save on the
 * Fashion-MNIST model — RSS after creating the session and after runs at every batch size the
 * pool sends (1–32), in one thread. Run it under `valgrind --tool=callgrind` to count the
 * instructions the runs take with each option (a count a busy machine does not disturb).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';

const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: 'apps/fashion-mnist/model/model.onnx' },
    arena: { type: 'string', default: 'on' },
    pattern: { type: 'string', default: 'on' },
    runs: { type: 'string', default: '320' },
    'batch-max': { type: 'string', default: '32' },
    help: { type: 'boolean', default: false, short: 'h' },
  },
});
if (args.help) {
  console.log(`Usage: node scripts/ort-memory.ts [--arena on|off] [--pattern on|off] [--runs 320] [--model FILE]
  --arena    enableCpuMemArena (ONNX Runtime's default: on)
  --pattern  enableMemPattern (default: on)
  --runs     session.run calls, batch sizes cycling 1, 2, …, --batch-max (default 320)
  --batch-max  the largest batch (default 32, the app's batch.maxSize)
Instructions per run of an option: callgrind totals of two --runs counts, difference / runs, e.g.
  valgrind --tool=callgrind --callgrind-out-file=/dev/null node --single-threaded scripts/ort-memory.ts --pattern off --batch-max 8 --runs 8
  (then --runs 24)`);
  process.exit(0);
}

const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) / 1024;
const before = rssMb();
const session = await ort.InferenceSession.create(args.model, {
  executionProviders: ['cpu'],
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
  enableCpuMemArena: args.arena === 'on',
  enableMemPattern: args.pattern === 'on',
});
const created = rssMb();
const input = session.inputNames[0]!;
let sink = 0;
let largest = 0;
for (let i = 0; i < Number(args.runs); i++) {
  const n = (i % Number(args['batch-max'])) + 1;
  const x = new Float32Array(n * 784).map((_, k) => ((k * 7919) % 256) / 255);
  const out = await session.run({ [input]: new ort.Tensor('float32', x, [n, 28, 28, 1]) });
  sink += (Object.values(out)[0]!.data as Float32Array)[0]!;
  largest = Math.max(largest, rssMb());
}
console.log(
  `arena ${args.arena}, pattern ${args.pattern}: RSS ${before.toFixed(0)} MB before the session, ${created.toFixed(0)} after creating it, ` +
    `${rssMb().toFixed(0)} after ${args.runs} runs (batches 1–${args['batch-max']}; highest ${largest.toFixed(0)}) (${sink.toFixed(3)})`,
);
await session.release();
