/** SIGTERM under load: the server stops accepting, answers every request it took (200 or a clean 503), loses none, exits 0. */
import { describe, expect, it } from 'vitest';
import { runSigtermCheck } from '../../scripts/sigterm-check.ts';

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
