/**
 * `node scripts/idle-rss.ts`: the server's resident memory at rest — started, `/healthz` 200, a
 * few seconds of quiet, then VmRSS from /proc/<pid>/status (the whole process: every worker
 * thread and native pool is in it). Little disturbed by other load on the machine, unlike
 * throughput, so it can be compared across changes on a busy machine.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { freePort, SOURCE_FLAGS } from './lib/server-process.ts';

const { values: args } = parseArgs({
  options: {
    mounts: { type: 'string', default: 'all' },
    runs: { type: 'string', default: '3' },
    settle: { type: 'string', default: '3' },
    'node-arg': { type: 'string', multiple: true, default: [] },
    help: { type: 'boolean', default: false, short: 'h' },
  },
});
if (args.help) {
  console.log(`Usage: node --conditions=vitrine-source scripts/idle-rss.ts [--mounts all|SPEC] [--runs 3] [--settle 3] [--node-arg FLAG]
  --mounts    all (server.ts's five apps as shipped), or prefix[:workers],… — e.g. "/:1,/image-effects:0"
              keeps those two apps, Fashion-MNIST with one worker and image-effects on the main thread
  --runs      servers started one after the other (default 3)
  --settle    seconds to wait after the first /healthz 200 before reading VmRSS (default 3)
  --node-arg  extra Node flag for the server (repeatable)`);
  process.exit(0);
}

const mounts =
  args.mounts === 'all'
    ? undefined
    : args.mounts.split(',').map((m) => {
        const [prefix, workers] = m.split(':');
        return { prefix: prefix!, ...(workers === undefined ? {} : { workers: Number(workers) }) };
      });

/** VmRSS and VmHWM of a process, in MB. */
function memory(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

async function once(): Promise<{ rss: number; hwm: number; startMs: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [...SOURCE_FLAGS, ...args['node-arg'], 'scripts/lib/rss-server.ts'], {
    env: { ...process.env, PORT: String(port), ...(mounts ? { VITRINE_RSS_MOUNTS: JSON.stringify(mounts) } : {}) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status === 200, () => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const startMs = performance.now() - started;
    await new Promise((r) => setTimeout(r, Number(args.settle) * 1000));
    return { ...memory(child.pid!), startMs };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const results = [];
for (let i = 0; i < Number(args.runs); i++) results.push(await once());
const rss = results.map((r) => r.rss).sort((a, b) => a - b);
console.log(
  `mounts ${args.mounts}${args['node-arg'].length ? ` node ${args['node-arg'].join(' ')}` : ''}: idle RSS median ${rss[Math.floor(rss.length / 2)]!.toFixed(0)} MB ` +
    `(runs ${results.map((r) => r.rss.toFixed(0)).join(', ')}; peak during start ${results.map((r) => r.hwm.toFixed(0)).join(', ')} MB)`,
);
