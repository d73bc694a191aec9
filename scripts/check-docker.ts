/**
 * `npm run check:docker`: builds the Dockerfile with Debian's podman from a base image made here
 * (no registry is reachable: mmdebstrap's Debian bookworm plus the Node 24 of node_modules/node
 * and this machine's npm, with a `node` user of uid 1000 like node:24-slim), starts the container,
 * calls /api/predict with an example, prints the answer, the image size and the container's idle
 * RSS, and removes the container. Skipped in CI (it needs root, podman and the network).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isMain } from './bench-accuracy.ts';

const ROOT = resolve(import.meta.dirname, '..');
const BASE = 'localhost/vitrine-base:bookworm-node24';
const IMAGE = 'localhost/vitrine:check';
const MIRROR = 'http://deb.debian.org/debian';

/** Runs a command, its output shown, and fails with its exit code. */
function run(cmd: string, args: string[], opts: { quiet?: boolean } = {}): string {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', opts.quiet ? 'pipe' : 'inherit', opts.quiet ? 'pipe' : 'inherit'], maxBuffer: 1 << 28 });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.slice(0, 3).join(' ')} … exited with ${r.status}${opts.quiet ? `: ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' / ')}` : ''}`);
  return r.stdout ?? '';
}

const have = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/**
 * crun refuses cgroups in hybrid mode (v1 with a v2 mount, as on this machine: "cgroups in hybrid
 * mode not supported"); runc runs there, so podman is pointed at it when both hold.
 */
const PODMAN = existsSync('/sys/fs/cgroup/unified') && have('runc') ? ['--runtime', 'runc'] : [];
const podman = (args: string[], opts: { quiet?: boolean } = {}): string => run('podman', [...PODMAN, ...args], opts);

