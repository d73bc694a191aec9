/**
 * `npm run check:sigterm`: starts the server as a user would (`node server.ts`, what `npm start` runs), loads
 * it from keep-alive clients, sends SIGTERM mid-load and counts the answers: every request sent must
 * get a 200 or a clean 503, none may be reset or lost, and the process must exit 0 once drained.
 */
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import sharp from 'sharp';
import { SOURCE_FLAGS, freePort, waitForOk } from './lib/server-process.ts';

/** Options of one check; every one has a default. */
export interface SigtermCheckOptions {
  /** Concurrent keep-alive clients (default 32). */
  connections?: number;
  /** Load before SIGTERM, in ms (default 3000). */
  loadMs?: number;
  /** Each client pauses a random 0…thinkMs between requests (default 5), so keep-alive sockets sit idle at times, as real clients' do. */
  thinkMs?: number;
  /** Longest wait for the process to exit after SIGTERM (default 20 s). */
  exitTimeoutMs?: number;
  /** Server entry, relative to the repository (default `server.ts`). */
  entry?: string;
  /** Routes to load and their JSON bodies; default: the image-effects app, plus Fashion-MNIST once its model is ready. */
  targets?: Array<{ path: string; json: unknown }>;
  /** The URL path that answers 200 once the server is ready (default `/image-effects/healthz`). */
  readyPath?: string;
  /** Repository root (default: this script's parent folder). */
  cwd?: string;
}

/** What the check saw. */
export interface SigtermCheckResult {
  sent: number;
  ok: number;
  /** 503 answers with the catalogue's JSON (SHUTTING_DOWN or MODEL_UNAVAILABLE while loading). */
  clean503: number;
  /** Any other status. */
  otherStatus: Record<string, number>;
  /** Requests that got no answer: the connection was reset or closed under them. */
  lost: number;
  lostErrors: Record<string, number>;
  /** Connection attempts refused after the server stopped listening: never accepted, nothing lost. */
  refused: number;
  /** Requests in flight when SIGTERM was sent that still got a 200. */
  drained: number;
  inFlightAtSigterm: number;
  exitCode: number | null;
  exitSignal: string | null;
  /** From SIGTERM to the process exit, in ms. */
  exitMs: number;
  /** True when every request got a 200 or a clean 503, none was lost, and the exit code was 0. */
  pass: boolean;
}

interface Target {
  path: string;
  body: Buffer;
}

/**
 * Runs one SIGTERM-under-load check and returns its counts (prints nothing).
 *
 * @example
 * const r = await runSigtermCheck({ connections: 16, loadMs: 1500 });
 * if (!r.pass) process.exitCode = 1;
 */
