/**
 * `node scripts/bench-ab.ts`: the framework's own CPU per request, two servers side by side. Both
 * run at once (each from its own checkout, with its own Node); each round sends the same fixed
 * number of requests to one, then the other (the order alternates), and reads each server's CPU
 * time per thread from /proc. On a machine shared with other work, throughput swings by 2× between
 * minutes; CPU per request swings far less, and alternating short bursts exposes both servers to
 * the same swings (docs/decisions: perf-framework-overhead).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import sharp from 'sharp';

const { values: args } = parseArgs({
  options: {
    a: { type: 'string', default: '.' },
    b: { type: 'string', default: '.' },
    'entry-a': { type: 'string', default: 'scripts/bench-no-model/server.ts' },
    'entry-b': { type: 'string', default: 'scripts/bench-no-model/server.ts' },
    'env-a': { type: 'string', multiple: true, default: [] },
    'env-b': { type: 'string', multiple: true, default: [] },
    rounds: { type: 'string', default: '6' },
    requests: { type: 'string', default: '4000' },
    connections: { type: 'string', default: '8' },
    payload: { type: 'string', default: 'png-mp' },
    port: { type: 'string', default: '7950' },
    help: { type: 'boolean', default: false, short: 'h' },
  },
});
if (args.help) {
  console.log(`Usage: node scripts/bench-ab.ts [options]
  --a DIR, --b DIR        checkouts to compare (default both .); each runs with DIR/node_modules/.bin/node
  --entry-a/--entry-b F   server file, relative to its checkout or absolute (default scripts/bench-no-model/server.ts)
  --env-a/--env-b K=V     extra environment for one side (repeatable)
  --rounds N              rounds of A then B (alternating order; default 6)
  --requests N            requests per server per round (default 4000)
  --connections N         concurrent connections (default 8)
  --payload P             png-mp (28×28 PNG multipart, default), png-json, jpeg-mp
  --port N                A listens on N, B on N+1 (default 7950)`);
  process.exit(0);
}

const BOUNDARY = '----vitrine-bench-boundary';

async function payload(kind: string): Promise<{ body: Buffer; contentType: string }> {
  const px = Buffer.alloc(28 * 28);
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const inside = (x >= 7 && x <= 20 && y >= 4 && y <= 25) || (y >= 4 && y <= 11 && x >= 2 && x <= 25);
      px[y * 28 + x] = inside ? 120 + ((x * 7 + y * 13) % 100) : 0;
    }
  }
  const png = await sharp(px, { raw: { width: 28, height: 28, channels: 1 } }).png().toBuffer();
  if (kind === 'png-json') return { body: Buffer.from(JSON.stringify({ image: png.toString('base64') })), contentType: 'application/json' };
  let bytes = png;
  let type = 'image/png';
  if (kind === 'jpeg-mp') {
    bytes = await sharp({ create: { width: 800, height: 800, channels: 3, background: { r: 230, g: 230, b: 230 } } })
      .composite([{ input: await sharp(px, { raw: { width: 28, height: 28, channels: 1 } }).resize(500, 500).png().toBuffer(), top: 150, left: 150 }])
      .jpeg({ quality: 85 })
      .toBuffer();
    type = 'image/jpeg';
  } else if (kind !== 'png-mp') throw new Error(`unknown payload ${kind}`);
  const head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="image"; filename="x"\r\nContent-Type: ${type}\r\n\r\n`;
  return {
    body: Buffer.concat([Buffer.from(head), bytes, Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
  };
}

/** CPU ms of a process so far: its main thread, and all its other threads together. */
function cpuTimes(pid: number): { main: number; other: number } {
  let main = 0;
  let other = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = (Number(f[11]) + Number(f[12])) * 10; // USER_HZ = 100
      if (Number(tid) === pid) main += ms;
      else other += ms;
    } catch {
      // The thread ended between two reads.
    }
  }
  return { main, other };
}

interface Side {
  name: string;
  child: ChildProcess;
  url: string;
  log: string;
  samples: Array<{ main: number; other: number; rps: number }>;
}

