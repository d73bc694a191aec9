/**
 * `npm run bench`: starts the server as a user would, loads it with autocannon, does the same to
 * a hand-written Fastify + sharp + onnxruntime-node baseline (scripts/bench-baseline.ts), and prints one table.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import sharp from 'sharp';
import { benchPhotoJpeg } from './lib/photo-sets.ts';
import { SOURCE_FLAGS } from './lib/server-process.ts';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10', short: 'd' },
    warmup: { type: 'string', default: '2' },
    entry: { type: 'string', default: 'server.ts' },
    baseline: { type: 'string', default: 'scripts/bench-baseline.ts' },
    'model-dir': { type: 'string', default: 'apps/fashion-mnist/model' },
    only: { type: 'string', default: 'both' },
    scenarios: { type: 'string', default: '' },
    'cpu-prof': { type: 'boolean', default: false },
    'node-arg': { type: 'string', multiple: true, default: [] },
    port: { type: 'string', default: '7870' },
    help: { type: 'boolean', default: false, short: 'h' },
  },
});
if (args.help) {
  console.log(`Usage: npm run bench -- [options]
  -d, --duration S   seconds of measured load per scenario (default 10)
  --warmup S         seconds of unmeasured load before each scenario (default 2)
  --entry FILE       the server to start with \`node FILE\` (default server.ts, what \`npm start\` runs)
  --baseline FILE    the hand-written comparison server (default scripts/bench-baseline.ts)
  --model-dir DIR    the model the baseline loads (default apps/fashion-mnist/model)
  --only WHICH       vitrine, baseline or both (default both)
  --scenarios LIST   comma-separated scenario ids to run (default all): ${'png-mp-1,png-mp-8,png-mp-64,png-json-1,png-json-8,png-json-64,jpeg-mp-8'}
  --cpu-prof         start the servers with --cpu-prof (profiles of the main thread and each worker go to a temp folder)
  --node-arg ARG     extra node flag for the servers (repeatable)
  --port N           first port to use (default 7870)`);
  process.exit(0);
}
const duration = Number(args.duration);
const warmup = Number(args.warmup);

interface Payload {
  body: Buffer;
  contentType: string;
}

interface Scenario {
  id: string;
  label: string;
  connections: number;
  payload: Payload;
}

interface Row {
  server: string;
  scenario: Scenario;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  peakRssMb: number;
  /** CPU time per answered request, in µs: the main thread and every other thread (workers, libuv, GC). */
  cpuMainUs: number;
  cpuOtherUs: number;
}

const BOUNDARY = '----vitrine-bench-boundary';