export async function runSigtermCheck(opts: SigtermCheckOptions = {}): Promise<SigtermCheckResult> {
  const connections = opts.connections ?? 32;
  const cwd = opts.cwd ?? resolve(fileURLToPath(new URL('..', import.meta.url)));
  const port = await freePort();
  const child = spawn(process.execPath, [...SOURCE_FLAGS, opts.entry ?? 'server.ts'], {
    cwd,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  // Never leave the server running if this process dies first.
  const killChild = () => child.kill('SIGKILL');
  process.once('exit', killChild);
  const exited = new Promise<{ code: number | null; signal: string | null; at: number }>((r) =>
    child.once('exit', (code, signal) => r({ code, signal, at: performance.now() })),
  );

  try {
    const origin = `http://127.0.0.1:${port}`;
    await waitForOk(`${origin}${opts.readyPath ?? '/image-effects/healthz'}`, 60_000, () => child.exitCode !== null || child.signalCode !== null);
    const targets: Target[] = (opts.targets ?? []).map((t) => ({ path: t.path, body: Buffer.from(JSON.stringify(t.json)) }));
    if (targets.length === 0) {
      const photo = await sharp({ create: { width: 96, height: 72, channels: 3, background: { r: 30, g: 120, b: 200 } } }).jpeg().toBuffer();
      targets.push({ path: '/image-effects/api/predict', body: Buffer.from(JSON.stringify({ image: photo.toString('base64'), effect: 'blur', strength: 0.6 })) });
    }
    if (!opts.targets && (await status(`${origin}/healthz`)) === 200) {
      const shirt = await sharp({ create: { width: 28, height: 28, channels: 3, background: '#333' } }).png().toBuffer();
      targets.push({ path: '/api/predict', body: Buffer.from(JSON.stringify({ image: shirt.toString('base64') })) });
    }

    const agent = new Agent({ keepAlive: true, maxSockets: connections });
    const counts = { sent: 0, ok: 0, clean503: 0, lost: 0, refused: 0, drained: 0, inFlightAtSigterm: 0 };
    const otherStatus: Record<string, number> = {};
    const lostErrors: Record<string, number> = {};
    let sigtermAt = Infinity;
    let stop = false;
    const inFlight = new Set<number>();
    let nextId = 0;

    const client = async (c: number) => {
      for (let i = 0; !stop; i++) {
        const target = targets[(c + i) % targets.length]!;
        const id = nextId++;
        const startedAt = performance.now();
        inFlight.add(id);
        counts.sent++;
        const outcome = await post(agent, port, target);
        inFlight.delete(id);
        const think = Math.random() * (opts.thinkMs ?? 5);
        if (think >= 1) await new Promise((r) => setTimeout(r, think));
        if (outcome.kind === 'answer') {
          if (outcome.status === 200) {
            counts.ok++;
            if (startedAt < sigtermAt && performance.now() > sigtermAt) counts.drained++;
          } else if (outcome.status === 503 && /"error":"(SHUTTING_DOWN|MODEL_UNAVAILABLE|QUEUE_FULL)"/.test(outcome.body)) {
            counts.clean503++;
          } else {
            otherStatus[String(outcome.status)] = (otherStatus[String(outcome.status)] ?? 0) + 1;
          }
        } else if (outcome.code === 'ECONNREFUSED') {
          // The listener is closed: this request never reached the server.
          counts.sent--;
          counts.refused++;
          return;
        } else {
          counts.lost++;
          lostErrors[outcome.code] = (lostErrors[outcome.code] ?? 0) + 1;
        }
      }
    };
    const load = Promise.all(Array.from({ length: connections }, (_, c) => client(c)));
    await new Promise((r) => setTimeout(r, opts.loadMs ?? 3000));
    counts.inFlightAtSigterm = inFlight.size;
    sigtermAt = performance.now();
    child.kill('SIGTERM');
    const timeout = new Promise<null>((r) => setTimeout(() => r(null), opts.exitTimeoutMs ?? 20_000).unref());
    const exit = await Promise.race([exited, timeout]);
    stop = true;
    await load;
    agent.destroy();
    const result: SigtermCheckResult = {
      ...counts,
      otherStatus,
      lostErrors,
      exitCode: exit?.code ?? null,
      exitSignal: exit?.signal ?? null,
      exitMs: exit ? exit.at - sigtermAt : Infinity,
      pass: false,
    };
    result.pass = exit !== null && exit.code === 0 && result.lost === 0 && Object.keys(otherStatus).length === 0 && result.ok > 0;
    if (!result.pass && stderr) (result as SigtermCheckResult & { stderr?: string }).stderr = stderr;
    return result;
  } finally {
    process.off('exit', killChild);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

type Outcome = { kind: 'answer'; status: number; body: string } | { kind: 'error'; code: string };

function post(agent: Agent, port: number, target: Target): Promise<Outcome> {
  return new Promise((resolveOutcome) => {
    const req = request(
      { agent, host: '127.0.0.1', port, method: 'POST', path: target.path, headers: { 'content-type': 'application/json', 'content-length': target.body.length } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolveOutcome({ kind: 'answer', status: res.statusCode ?? 0, body }));
        res.on('error', (err: NodeJS.ErrnoException) => resolveOutcome({ kind: 'error', code: err.code ?? err.message }));
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => resolveOutcome({ kind: 'error', code: err.code ?? err.message }));
    req.end(target.body);
  });
}

function status(url: string): Promise<number> {
  return fetch(url).then(
    (r) => r.status,
    () => 0,
  );
}



async function main(): Promise<void> {
  const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
  if (args.has('help')) {
    console.log('usage: npm run check:sigterm -- [--connections=32] [--load-ms=3000] [--think-ms=5] [--rounds=1]');
    return;
  }
  const rounds = Number(args.get('rounds') ?? 1);
  let failed = 0;
  for (let round = 1; round <= rounds; round++) {
    const r = await runSigtermCheck({
      connections: Number(args.get('connections') ?? 32),
      loadMs: Number(args.get('load-ms') ?? 3000),
      thinkMs: Number(args.get('think-ms') ?? 5),
    });
    console.log(
      [
        `round ${round}: ${r.pass ? 'PASS' : 'FAIL'}`,
        `  requests sent      ${r.sent}`,
        `  200                ${r.ok} (of which ${r.drained} were in flight at SIGTERM; ${r.inFlightAtSigterm} in flight then)`,
        `  clean 503          ${r.clean503}`,
        `  other statuses     ${JSON.stringify(r.otherStatus)}`,
        `  lost / reset       ${r.lost} ${JSON.stringify(r.lostErrors)}`,
        `  refused after close ${r.refused} (connection attempts after the listener closed)`,
        `  exit               code ${r.exitCode}${r.exitSignal ? ` signal ${r.exitSignal}` : ''}, ${Math.round(r.exitMs)} ms after SIGTERM`,
      ].join('\n'),
    );
    if (!r.pass) {
      failed++;
      const tail = (r as SigtermCheckResult & { stderr?: string }).stderr;
      if (tail) console.log(`  server stderr (tail):\n${tail}`);
    }
  }
  if (failed > 0) process.exitCode = 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
