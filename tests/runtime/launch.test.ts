/** framework/launch.mjs: runs a TypeScript entry as plain JavaScript, with one module instance per source, real paths and stacks, recompiling only what changed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const LAUNCH = resolve('framework/launch.mjs');
// Inside the repository, so that packages (zod) resolve as they would for a real app.
let dir: string;

function launch(...args: string[]) {
  const run = spawnSync(process.execPath, [LAUNCH, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function writeShared(greeting: string): void {
  writeFileSync(
    join(dir, 'lib', 'shared.ts'),
    `export const state = { count: 0 };
export class Marker {}
export const greeting: string = ${JSON.stringify(greeting)};
export const sharedUrl = import.meta.url;
`,
  );
}

beforeAll(() => {
  dir = mkdtempSync(join(resolve('tests/runtime'), '.bundle-launch-'));
  mkdirSync(join(dir, 'lib'));
  writeShared('hello');
  writeFileSync(
    join(dir, 'other.ts'),
    `import { Marker, state } from './lib/shared.ts';
export const marker: Marker = new Marker();
export const count = (): number => state.count;
`,
  );
  writeFileSync(
    join(dir, 'entry.ts'),
    `import { z } from 'zod';
import { Marker, greeting, sharedUrl, state } from './lib/shared.ts';
state.count += 1;
const importSource = (globalThis as Record<symbol, unknown>)[Symbol.for('vitrine.importSource')] as (href: string) => Promise<{ marker: unknown; count: () => number }>;
const other = await importSource(new URL('./other.ts', import.meta.url).href);
console.log(JSON.stringify({
  argv: process.argv.slice(2),
  sameInstance: other.marker instanceof Marker,
  count: other.count(),
  greeting,
  url: import.meta.url,
  dirname: import.meta.dirname,
  sharedUrl,
  text: 'import.meta.url stays text',
  zod: z.string().parse('ok'),
}));
`,
  );
  writeFileSync(join(dir, 'throws.ts'), `const answer: number = 42;\n\nthrow new Error(\`failed after \${answer}\`);\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('framework/launch.mjs', () => {
  it('runs the entry with its arguments; a module imported later by path shares the loaded instances', () => {
    const run = launch('entry.ts', '--flag', 'value');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out).toEqual({
      argv: ['--flag', 'value'],
      sameInstance: true,
      count: 1,
      greeting: 'hello',
      url: pathToFileURL(join(dir, 'entry.ts')).href,
      dirname: dir,
      sharedUrl: pathToFileURL(join(dir, 'lib', 'shared.ts')).href,
      text: 'import.meta.url stays text',
      zod: 'ok',
    });
  });

  it('recompiles an edited source and leaves the others as they were', () => {
    launch('entry.ts');
    const output = (name: string) => join(resolve('node_modules/.cache/vitrine/tree'), dir, `${name}.mjs`);
    const otherBuilt = statSync(output('other')).mtimeMs;
    writeShared('bonjour');
    const run = launch('entry.ts');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).greeting).toBe('bonjour');
    expect(statSync(output('other')).mtimeMs).toBe(otherBuilt);
  });

  it('maps stack traces back to the TypeScript file and line', () => {
    const run = launch('throws.ts');
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('failed after 42');
    expect(run.stderr).toContain(`${join(dir, 'throws.ts')}:3`);
  });

  it('falls back to tsx, with a warning, when a source does not compile', () => {
    writeFileSync(join(dir, 'broken.ts'), 'const x = ;\n');
    const run = launch('broken.ts');
    expect(run.stderr).toMatch(/vitrine: could not compile broken\.ts \(.+\); running it through tsx/);
    expect(run.status).not.toBe(0); // tsx then reports the syntax error itself
  });

  it('--compile-only compiles without running, and says so in its exit status', () => {
    expect(launch('--compile-only', 'throws.ts')).toMatchObject({ status: 0, stdout: '' });
    expect(launch('--compile-only', 'broken.ts').status).toBe(1);
    expect(launch().status).toBe(2);
  });
});
