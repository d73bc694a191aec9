/**
 * Where a model-less function is cheapest (docs/decisions/014-trivial-apps-on-the-main-thread.md):
 * the README's Shout app on the main thread against one worker thread, alternating, each started
 * as a user would. Per run: spawn → the first 200 from `POST /shout/api/predict` (polled every 5
 * ms: what a newcomer's first request meets), then autocannon at 1 and 8 connections, with the
 * server's CPU time per request from /proc.
 *
 * Run: `node scripts/bench-shout.ts [--rounds 3] [--duration 5]`
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { SOURCE_FLAGS, freePort } from './lib/server-process.ts';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '5', short: 'd' },
    help: { type: 'boolean', default: false, short: 'h' },
  },
});
if (args.help) {
  console.log('Usage: node scripts/bench-shout.ts [--rounds N (default 3)] [--duration S per row (default 5)]');
  process.exit(0);
}
const BODY = JSON.stringify({ text: 'hello', times: 3 });
const MODES = [
  { name: 'main thread (workers: 0)', workers: '0' },
  { name: 'one worker (workers: 1)', workers: '1' },
  // No option at all, as the README's example is written: whatever the default chooses.
  { name: 'default (no workers option)', workers: '' },
];

/** CPU time (ms) the process has used, all threads. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 1/100 s
}

async function firstAnswer(url: string, began: number, exited: () => boolean): Promise<{ ms: number; refusals: number }> {
  let refusals = 0;
  for (;;) {
    if (exited()) throw new Error('the server exited');
    const status = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY }).then(
      async (r) => (await r.arrayBuffer(), r.status),
      () => 0,
    );
    if (status === 200) return { ms: performance.now() - began, refusals };
    if (status !== 0) refusals++;
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function load(url: string, connections: number, seconds: number) {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const run = autocannon({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY, connections, duration: seconds }, (err: unknown, r: autocannon.Result) =>
      err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(r),
    );
    run.on('response', (_c, _s, _b, ms) => latencies.push(ms));
  });
  latencies.sort((a, b) => a - b);
  const pct = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { rps: result.requests.total / (result.duration || seconds), p50: pct(0.5), p99: pct(0.99), bad: result.errors + result.timeouts + result.non2xx, total: result.requests.total };
}

const seconds = Number(args.duration);
console.log(`| mode | round | first 200 after spawn | 503s before it | conns | req/s | p50 ms | p99 ms | CPU µs/req |`);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (let round = 1; round <= Number(args.rounds); round++) {
  for (const mode of MODES) {
    const port = await freePort();
    const began = performance.now();
    const child = spawn(process.execPath, [...SOURCE_FLAGS, 'scripts/bench-shout/server.ts'], {
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', SHOUT_WORKERS: mode.workers },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    let exited = false;
    child.once('exit', () => (exited = true));
    const url = `http://127.0.0.1:${port}/shout/api/predict`;
    try {
      const first = await firstAnswer(url, began, () => exited);
      await load(url, 8, 1); // warm-up
      for (const connections of [1, 8]) {
        const before = cpuMs(child.pid!);
        const r = await load(url, connections, seconds);
        const cpuUs = ((cpuMs(child.pid!) - before) * 1000) / Math.max(1, r.total);
        console.log(
          `| ${mode.name} | ${round} | ${first.ms.toFixed(0)} ms | ${first.refusals} | ${connections} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${cpuUs.toFixed(0)} |` +
            (r.bad > 0 ? ` (${r.bad} errors)` : ''),
        );
      }
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => (exited ? r(undefined) : child.once('exit', r)));
    }
  }
}
console.log(`\nload average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
