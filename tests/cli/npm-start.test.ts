/**
 * `npm start` as a user runs it: one human line per app with its address, and a SIGTERM to the
 * npm process (not to the server it started through `sh -c`) stops the server and frees the port.
 */
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startedByLauncher } from '../../framework/cli/parent-watch.ts';
import { freePort } from '../../scripts/lib/server-process.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

const answers = (url: string) => fetch(url).then((r) => r.status, () => 0);

/** Whether a new TCP connection to the port is accepted (fetch would reuse a kept-alive one). */
const accepts = (port: number) =>
  new Promise<boolean>((resolveAccepts) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolveAccepts(true)));
    socket.once('error', () => resolveAccepts(false));
  });

describe('npm start', () => {
  it('prints where each app is, and stops when npm is sent SIGTERM', async () => {
    const port = await freePort();
    // Not through a shell of ours: npm is the process a user's `kill <pid>` would reach.
    const npm = spawn('npm', ['start'], {
      cwd: REPO,
      env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn', npm_config_update_notifier: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    npm.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const deadline = Date.now() + 90_000;
    while (!out.includes('/image-effects/') && npm.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(out).toContain(`vitrine: apps/fashion-mnist/app.ts at http://127.0.0.1:${port}/\n`);
    expect(out).toContain(`vitrine: apps/image-effects/app.ts at http://127.0.0.1:${port}/image-effects/\n`);
    expect(await answers(`http://127.0.0.1:${port}/healthz`)).not.toBe(0);

    npm.kill('SIGTERM');
    const until = Date.now() + 15_000;
    while ((await accepts(port)) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    expect(await accepts(port)).toBe(false);
    // And it stays closed: the server did not just pause.
    await new Promise((r) => setTimeout(r, 1000));
    expect(await accepts(port)).toBe(false);
  }, 120_000);
});

describe('startedByLauncher', () => {
  it('npm scripts, npx and the --reload supervisor; not a server started by hand', () => {
    expect(startedByLauncher({ npm_lifecycle_event: 'start' })).toBe(true);
    expect(startedByLauncher({ npm_command: 'exec' })).toBe(true);
    expect(startedByLauncher({ VITRINE_RELOAD_ID: 'x' })).toBe(true);
    expect(startedByLauncher({})).toBe(false);
  });
});
