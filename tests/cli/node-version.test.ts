/**
 * The `vitrine` entry on a Node too old to run it: one line saying what it needs, what it found
 * and how to get it, exit code 2, no stack trace. Run with the system's own Node (20 on the
 * machines this was written on), on the entry compiled the way `npm pack` compiles it.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ENTRY = fileURLToPath(new URL('../../framework/cli.ts', import.meta.url));
/** Node binaries outside node_modules (npm scripts put Node 24 first on the PATH). */
const SYSTEM_NODES = ['/usr/bin/node', '/usr/local/bin/node', '/bin/node'];

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function runNode(node: string, args: string[]): Promise<Outcome> {
  return new Promise((resolveRun) => {
    execFile(node, args, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolveRun({ code, stdout, stderr });
    });
  });
}

/** The first system Node older than 22.18, with its version. */
async function findOldNode(): Promise<{ path: string; version: string } | undefined> {
  for (const path of SYSTEM_NODES) {
    const { code, stdout } = await runNode(path, ['-p', 'process.versions.node']);
    if (code !== 0) continue;
    const version = stdout.trim();
    const [major = 0, minor = 0] = version.split('.').map(Number);
    if (major < 22 || (major === 22 && minor < 18)) return { path, version };
  }
  return undefined;
}

let folder: string;
let cli: string;
const oldNode = await findOldNode();

beforeAll(async () => {
  // dist/framework/cli.js as tsc writes it (tsconfig.build.json), beside a stand-in for cli/main.js.
  folder = await mkdtemp(join(tmpdir(), 'vitrine-node-version-'));
  const { outputText } = ts.transpileModule(await readFile(ENTRY, 'utf8'), {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, rewriteRelativeImportExtensions: true },
  });
  await writeFile(join(folder, 'package.json'), JSON.stringify({ type: 'module' }));
  cli = join(folder, 'cli.js');
  await writeFile(cli, outputText);
  await mkdir(join(folder, 'cli'));
  await writeFile(join(folder, 'cli', 'main.js'), "process.stdout.write('the command ran\\n');\n");
});

afterAll(async () => {
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('the vitrine entry checks the Node version first', () => {
  it.skipIf(oldNode === undefined)(`on the system's Node ${oldNode?.version ?? '(none older than 22.18 found)'}: one line, exit 2`, async () => {
    const { code, stdout, stderr } = await runNode(oldNode!.path, [cli, 'serve', 'app.ts']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.split('\n')).toEqual([
      `vitrine: needs Node.js 22.18 or newer, found ${oldNode!.version} (${oldNode!.path}); ` +
        'run `npm i -D node@24` in this project (npx and npm scripts then use it) or install Node 24 from https://nodejs.org',
      '',
    ]);
  });

  it(`on Node ${process.versions.node}: goes on to the command`, async () => {
    const { code, stdout, stderr } = await runNode(process.execPath, [cli]);
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: 'the command ran\n', stderr: '' });
  });
});