/** Debian bookworm (minbase) + Node 24 + npm + user node (uid 1000), imported as BASE. */
async function buildBase(): Promise<void> {
  const tmp = await mkdtemp(join(tmpdir(), 'vitrine-base-'));
  try {
    const node = join(tmp, 'node');
    await copyFile(join(ROOT, 'node_modules', 'node', 'bin', 'node'), node);
    // The npm package's binary keeps its debug symbols (126 MB); node:24-slim's is stripped.
    if (have('strip')) run('strip', ['--strip-debug', node]);
    const npmDir = dirname(dirname(execFileSync('readlink', ['-f', execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim()], { encoding: 'utf8' }).trim()));
    const rootfs = join(tmp, 'rootfs.tar');
    // A machine whose HTTPS goes through an inspecting proxy trusts its CA through
    // NODE_EXTRA_CA_CERTS (this one does): the local base trusts it too, or npm ci fails with
    // SELF_SIGNED_CERT_IN_CHAIN. A public certificate, and the image never leaves this machine.
    const extraCa = process.env.NODE_EXTRA_CA_CERTS && existsSync(process.env.NODE_EXTRA_CA_CERTS) ? process.env.NODE_EXTRA_CA_CERTS : undefined;
    const caHooks = extraCa
      ? [`--customize-hook=cp ${extraCa} "$1/usr/local/share/ca-certificates/host-extra.crt"`, '--customize-hook=chroot "$1" update-ca-certificates']
      : [];
    console.log(`building the base image: mmdebstrap bookworm + ${node} + npm from ${npmDir}${extraCa ? ` + this machine's extra CA (${extraCa})` : ''}`);
    run('mmdebstrap', [
      '--variant=minbase',
      '--include=ca-certificates',
      '--customize-hook=mkdir -p "$1/usr/local/lib/node_modules"',
      `--customize-hook=copy-in ${node} /usr/local/bin`,
      `--customize-hook=copy-in ${npmDir} /usr/local/lib/node_modules`,
      '--customize-hook=ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$1/usr/local/bin/npm"',
      '--customize-hook=ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$1/usr/local/bin/npx"',
      '--customize-hook=chroot "$1" useradd --uid 1000 --create-home --shell /bin/bash node',
      ...caHooks,
      '--customize-hook=rm -rf "$1/var/lib/apt/lists/"* "$1/var/cache/apt/"*',
      'bookworm',
      rootfs,
      MIRROR,
    ]);
    const env = ['--change', 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', ...(extraCa ? ['--change', 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt'] : [])];
    podman(['import', '--change', 'CMD ["node"]', ...env, rootfs, BASE]);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function waitHealthy(url: string, timeoutMs: number): Promise<number> {
  const started = performance.now();
  let last = '';
  while (performance.now() - started < timeoutMs) {
    try {
      const res = await fetch(url);
      if (res.ok) return performance.now() - started;
      last = `${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s (last: ${last})`);
}

/** The container's memory: the sum of its processes' RSS, read from /proc inside it. */
function containerRss(name: string): number {
  const out = podman(['exec', name, 'sh', '-c', 'cat /proc/[0-9]*/status 2>/dev/null | grep ^VmRSS'], { quiet: true });
  return [...out.matchAll(/VmRSS:\s+(\d+) kB/g)].reduce((sum, m) => sum + Number(m[1]) * 1024, 0);
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({ options: { 'rebuild-base': { type: 'boolean', default: false }, port: { type: 'string', default: '17860' }, help: { type: 'boolean', short: 'h' } } });
  if (args.help) {
    console.log(`Usage: npm run check:docker -- [--rebuild-base] [--port 17860]
  --rebuild-base  build the local base image again (otherwise reused)
  --port          host port the container's 7860 is published on`);
    return;
  }
  if (process.env.CI) {
    console.log('check:docker: skipped in CI (needs root, podman, mmdebstrap and the network)');
    return;
  }
  for (const cmd of ['podman', 'mmdebstrap']) {
    if (!have(cmd)) throw new Error(`${cmd} is missing: apt-get install -y podman runc uidmap fuse-overlayfs slirp4netns mmdebstrap`);
  }
  const exists = spawnSync('podman', ['image', 'exists', BASE]).status === 0;
  if (!exists || args['rebuild-base']) await buildBase();
  else console.log(`base image ${BASE} already built (--rebuild-base to redo it)`);

  const t = performance.now();
  // Docker format: OCI images drop HEALTHCHECK. The build reaches the npm registry (npm ci).
  podman(['build', '--format', 'docker', '--network', 'host', '--build-arg', `BASE_IMAGE=${BASE}`, '-t', IMAGE, '.']);
  console.log(`image built in ${((performance.now() - t) / 1000).toFixed(0)} s`);

  const name = `vitrine-check-${process.pid}`;
  // Limits below this machine's: podman sets open files and processes to their maximum, and this
  // sandbox refuses that ("error setting rlimit type 7: operation not permitted"); lowering works.
  const limits = ['--ulimit', 'nofile=4096:4096', '--ulimit', 'nproc=4096:4096'];
  podman(['run', '-d', '--name', name, ...limits, '-p', `127.0.0.1:${args.port}:7860`, IMAGE], { quiet: true });
  try {
    const base = `http://127.0.0.1:${args.port}`;
    const ready = await waitHealthy(`${base}/healthz`, 180_000);
    const user = podman(['exec', name, 'id', '-u'], { quiet: true }).trim();
    const example = await readFile(join(ROOT, 'apps', 'fashion-mnist', 'examples', 'photo-sneaker.jpg'));
    const res = await fetch(`${base}/api/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ image: `data:image/jpeg;base64,${example.toString('base64')}` }) });
    const body = (await res.json()) as { label?: { label: string; confidences: Array<{ label: string; confidence: number }> } };
    if (res.status !== 200 || !body.label) throw new Error(`POST /api/predict answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
    const runtimeLine = podman(['logs', name], { quiet: true }).split('\n').find((l) => l.includes('ONNX Runtime') || l.includes('TF.js')) ?? '';
    console.log(`healthy ${(ready / 1000).toFixed(1)} s after start; runs as uid ${user}`);
    console.log(`POST /api/predict photo-sneaker.jpg → ${res.status} ${body.label.label} (${body.label.confidences.map((c) => `${c.label} ${(c.confidence * 100).toFixed(1)} %`).join(', ')})`);
    if (runtimeLine) console.log(`runtime: ${(/"msg":"([^"]+)"/.exec(runtimeLine)?.[1] ?? runtimeLine).slice(0, 200)}`);
    // Podman runs HEALTHCHECKs from systemd timers, and there is no systemd here: run it once by hand.
    const check = spawnSync('podman', [...PODMAN, 'healthcheck', 'run', name], { encoding: 'utf8' });
    console.log(`HEALTHCHECK (the image's command, run by podman healthcheck run): ${check.status === 0 ? 'healthy' : `unhealthy (${(check.stdout + check.stderr).trim()})`}`);
    await new Promise((r) => setTimeout(r, 10_000));
    console.log(`idle RSS of the container's processes, 10 s after the request: ${(containerRss(name) / 1e6).toFixed(0)} MB`);
    const size = Number(podman(['image', 'inspect', '--format', '{{.Size}}', IMAGE], { quiet: true }).trim());
    const baseSize = Number(podman(['image', 'inspect', '--format', '{{.Size}}', BASE], { quiet: true }).trim());
    console.log(`image size: ${(size / 1e6).toFixed(0)} MB (of which the local base ${(baseSize / 1e6).toFixed(0)} MB)`);
  } finally {
    podman(['rm', '-f', name], { quiet: true });
    console.log(`container ${name} stopped and removed`);
  }
}

if (isMain(import.meta.url)) {
  try {
    await main();
  } catch (err) {
    console.error(`check:docker: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
