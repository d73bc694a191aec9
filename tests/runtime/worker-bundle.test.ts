/** The workers' plain-JavaScript bundle: paths next to the source still work, it is reused while the sources are unchanged and rebuilt when one changes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleWorkerEntry } from '../../framework/runtime/worker-bundle.ts';
import { WorkerPool } from '../../framework/runtime/pool.ts';

// Inside the repository, so that the app's packages resolve as they would for a real app.
let dir: string;
let appHref: string;

function writeApp(greeting: string): void {
  const file = join(dir, 'app.ts');
  writeFileSync(
    file,
    `import { readFileSync } from 'node:fs';
import { Interface, Textbox } from '../../../framework/index.ts';
const suffix: string = readFileSync(new URL('./suffix.txt', import.meta.url), 'utf8').trim();
export default Interface({ fn: (t: string) => \`${greeting} \${t}\${suffix}\`, inputs: Textbox(), outputs: Textbox() });
`,
  );
  // Changes are told by content, not modification time: an edit that keeps the old time (two
  // writes within one clock tick, a file restored from an archive) still counts.
  const fixed = new Date('2026-01-01T00:00:00Z');
  utimesSync(file, fixed, fixed);
}

/** One call of a temporary app (by default app.ts) in a fresh one-worker pool. */
async function runInWorker(text: string, modulePath = appHref) {
  const pool = new WorkerPool({ modulePath, size: 1, concurrencyPerWorker: 1 });
  try {
    await pool.start();
    return (await pool.run([{ textbox: text }]))[0];
  } finally {
    await pool.close();
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(resolve('tests/runtime'), '.bundle-'));
  writeFileSync(join(dir, 'suffix.txt'), '!\n');
  writeApp('hello');
  appHref = pathToFileURL(join(dir, 'app.ts')).href;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bundleWorkerEntry', () => {
  it('writes one .mjs beside the packages and reuses it while no source changed', async () => {
    const first = await bundleWorkerEntry(appHref, 'default');
    expect(first).toMatch(/\/node_modules\/\.cache\/vitrine\/app-[0-9a-f]{16}\.mjs$/);
    const builtAt = statSync(fileURLToPath(first)).mtimeMs;
    const again = await bundleWorkerEntry(appHref, 'default');
    expect(again).toBe(first);
    expect(statSync(fileURLToPath(again)).mtimeMs).toBe(builtAt);
  });

  it('runs in a worker with import.meta.url still pointing next to the source', async () => {
    expect(await runInWorker('there')).toEqual({ ok: true, outputs: { textbox: 'hello there!' } });
  });

  it('builds again when a source changed, and workers started after that run the new code', async () => {
    const before = await bundleWorkerEntry(appHref, 'default');
    writeApp('goodbye');
    const after = await bundleWorkerEntry(appHref, 'default');
    expect(after).not.toBe(before);
    expect(await runInWorker('now')).toEqual({ ok: true, outputs: { textbox: 'goodbye now!' } });
  });

  it('after a build, deletes old bundles no manifest names and manifests of apps that are gone; keeps recent ones', async () => {
    const cache = join(resolve('node_modules/.cache/vitrine'));
    const hourAgo = new Date(Date.now() - 3_600_000);
    const aged = (file: string, contents: string) => {
      writeFileSync(file, contents);
      utimesSync(file, hourAgo, hourAgo);
      return file;
    };
    const stale = aged(join(cache, 'zz-pruned-0000000000000000.mjs'), '// unused');
    const recent = join(cache, 'zz-recent-0000000000000000.mjs');
    writeFileSync(recent, '// unused, but a server may be about to import it');
    const orphanBundle = aged(join(cache, 'zz-orphan-1111111111111111.mjs'), '// named by a manifest of a deleted app');
    const orphan = aged(join(cache, 'zz-orphan-111111111111.json'), JSON.stringify({ bundle: orphanBundle, inputs: { [join(dir, 'deleted.ts')]: 1 } }));
    writeApp('pruned');
    const current = fileURLToPath(await bundleWorkerEntry(appHref, 'default'));
    expect([stale, orphan, orphanBundle].filter((f) => existsSync(f))).toEqual([]);
    expect(existsSync(recent)).toBe(true);
    expect(existsSync(current)).toBe(true);
    rmSync(recent);
  });

  it('a replacement worker loads the sources when its bundle was deleted meanwhile', async () => {
    const exits = join(dir, 'exits.ts');
    writeFileSync(
      exits,
      `import { Interface, Textbox } from '../../../framework/index.ts';
export default Interface({ fn: (t: string) => (t === 'exit' ? process.exit(3) : \`still \${t}\`), inputs: Textbox(), outputs: Textbox() });
`,
    );
    const pool = new WorkerPool({ modulePath: pathToFileURL(exits).href, size: 1, concurrencyPerWorker: 1 });
    try {
      await pool.start();
      rmSync(fileURLToPath(await bundleWorkerEntry(pathToFileURL(exits).href, 'default')));
      expect((await pool.run([{ textbox: 'exit' }]))[0]).toMatchObject({ ok: false, appError: expect.stringContaining('exited with code 3') });
      for (let i = 0; i < 200 && pool.readyWorkers === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(await pool.run([{ textbox: 'here' }])).toEqual([{ ok: true, outputs: { textbox: 'still here' } }]);
    } finally {
      await pool.close();
    }
  });

  it("names the app's own source file and line in a stack trace", async () => {
    const thrower = join(dir, 'thrower.ts');
    writeFileSync(
      thrower,
      `import { Interface, Textbox } from '../../../framework/index.ts';
export default Interface({
  fn: (t: string): string => {
    throw new Error(\`no \${t}\`);
  },
  inputs: Textbox(),
  outputs: Textbox(),
});
`,
    );
    expect(await runInWorker('luck', pathToFileURL(thrower).href)).toEqual({ ok: false, appError: expect.stringContaining(`${thrower}:4:`) });
  });

  it('bundles a module that imports the framework by file: URL', async () => {
    const byUrl = join(dir, 'by-url.ts');
    const framework = pathToFileURL(resolve('framework/index.ts')).href;
    writeFileSync(byUrl, `import { Interface, Textbox } from ${JSON.stringify(framework)};\nexport default Interface({ fn: (t: string) => t.toUpperCase(), inputs: Textbox(), outputs: Textbox() });\n`);
    expect(await runInWorker('shout', pathToFileURL(byUrl).href)).toEqual({ ok: true, outputs: { textbox: 'SHOUT' } });
  });

  it('rejects a module that does not compile, naming the problem', async () => {
    const broken = join(dir, 'broken.ts');
    writeFileSync(broken, 'export default Interface({ fn: (x: string) => x, \n');
    await expect(bundleWorkerEntry(pathToFileURL(broken).href, 'default')).rejects.toThrow(/broken\.ts|Expected|Unexpected/);
  });
});