async function start(name: string, dir: string, entry: string, port: number, env: string[]): Promise<Side> {
  const root = resolve(dir);
  const logDir = mkdtempSync(join(tmpdir(), `vitrine-ab-${name}-`));
  const log = join(logDir, 'server.log');
  const fd = openSync(log, 'w');
  const child = spawn(join(root, 'node_modules/.bin/node'), [resolve(root, entry)], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ...Object.fromEntries(env.map((kv) => kv.split(/=(.*)/s).slice(0, 2))) },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const url = `http://127.0.0.1:${port}`;
  for (const began = Date.now(); ; ) {
    if (child.exitCode !== null) throw new Error(`${name} exited; see ${log}`);
    if (Date.now() - began > 120_000) throw new Error(`${name} not ready; see ${log}`);
    const ok = await fetch(`${url}/healthz`).then((r) => r.status === 200, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { name, child, url, log, samples: [] };
}

function burst(url: string, p: { body: Buffer; contentType: string }, amount: number, connections: number): Promise<autocannon.Result> {
  return new Promise((res, rej) => {
    autocannon(
      { url: `${url}/api/predict`, method: 'POST', headers: { 'content-type': p.contentType }, body: p.body, connections, amount },
      (err: unknown, r: autocannon.Result) => (err ? rej(err instanceof Error ? err : new Error(String(err))) : res(r)),
    );
  });
}

async function measure(side: Side, p: { body: Buffer; contentType: string }, amount: number, connections: number, record: boolean): Promise<void> {
  const pid = side.child.pid!;
  const before = cpuTimes(pid);
  const t0 = performance.now();
  const r = await burst(side.url, p, amount, connections);
  const seconds = (performance.now() - t0) / 1000;
  const after = cpuTimes(pid);
  const ok = r.requests.total - r.non2xx - r.errors;
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${side.name}: ${r.non2xx} non-2xx, ${r.errors} errors; see ${side.log}`);
  if (!record) return;
  const s = { main: ((after.main - before.main) * 1000) / ok, other: ((after.other - before.other) * 1000) / ok, rps: ok / seconds };
  side.samples.push(s);
  console.error(`  ${side.name}: main ${s.main.toFixed(0)} + other ${s.other.toFixed(0)} = ${(s.main + s.other).toFixed(0)} µs/req, ${s.rps.toFixed(0)} req/s`);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const p = await payload(args.payload!);
const port = Number(args.port);
const amount = Number(args.requests);
const connections = Number(args.connections);
const A = await start('A', args.a!, args['entry-a']!, port, args['env-a']!);
const B = await start('B', args.b!, args['entry-b']!, port + 1, args['env-b']!);
try {
  console.error(`A: ${resolve(args.a!)} ${args['entry-a']}\nB: ${resolve(args.b!)} ${args['entry-b']}\nwarming up…`);
  await measure(A, p, amount, connections, false);
  await measure(B, p, amount, connections, false);
  for (let round = 0; round < Number(args.rounds); round++) {
    console.error(`round ${round + 1} (load average ${loadavg()[0]!.toFixed(2)})`);
    const order = round % 2 === 0 ? [A, B] : [B, A];
    for (const side of order) await measure(side, p, amount, connections, true);
  }
  console.log(
    `\nnode scripts/bench-ab.ts ${process.argv.slice(2).join(' ')}\n` +
      `${args.payload} · ${connections} connections · ${amount} requests × ${args.rounds} rounds per side · medians (min–max)\n`,
  );
  console.log('| side | main µs/req | other µs/req | total µs/req | req/s |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const s of [A, B]) {
    const col = (f: (x: Side['samples'][number]) => number) => {
      const xs = s.samples.map(f);
      return `${median(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;
    };
    console.log(`| ${s.name} | ${col((x) => x.main)} | ${col((x) => x.other)} | ${col((x) => x.main + x.other)} | ${col((x) => x.rps)} |`);
  }
  // The same round's B against A: both saw nearly the same machine, so the ratio varies less than either.
  const ratio = (f: (x: Side['samples'][number]) => number) => {
    const rs = A.samples.map((a, i) => f(B.samples[i]!) / f(a));
    return `${median(rs).toFixed(2)} (${Math.min(...rs).toFixed(2)}–${Math.max(...rs).toFixed(2)})`;
  };
  console.log(`| B / A | ${ratio((x) => x.main)} | ${ratio((x) => x.other)} | ${ratio((x) => x.main + x.other)} | ${ratio((x) => x.rps)} |`);
} finally {
  for (const s of [A, B]) s.child.kill('SIGTERM');
}
