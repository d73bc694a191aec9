/** The Node flags a worker starts with: the parent's, less the process-wide flags Node refuses in a worker. */
import { afterAll, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { WorkerPool } from '../../framework/runtime/pool.ts';

// Its own file: the pool settles the workers' flags once per process, at its first worker.
const original = [...process.execArgv];
afterAll(() => {
  process.execArgv.splice(0, process.execArgv.length, ...original);
});

it('starts workers when the server runs with a V8 flag, and passes on the flags a worker takes', async () => {
  process.execArgv.push('--max-semi-space-size=4', '--no-deprecation');
  const pool = new WorkerPool({ modulePath: pathToFileURL(resolve('tests/runtime/fixtures/faulty-app.ts')).href, size: 1, concurrencyPerWorker: 1 });
  try {
    await pool.start();
    const [outcome] = await pool.run([{ textbox: 'flags' }]);
    expect(outcome?.ok).toBe(true);
    const flags = JSON.parse((outcome as unknown as { outputs: { textbox: string } }).outputs.textbox) as string[];
    expect(flags).toContain('--no-deprecation');
    expect(flags).not.toContain('--max-semi-space-size=4');
  } finally {
    await pool.close();
  }
});
