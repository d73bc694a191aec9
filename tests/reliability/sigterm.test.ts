/** SIGTERM under load: the server stops accepting, answers every request it took (200 or a clean 503), loses none, exits 0. */
import { describe, expect, it } from 'vitest';
import { runSigtermCheck } from '../../scripts/sigterm-check.ts';
import { SOURCE_FLAGS } from '../../scripts/lib/server-process.ts';

describe('SIGTERM under load', () => {
  it('the real server (server.ts, worker threads): in-flight requests finish, nothing is lost, exit 0', async () => {
    const r = await runSigtermCheck({ connections: 16, loadMs: 1500 });
    expect(r, JSON.stringify(r)).toMatchObject({ pass: true, lost: 0, otherStatus: {}, exitCode: 0 });
    expect(r.ok).toBeGreaterThan(0);
    // Requests the server had taken when SIGTERM came were answered 200 (drained, not dropped).
    expect(r.drained).toBeGreaterThan(0);
  }, 90_000);

  it('a fast app whose keep-alive sockets sit idle between requests: no connection is reset under a request', async () => {
    const r = await runSigtermCheck({
      entry: 'tests/reliability/fixtures/echo-server.ts',
      readyPath: '/echo/healthz',
      targets: [{ path: '/echo/api/predict', json: { textbox: 'hello' } }],
      connections: 16,
      loadMs: 1000,
      thinkMs: 3,
    });
    expect(r, JSON.stringify(r)).toMatchObject({ pass: true, lost: 0, lostErrors: {}, otherStatus: {}, exitCode: 0 });
    expect(r.ok).toBeGreaterThan(100);
  }, 60_000);
});

describe('SIGTERM with a call that never ends', () => {
  it('the shutdown deadline still ends the process (exit 1), it does not hang', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [...SOURCE_FLAGS, 'tests/reliability/fixtures/hang-server.ts'], {
      env: { ...process.env, SHUTDOWN_TIMEOUT_MS: '1000' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /PORT (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      void exited.then(() => reject(new Error('exited early')));
    });
    const origin = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 300 && (await fetch(`${origin}/crashy/healthz`).then((r) => r.status, () => 0)) !== 200; i++) await new Promise((r) => setTimeout(r, 100));
    const hung = fetch(`${origin}/crashy/api/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"textbox":"sleep:600000"}' }).catch(() => 'closed');
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGTERM');
    // Without the forced exit this waits for the 600 s call and the test times out.
    expect(await exited).toBe(1);
    expect(await hung).toBe('closed');
  }, 60_000);
});
