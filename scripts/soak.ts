/**
 * `npm run soak`: starts a server in its own process, loads it for a minute (or `--duration`) at 64
 * connections with a mix of good and bad requests, then overloads a small-queue app. Prints the
 * figures and fails (exit 1) on any 5xx, connection error, RSS drift beyond ±10 % after warm-up or
 * beyond ±5 % over the last 5 minutes of a run long enough to have them (issue 22: `--duration 600`),
 * tensor growth, or an overload answered other than 200 or 503 + Retry-After within a bounded p99.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Agent, request } from 'node:http';
import sharp from 'sharp';
import { SLOW_APP } from '../tests/reliability/fixtures/slow-app.ts';
import { SOURCE_FLAGS, freePort, waitForOk } from './lib/server-process.ts';

/** Options of a soak run; every one has a default (the npm script's). */
export interface SoakOptions {
  /** Seconds of mixed load (default 60). */
  duration?: number;
  connections?: number;
  /** Seconds at the start left out of the RSS and tensor checks (default 25: measured, the heap grows for about 20 s, then a major GC settles it). */
  warmup?: number;
  /** Seconds of overload against the small-queue app (default 10) and its connections (default 128). */
  overloadDuration?: number;
  overloadConnections?: number;
  /** How often RSS is sampled, in ms (default 2000). */
  sampleMs?: number;
  /** Seconds at the end whose RSS must stay within ±5 % of its median (default 300), checked when the run has them after its warm-up. */
  tail?: number;
}

/** The flat-memory check of a long soak: the last `tail` seconds within ±5 % (issue 22). */
export const TAIL_LIMIT = 0.05;
/** The looser check over everything after the warm-up, which a one-minute run can pass. */
export const STEADY_LIMIT = 0.1;

/** RSS samples against their median: the largest relative deviation, and whether it is within the limit. */
interface RssCheck {
  median: number;
  min: number;
  max: number;
  maxDeviation: number;
  ok: boolean;
}

function checkRss(samples: number[], limit: number): RssCheck {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const min = sorted[0] ?? 0;
  const max = sorted[sorted.length - 1] ?? 0;
  const maxDeviation = median === 0 ? 0 : Math.max(max / median - 1, 1 - min / median);
  return { median, min, max, maxDeviation, ok: samples.length >= 2 && maxDeviation <= limit };
}

/** One kind of request in the mix and the statuses it may get. */
interface Kind {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  expect: number[];
}

interface KindStats {
  statuses: Record<string, number>;
  unexpected: number;
}

/** The figures of a soak run. */
export interface SoakResult {
  requests: number;
  perSecond: number;
  byKind: Record<string, KindStats>;
  status5xx: number;
  unexpected: number;
  errors: number;
  timeouts: number;
  errorCodes: Record<string, number>;
  latencyMs: { p50: number; p99: number; max: number };
  rssMb: Array<{ t: number; mb: number }>;
  rssCheck: RssCheck;
  /** The last `tail` seconds; null when the run is shorter than the warm-up plus the tail. */
  tailCheck: (RssCheck & { from: number }) | null;
  tensors: { afterWarmup: number[]; ok: boolean };
  overload: {
    requests: number;
    ok: number;
    rejected503: number;
    withRetryAfter: number;
    other: Record<string, number>;
    errors: number;
    p50: number;
    p99: number;
    boundMs: number;
    pass: boolean;
  };
  pass: boolean;
}

/**
 * Runs the soak against a fresh server process and returns its figures (prints nothing).
 *
 * @example
 * const r = await runSoak({ duration: 10, warmup: 3 });
 */