function multipart(field: string, filename: string, type: string, bytes: Buffer): Payload {
  const head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`;
  return {
    body: Buffer.concat([Buffer.from(head), bytes, Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
  };
}

function jsonBase64(field: string, bytes: Buffer): Payload {
  return { body: Buffer.from(JSON.stringify({ [field]: bytes.toString('base64') })), contentType: 'application/json' };
}

/** A 28×28 grey garment-like shape on black, as in the dataset (deterministic, no dataset needed). */
async function makeSmallPng(): Promise<Buffer> {
  const px = Buffer.alloc(28 * 28);
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const body = x >= 7 && x <= 20 && y >= 4 && y <= 25;
      const sleeves = y >= 4 && y <= 11 && x >= 2 && x <= 25;
      px[y * 28 + x] = body || sleeves ? 120 + ((x * 7 + y * 13) % 100) : 0;
    }
  }
  return sharp(px, { raw: { width: 28, height: 28, channels: 1 } }).png().toBuffer();
}

/** VmRSS of a process and all its descendants, in bytes (worker threads are part of the process). */
function treeRss(pid: number): number {
  let total = 0;
  const stack = [pid];
  while (stack.length > 0) {
    const p = stack.pop()!;
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      total += Number(m?.[1] ?? 0) * 1024;
      for (const tid of readdirSync(`/proc/${p}/task`)) {
        const kids = readFileSync(`/proc/${p}/task/${tid}/children`, 'utf8').trim();
        if (kids) stack.push(...kids.split(/\s+/).map(Number));
      }
    } catch {
      // The process ended between two reads.
    }
  }
  return total;
}

/** CPU time (ms) used so far by a process: its main thread, and all its other threads together. */
function cpuTimes(pid: number): { main: number; other: number } {
  const msPerTick = 1000 / 100; // USER_HZ is 100 on Linux
  let main = 0;
  let other = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // Fields after the parenthesised command: utime and stime are the 12th and 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = (Number(fields[11]) + Number(fields[12])) * msPerTick;
      if (Number(tid) === pid) main += ms;
      else other += ms;
    }
  } catch {
    // A thread ended between two reads.
  }
  return { main, other };
}

class RssSampler {
  #timer: NodeJS.Timeout;
  peak = 0;
  #windowPeak = 0;
  constructor(pid: number) {
    this.#timer = setInterval(() => {
      const rss = treeRss(pid);
      this.peak = Math.max(this.peak, rss);
      this.#windowPeak = Math.max(this.#windowPeak, rss);
    }, 50);
  }
  /** The peak since the last call. */
  takeWindow(): number {
    const p = this.#windowPeak;
    this.#windowPeak = 0;
    return p;
  }
  stop(): void {
    clearInterval(this.#timer);
  }
}

interface Started {
  child: ChildProcess;
  coldStartMs: number;
  url: string;
  logFile: string;
  rss: RssSampler;
}

async function startServer(name: string, entry: string, port: number, env: Record<string, string>): Promise<Started> {
  const dir = mkdtempSync(join(tmpdir(), `vitrine-bench-${name}-`));
  const logFile = join(dir, 'server.log');
  const fd = openSync(logFile, 'w');
  const nodeArgs = [...SOURCE_FLAGS, ...(args['node-arg'] ?? [])];
  if (args['cpu-prof']) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${join(dir, 'prof')}`);
  const began = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, resolve(entry)], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ...env },
    // Logs go to a file, as they would go to a terminal or a collector: the server pays for them.
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const url = `http://127.0.0.1:${port}`;
  const rss = new RssSampler(child.pid!);
  let exited = false;
  child.once('exit', () => (exited = true));
  const fail = (why: string) => {
    rss.stop();
    child.kill('SIGKILL');
    return new Error(`${name} ${why}; see ${logFile}`);
  };
  for (;;) {
    if (exited) throw fail('exited before it was ready');
    if (performance.now() - began > 120_000) throw fail('was not ready after 120 s');
    try {
      const res = await fetch(`${url}/healthz`);
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return { child, coldStartMs: performance.now() - began, url, logFile, rss };
}

async function stopServer(s: Started): Promise<void> {
  s.rss.stop();
  if (s.child.exitCode !== null) return;
  const exited = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  const timer = setTimeout(() => s.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** One request per payload, checked for the Label wire shape, so a fast server is also a correct one. */
async function checkAnswers(url: string, payloads: Payload[]): Promise<void> {
  for (const p of payloads) {
    const res = await fetch(`${url}/api/predict`, { method: 'POST', headers: { 'content-type': p.contentType }, body: new Uint8Array(p.body) });
    const body = (await res.json()) as { label?: { label?: unknown; confidences?: unknown[] } };
    if (res.status !== 200 || typeof body.label?.label !== 'string' || body.label.confidences?.length !== 3) {
      throw new Error(`${url}/api/predict answered ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    }
  }
}

async function load(url: string, s: Scenario, seconds: number, measure: boolean) {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${url}/api/predict`,
        method: 'POST',
        headers: { 'content-type': s.payload.contentType },
        body: s.payload.body,
        connections: s.connections,
        duration: seconds,
      },
      (err: unknown, r: autocannon.Result) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(r)),
    );
    // autocannon's own histogram counts whole milliseconds; its response event has the exact time.
    if (measure) instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  });
  latencies.sort((a, b) => a - b);
  const pct = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return {
    rps: result.requests.total / (result.duration || seconds),
    p50: pct(0.5),
    p99: pct(0.99),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

async function benchServer(name: string, entry: string, port: number, env: Record<string, string>, scenarios: Scenario[]) {
  console.error(`\n▶ ${name}: node ${entry} (load average ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);
  const server = await startServer(name, entry, port, env);
  console.error(`  ready in ${server.coldStartMs.toFixed(0)} ms (logs: ${server.logFile})`);
  const rows: Row[] = [];
  try {
    await checkAnswers(server.url, [...new Set(scenarios.map((s) => s.payload))]);
    for (const s of scenarios) {
      if (warmup > 0) await load(server.url, s, warmup, false);
      server.rss.takeWindow();
      const cpuBefore = cpuTimes(server.child.pid!);
      const ownBefore = process.cpuUsage();
      const r = await load(server.url, s, duration, true);
      const own = process.cpuUsage(ownBefore);
      const cpuAfter = cpuTimes(server.child.pid!);
      const answered = Math.max(1, r.rps * duration);
      const cpuMainUs = ((cpuAfter.main - cpuBefore.main) * 1000) / answered;
      const cpuOtherUs = ((cpuAfter.other - cpuBefore.other) * 1000) / answered;
      rows.push({ server: name, scenario: s, ...r, peakRssMb: server.rss.takeWindow() / 2 ** 20, cpuMainUs, cpuOtherUs });
      console.error(
        `  ${s.label.padEnd(24)} c=${String(s.connections).padEnd(3)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  ` +
          `CPU/req main ${cpuMainUs.toFixed(0)} µs + other ${cpuOtherUs.toFixed(0)} µs  (autocannon used ${((own.user + own.system) / 1e4 / duration).toFixed(0)}% of a core)`,
      );
    }
  } finally {
    await stopServer(server);
  }
  return { rows, coldStartMs: server.coldStartMs, peakRssMb: server.rss.peak / 2 ** 20 };
}

const png = await makeSmallPng();
const jpeg = await benchPhotoJpeg();
const pngMp = multipart('image', 'garment.png', 'image/png', png);
const pngJson = jsonBase64('image', png);
const jpegMp = multipart('image', 'photo.jpg', 'image/jpeg', jpeg);
const all: Scenario[] = [
  { id: 'png-mp-1', label: '28×28 PNG multipart', connections: 1, payload: pngMp },
  { id: 'png-mp-8', label: '28×28 PNG multipart', connections: 8, payload: pngMp },
  { id: 'png-mp-64', label: '28×28 PNG multipart', connections: 64, payload: pngMp },
  { id: 'png-json-1', label: '28×28 PNG JSON base64', connections: 1, payload: pngJson },
  { id: 'png-json-8', label: '28×28 PNG JSON base64', connections: 8, payload: pngJson },
  { id: 'png-json-64', label: '28×28 PNG JSON base64', connections: 64, payload: pngJson },
  { id: 'jpeg-mp-8', label: '800×800 JPEG multipart', connections: 8, payload: jpegMp },
];
const wanted = args.scenarios ? new Set(args.scenarios.split(',')) : undefined;
const scenarios = wanted ? all.filter((s) => wanted.has(s.id)) : all;

const port = Number(args.port);
const results = [];
if (args.only !== 'baseline') results.push(await benchServer('vitrine', args.entry!, port, {}, scenarios));
if (args.only !== 'vitrine') {
  results.push(await benchServer('baseline', args.baseline!, port + 1, { VITRINE_BENCH_MODEL_DIR: resolve(args['model-dir']!) }, scenarios));
}

const cmd = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
console.log(`\n${cmd}`);
console.log(
  `${new Date().toISOString()} · ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'} · node ${process.version} · ` +
    `${duration} s per row after ${warmup} s warm-up · JPEG ${Math.round(jpeg.length / 1024)} KiB, PNG ${png.length} B · load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
);
console.log('\n| server | load | conns | req/s | p50 ms | p99 ms | errors | non-2xx | peak RSS MB | CPU µs/req (main + other threads) |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const { rows } of results) {
  for (const r of rows) {
    console.log(
      `| ${r.server} | ${r.scenario.label} | ${r.scenario.connections} | ${Math.round(r.rps).toLocaleString('en')} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.errors} | ${r.non2xx} | ${r.peakRssMb.toFixed(0)} | ${r.cpuMainUs.toFixed(0)} + ${r.cpuOtherUs.toFixed(0)} |`,
    );
  }
}
console.log('\n| server | cold start (spawn → first /healthz 200) | peak RSS over the run |');
console.log('| --- | ---: | ---: |');
results.forEach((r, i) => {
  const name = r.rows[0]?.server ?? (i === 0 && args.only !== 'baseline' ? 'vitrine' : 'baseline');
  console.log(`| ${name} | ${Math.round(r.coldStartMs)} ms | ${r.peakRssMb.toFixed(0)} MB |`);
});
