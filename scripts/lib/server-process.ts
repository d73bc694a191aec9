/** Helpers for scripts that start the server as a user would: a free port, and waiting for it to be ready. */
import { createServer } from 'node:net';

/**
 * The Node flags a process of this repository starts with (`npm start` passes them too): `vitrine`
 * and its subpaths then resolve to the TypeScript sources, through package.json's
 * `vitrine-source` condition, instead of the compiled package in dist/.
 *
 * @example
 * spawn(process.execPath, [...SOURCE_FLAGS, 'server.ts']);
 */
export const SOURCE_FLAGS: readonly string[] = ['--conditions=vitrine-source'];

/**
 * A TCP port free on 127.0.0.1 right now (the OS picks it).
 *
 * @example
 * const port = await freePort();
 */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const p = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolvePort(p));
    });
  });
}

/**
 * Polls `url` until it answers 200; fails early when `hasExited()` says the server died.
 *
 * @example
 * await waitForOk(`${origin}/healthz`, 60_000, () => child.exitCode !== null);
 */
export async function waitForOk(url: string, timeoutMs: number, hasExited: () => boolean, intervalMs = 100): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (hasExited()) throw new Error(`the server exited before ${url} answered 200`);
    const ok = await fetch(url).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}