export async function runSoak(opts: SoakOptions = {}): Promise<SoakResult> {
  const duration = opts.duration ?? 60;
  const warmup = Math.min(opts.warmup ?? 25, duration / 2);
  const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
  const flagDir = await mkdtemp(join(tmpdir(), 'vitrine-soak-flags-'));
  const port = await freePort();
  const child = spawn(process.execPath, [...SOURCE_FLAGS, 'tests/reliability/fixtures/soak-server.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', VITRINE_FLAG_DIR: flagDir },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-8000)));
  // Never leave the server running if this process dies first.
  const killChild = () => child.kill('SIGKILL');
  process.once('exit', killChild);
  const origin = `http://127.0.0.1:${port}`;
  try {
    for (const p of ['/healthz', '/image-effects/healthz', '/overload/healthz']) await waitForOk(`${origin}${p}`, 90_000, () => child.exitCode !== null, 200);
    const kinds = await requestMix();
    const stats = new Map<string, KindStats>(kinds.map((k) => [k.name, { statuses: {}, unexpected: 0 }]));
    const began = performance.now();
    const tensorsSeen: Array<{ t: number; n: number }> = [];

    const rss: Array<{ t: number; mb: number }> = [];
    const sample = () => rss.push({ t: (performance.now() - began) / 1000, mb: rssMb(child.pid!) });
    const sampler = setInterval(sample, opts.sampleMs ?? 2000);

    const main = await load(origin, kinds, opts.connections ?? 64, duration, (k, status, body) => {
      const s = stats.get(k.name)!;
      s.statuses[status] = (s.statuses[status] ?? 0) + 1;
      if (!k.expect.includes(status)) s.unexpected++;
      if (k.name.startsWith('classify') && status === 200) {
        const n = parseTensors(body);
        if (n === undefined) s.unexpected++;
        else tensorsSeen.push({ t: (performance.now() - began) / 1000, n });
      }
    });
    sample();
    clearInterval(sampler);

    const overload = await overloadPhase(origin, opts.overloadDuration ?? 10, opts.overloadConnections ?? 128);

    const byKind = Object.fromEntries(stats);
    const status5xx = [...stats.values()].reduce((n, s) => n + Object.entries(s.statuses).filter(([code]) => Number(code) >= 500).reduce((m, [, c]) => m + c, 0), 0);
    const unexpected = [...stats.values()].reduce((n, s) => n + s.unexpected, 0);
    const steady = rss.filter((r) => r.t >= warmup).map((r) => r.mb);
    const tail = opts.tail ?? 300;
    const tailFrom = duration - tail;
    const tailCheck = tailFrom >= warmup ? { ...checkRss(rss.filter((r) => r.t >= tailFrom).map((r) => r.mb), TAIL_LIMIT), from: tailFrom } : null;
    const afterWarmup = [...new Set(tensorsSeen.filter((x) => x.t >= warmup).map((x) => x.n))].sort((a, b) => a - b);
    const result: SoakResult = {
      requests: main.requests,
      perSecond: main.requests / duration,
      byKind,
      status5xx,
      unexpected,
      errors: main.errors,
      timeouts: main.timeouts,
      errorCodes: main.errorCodes,
      latencyMs: { p50: main.p50, p99: main.p99, max: main.max },
      rssMb: rss,
      rssCheck: checkRss(steady, STEADY_LIMIT),
      tailCheck,
      // Each worker holds the model's weights and nothing else between calls: one value, whatever the load.
      tensors: { afterWarmup, ok: afterWarmup.length === 1 },
      overload,
      pass: false,
    };
    result.pass = status5xx === 0 && unexpected === 0 && main.errors === 0 && main.timeouts === 0 && result.rssCheck.ok && (tailCheck?.ok ?? true) && result.tensors.ok && overload.pass;
    if (!result.pass && stderr) (result as SoakResult & { stderr?: string }).stderr = stderr;
    return result;
  } finally {
    process.off('exit', killChild);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    await rm(flagDir, { recursive: true, force: true });
  }
}

function parseTensors(body: string): number | undefined {
  try {
    const n = (JSON.parse(body) as { tensors?: unknown }).tensors;
    return typeof n === 'number' ? n : undefined;
  } catch {
    return undefined;
  }
}

/** Good and bad requests, one of each per round on every connection. */
async function requestMix(): Promise<Kind[]> {
  const shirt = await sharp({ create: { width: 28, height: 28, channels: 3, background: '#ddd' } })
    .composite([{ input: await sharp({ create: { width: 14, height: 18, channels: 3, background: '#222' } }).png().toBuffer(), left: 7, top: 5 }])
    .png()
    .toBuffer();
  const photo = await sharp({ create: { width: 160, height: 120, channels: 3, background: { r: 40, g: 110, b: 190 } } }).jpeg().toBuffer();
  const boundary = 'soakBoundary';
  const multipart = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="shirt.png"\r\nContent-Type: image/png\r\n\r\n`),
    shirt,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const bomb = Buffer.concat([shirt.subarray(0, 16), Buffer.from([0, 1, 0x86, 0xa0, 0, 1, 0x86, 0xa0]), shirt.subarray(24)]);
  const json = { 'content-type': 'application/json' };
  const b64 = shirt.toString('base64');
  return [
    { name: 'classify json', method: 'POST', path: '/api/predict', headers: json, body: JSON.stringify({ image: b64 }), expect: [200] },
    { name: 'classify multipart', method: 'POST', path: '/api/predict', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body: multipart, expect: [200] },
    { name: 'effects jpeg', method: 'POST', path: '/image-effects/api/predict', headers: json, body: JSON.stringify({ image: photo.toString('base64'), effect: 'sepia', strength: 0.7 }), expect: [200] },
    { name: 'base64 garbage', method: 'POST', path: '/api/predict', headers: json, body: JSON.stringify({ image: '!!not base64!!' }), expect: [400] },
    { name: 'truncated png', method: 'POST', path: '/api/predict', headers: json, body: JSON.stringify({ image: shirt.subarray(0, 40).toString('base64') }), expect: [400] },
    { name: 'png bomb header', method: 'POST', path: '/api/predict', headers: json, body: JSON.stringify({ image: bomb.toString('base64') }), expect: [413] },
    { name: 'unknown field', method: 'POST', path: '/api/predict', headers: json, body: JSON.stringify({ picture: b64 }), expect: [400] },
    { name: 'wrong type', method: 'POST', path: '/image-effects/api/predict', headers: json, body: JSON.stringify({ image: b64, strength: 'max' }), expect: [400] },
    { name: 'broken json', method: 'POST', path: '/api/predict', headers: json, body: '{"image": "abc', expect: [400] },
    { name: 'text/plain', method: 'POST', path: '/api/predict', headers: { 'content-type': 'text/plain' }, body: 'hello', expect: [415] },
    { name: 'deep json', method: 'POST', path: '/api/predict', headers: json, body: '['.repeat(5000), expect: [400] },
    { name: 'not found', method: 'GET', path: '/assets/%2e%2e/package.json', expect: [403, 404] },
    { name: 'config', method: 'GET', path: '/api/config', expect: [200] },
    { name: 'metrics', method: 'GET', path: '/metrics', expect: [200] },
    {
      name: 'flag',
      method: 'POST',
      path: '/api/flag',
      headers: json,
      body: JSON.stringify({ inputs: { image: b64 }, outputs: { label: { label: 'Shirt', confidences: [{ label: 'Shirt', confidence: 0.9 }] } }, reason: 'soak' }),
      expect: [200],
    },
  ];
}

async function overloadPhase(origin: string, duration: number, connections: number): Promise<SoakResult['overload']> {
  const statuses: Record<string, number> = {};
  let withRetryAfter = 0;
  const kind: Kind = { name: 'overload', method: 'POST', path: '/overload/api/predict', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ textbox: 'x' }), expect: [200, 503] };
  const r = await load(origin, [kind], connections, duration, (_k, status, _body, headers) => {
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status === 503 && Number(headers['retry-after']) >= 1) withRetryAfter++;
  });
  const ok = statuses['200'] ?? 0;
  const rejected503 = statuses['503'] ?? 0;
  const other = Object.fromEntries(Object.entries(statuses).filter(([s]) => s !== '200' && s !== '503'));
  // A request waits at most for the queue ahead of it plus the one running, then its own turn;
  // allow three times that for scheduling noise, plus 250 ms for HTTP on a loaded machine.
  const boundMs = (SLOW_APP.maxQueue + SLOW_APP.slots + 1) * SLOW_APP.serviceMs * 3 + 250;
  return {
    requests: r.requests,
    ok,
    rejected503,
    withRetryAfter,
    other,
    errors: r.errors + r.timeouts,
    p50: r.p50,
    p99: r.p99,
    boundMs,
    pass: ok > 0 && rejected503 > 0 && withRetryAfter === rejected503 && Object.keys(other).length === 0 && r.errors + r.timeouts === 0 && r.p99 <= boundMs,
  };
}

interface LoadResult {
  requests: number;
  errors: number;
  timeouts: number;
  errorCodes: Record<string, number>;
  p50: number;
  p99: number;
  max: number;
}

/**
 * `connections` keep-alive clients, each sending the kinds in turn for `duration` seconds. Plain
 * node:http rather than autocannon: the server rightly closes a connection after a body it could not
 * parse, and autocannon then pairs later answers with the wrong requests.
 */
async function load(
  origin: string,
  kinds: Kind[],
  connections: number,
  duration: number,
  onAnswer: (kind: Kind, status: number, body: string, headers: Record<string, string | string[] | undefined>) => void,
): Promise<LoadResult> {
  const url = new URL(origin);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  const result: LoadResult = { requests: 0, errors: 0, timeouts: 0, errorCodes: {}, p50: 0, p99: 0, max: 0 };
  const until = performance.now() + duration * 1000;
  const client = async (c: number) => {
    for (let i = c; performance.now() < until; i++) {
      const kind = kinds[i % kinds.length]!;
      const began = performance.now();
      const outcome = await send(agent, url, kind);
      result.requests++;
      if ('status' in outcome) {
        latencies.push(performance.now() - began);
        onAnswer(kind, outcome.status, outcome.body, outcome.headers);
      } else {
        if (outcome.error === 'timeout') result.timeouts++;
        else result.errors++;
        result.errorCodes[outcome.error] = (result.errorCodes[outcome.error] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, (_, c) => client(c)));
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pick = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  result.p50 = pick(0.5);
  result.p99 = pick(0.99);
  result.max = Math.round(latencies[latencies.length - 1] ?? 0);
  return result;
}

type Sent = { status: number; body: string; headers: Record<string, string | string[] | undefined> } | { error: string };

function send(agent: Agent, url: URL, kind: Kind): Promise<Sent> {
  return new Promise((resolveSent) => {
    const body = kind.body === undefined ? undefined : Buffer.from(kind.body);
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: kind.method,
        path: kind.path,
        headers: { ...kind.headers, ...(body ? { 'content-length': body.length } : {}) },
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolveSent({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
        res.on('error', (err: NodeJS.ErrnoException) => resolveSent({ error: err.code ?? err.message }));
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })));
    req.on('error', (err: NodeJS.ErrnoException) => resolveSent({ error: err.code ?? err.message }));
    req.end(body);
  });
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}



/** Prints a run's figures as the npm script shows them. */
export function formatSoak(r: SoakResult, opts: Required<Pick<SoakOptions, 'duration' | 'connections' | 'warmup' | 'tail'>>): string {
  const lines: string[] = [];
  const mark = (ok: boolean) => (ok ? 'ok  ' : 'FAIL');
  lines.push(`soak: ${opts.duration} s at ${opts.connections} connections, mixed good and bad requests`);
  lines.push(`  requests            ${r.requests} (${Math.round(r.perSecond)}/s), latency p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, max ${r.latencyMs.max} ms`);
  lines.push(`  ${mark(r.status5xx === 0)} 5xx              ${r.status5xx}`);
  lines.push(`  ${mark(r.errors === 0 && r.timeouts === 0)} connection errors ${r.errors} (timeouts ${r.timeouts}) ${r.errors ? JSON.stringify(r.errorCodes) : ''}`);
  lines.push(`  ${mark(r.unexpected === 0)} unexpected status ${r.unexpected}`);
  for (const [name, s] of Object.entries(r.byKind)) lines.push(`       ${name.padEnd(20)} ${JSON.stringify(s.statuses)}${s.unexpected ? `  (${s.unexpected} unexpected)` : ''}`);
  const rssLine = (c: RssCheck, limit: number) =>
    `median ${c.median.toFixed(1)} MB, min ${c.min.toFixed(1)}, max ${c.max.toFixed(1)} (±${(c.maxDeviation * 100).toFixed(1)} %, limit ±${limit * 100} %)`;
  lines.push(`  ${mark(r.rssCheck.ok)} RSS after ${opts.warmup} s warm-up: ${rssLine(r.rssCheck, STEADY_LIMIT)}`);
  if (r.tailCheck) lines.push(`  ${mark(r.tailCheck.ok)} RSS from ${Math.round(r.tailCheck.from)} s to the end: ${rssLine(r.tailCheck, TAIL_LIMIT)}`);
  else lines.push(`       RSS over the last ${opts.tail} s: not checked (the run is shorter than the ${opts.warmup} s warm-up + ${opts.tail} s)`);
  // At most ~60 points: a 10-minute run samples 300 times.
  const every = Math.max(1, Math.ceil(r.rssMb.length / 60));
  lines.push(`       RSS over time (s: MB) ${r.rssMb.filter((_, i) => i % every === 0 || i === r.rssMb.length - 1).map((x) => `${Math.round(x.t)}:${Math.round(x.mb)}`).join(' ')}`);
  lines.push(`  ${mark(r.tensors.ok)} numTensors per worker after warm-up: ${JSON.stringify(r.tensors.afterWarmup)} (flat = one value)`);
  const o = r.overload;
  lines.push(`overload: /overload (queue ${SLOW_APP.maxQueue}, ${SLOW_APP.serviceMs} ms per call, 1 worker)`);
  lines.push(`  requests            ${o.requests}: 200 × ${o.ok}, 503 × ${o.rejected503} (${o.withRetryAfter} with Retry-After), other ${JSON.stringify(o.other)}, errors ${o.errors}`);
  lines.push(`  ${mark(o.pass)} latency p50 ${o.p50} ms, p99 ${o.p99} ms (bound ${o.boundMs} ms)`);
  lines.push(r.pass ? 'PASS' : 'FAIL');
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      duration: { type: 'string', default: '60' },
      connections: { type: 'string', default: '64' },
      warmup: { type: 'string', default: '25' },
      tail: { type: 'string', default: '300' },
      'overload-duration': { type: 'string', default: '10' },
      'overload-connections': { type: 'string', default: '128' },
      help: { type: 'boolean', default: false, short: 'h' },
    },
  });
  if (args.help) {
    console.log(`usage: npm run soak -- [--duration 60] [--connections 64] [--warmup 25] [--tail 300] [--overload-duration 10] [--overload-connections 128]
  --duration  seconds of mixed load (default 60; issue 22's flat-memory check wants 600)
  --warmup    seconds left out of the RSS checks (default 25)
  --tail      the last seconds whose RSS must stay within ±5 % of their median (default 300),
              checked when the run lasts at least warm-up + tail`);
    return;
  }
  const opts = {
    duration: Number(args.duration),
    connections: Number(args.connections),
    warmup: Number(args.warmup),
    tail: Number(args.tail),
    overloadDuration: Number(args['overload-duration']),
    overloadConnections: Number(args['overload-connections']),
  };
  console.log(`started ${new Date().toISOString()}`);
  const r = await runSoak(opts);
  console.log(formatSoak(r, opts));
  const tail = (r as SoakResult & { stderr?: string }).stderr;
  if (tail) console.log(`server stderr (tail):\n${tail}`);
  if (!r.pass) process.exitCode = 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
