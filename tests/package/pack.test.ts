/**
 * The package as a user meets it: `npm pack` (which compiles the framework and builds the page
 * bundle), `npm install` of the tarball into an empty folder outside the repository, a ten-line
 * app there, served with the `vitrine` command, called over HTTP and with the typed client, whose
 * types `tsc` checks from the installed declarations. Nothing of the repository is reachable from
 * that folder except through the tarball.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cp, lstat, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/server-process.ts';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** Not copied to the folder that is packed: installed packages, build output, git and scratch folders. */
const NOT_PACKED = new Set(['node_modules', '.git', 'dist', 'coverage', 'test-artifacts', 'flagged', '.vitrine', 'tmp']);

/**
 * A user's terminal: this machine's environment (its certificates and proxies reach the registry)
 * with this Node first on the PATH and without what `npm test` and vitest add (npm_* settings of
 * the repository's package, Node options, vitest's own variables).
 */
const USER_ENV: Record<string, string> = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k, v]) => v !== undefined && !/^(npm_|NODE_OPTIONS$|NODE_ENV$|VITEST|TEST$|INIT_CWD$)/i.test(k))),
  PATH: [dirname(process.execPath), ...(process.env.PATH ?? '').split(delimiter)].join(delimiter),
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
  npm_config_loglevel: 'error',
};

const APP = `import { Image, Interface, Textbox } from 'vitrine';

export default Interface({
  fn: ({ image, caption }) => ({ size: \`\${caption}: \${image.width}×\${image.height}\` }),
  inputs: { image: Image(), caption: Textbox() },
  outputs: { size: Textbox() },
  title: 'Picture size',
});
`;

const CLIENT = `import { connect } from 'vitrine/client';
import type app from './app.ts';

const client = connect<typeof app>(process.argv[2]!);
const out: { size: string } = await client.predict({ image: './picture.png', caption: 'typed client' });
console.log(JSON.stringify(out));

// @ts-expect-error "caption" takes a string
export const wrong = () => client.predict({ image: './picture.png', caption: 3 });
`;

let work: string;
let project: string;
let tarball: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'vitrine-pack-'));
  // Pack a copy of the working tree, so the build writes its dist/ there, not into the checkout.
  const source = join(work, 'source');
  await cp(REPO, source, { recursive: true, filter: (path) => !NOT_PACKED.has(basename(path)) || path === REPO });
  await symlink(join(REPO, 'node_modules'), join(source, 'node_modules'));
  await run('npm', ['pack', '--pack-destination', work], { cwd: source, env: USER_ENV, maxBuffer: 64 * 1024 * 1024 });
  const { version } = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as { version: string };
  expect((await readdir(work)).filter((f) => f.endsWith('.tgz'))).toEqual([`vitrine-${version}.tgz`]);
  tarball = join(work, `vitrine-${version}.tgz`);

  project = join(work, 'demo');
  await mkdir(project);
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'demo', private: true, type: 'module' }));
  const versionOf = async (name: string) => (JSON.parse(await readFile(join(REPO, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  await run('npm', ['install', '--prefer-offline', tarball, `typescript@${await versionOf('typescript')}`, `@types/node@${await versionOf('@types/node')}`], {
    cwd: project,
    env: USER_ENV,
  });
  await writeFile(join(project, 'app.ts'), APP);
  await writeFile(join(project, 'client.ts'), CLIENT);
  await writeFile(
    join(project, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, noEmit: true, allowImportingTsExtensions: true, skipLibCheck: true, types: ['node'] } }),
  );
  await sharp({ create: { width: 5, height: 3, channels: 3, background: '#336699' } }).png().toFile(join(project, 'picture.png'));
}, 600_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('ships the compiled framework, its declarations and the page bundle, and nothing else', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    const files = stdout.trim().split('\n').map((f) => f.replace(/^package\//, ''));
    const stray = files.filter((f) => !/^dist\/framework\/.+\.(js|d\.ts)$/.test(f) && !/^dist\/ui\/((elements|chunks)\/)?[A-Za-z0-9_-]+\.js(\.map)?$/.test(f) && !['package.json', 'README.md'].includes(f));
    expect(stray).toEqual([]);
    for (const entry of ['index', 'cli', 'client/index', 'tf/index', 'runtime/worker-entry']) {
      expect(files).toContain(`dist/framework/${entry}.js`);
      expect(files).toContain(`dist/framework/${entry}.d.ts`);
    }
    expect(files).toContain('dist/ui/vitrine.js');
    // Each kind's element ships as its own module, and vitrine/ui for an app's own elements.
    expect(files).toContain('dist/ui/elements/image.js');
    expect(files).toContain('dist/ui/lib.js');
    expect(files.some((f) => f.endsWith('.test.js'))).toBe(false);
  });
});

describe('installed into an empty folder', () => {
  it('is a copy from the tarball, with nothing of the repository above the folder', async () => {
    expect((await lstat(join(project, 'node_modules', 'vitrine'))).isSymbolicLink()).toBe(false);
    expect(relative(REPO, project).startsWith('..')).toBe(true);
    for (let dir = dirname(project); dir !== dirname(dir); dir = dirname(dir)) expect(existsSync(join(dir, 'node_modules')), dir).toBe(false);
    // The runtimes are optional peers: an app that uses neither gets neither.
    expect(existsSync(join(project, 'node_modules', '@tensorflow'))).toBe(false);
  });

  it('serves the ten-line app with the CLI, answers over HTTP and to the typed client', async () => {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const server: ChildProcess = spawn(join(project, 'node_modules', '.bin', 'vitrine'), ['serve', 'app.ts', '--port', String(port)], {
      cwd: project,
      env: { ...USER_ENV, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    server.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    server.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => server.once('exit', (code) => r(code)));
    try {
      const deadline = Date.now() + 120_000;
      while ((await fetch(`${origin}/healthz`).then((r) => r.status, () => 0)) !== 200) {
        if (server.exitCode !== null || Date.now() > deadline) throw new Error(`the server did not start:\n${out}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(out).toContain(`vitrine: app.ts at ${origin}/`);

      const page = await fetch(`${origin}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<script type="module" src="/assets/vitrine.js"></script>');
      const bundle = await fetch(`${origin}/assets/vitrine.js`);
      expect(bundle.status).toBe(200);
      expect((await bundle.text()).length).toBeGreaterThan(10_000);

      const form = new FormData();
      form.append('image', new Blob([new Uint8Array(await readFile(join(project, 'picture.png')))], { type: 'image/png' }), 'picture.png');
      form.append('caption', 'multipart');
      await expect(fetch(`${origin}/api/predict`, { method: 'POST', body: form }).then((r) => r.json())).resolves.toEqual({ size: 'multipart: 5×3' });
      const bad = await fetch(`${origin}/api/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"caption":"no picture"}' });
      expect(bad.status).toBe(400);
      await expect(bad.json()).resolves.toMatchObject({ error: 'MISSING_INPUT', field: 'image' });

      const client = await run(process.execPath, ['client.ts', origin], { cwd: project, env: USER_ENV });
      expect(JSON.parse(client.stdout)).toEqual({ size: 'typed client: 5×3' });
    } finally {
      server.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  }, 300_000);

  it('type-checks the typed client from the installed declarations (the wrong input does not compile)', async () => {
    // `tsc` fails on a type error, and on an @ts-expect-error that expects none.
    const checked = await run(join(project, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', '.'], { cwd: project, env: USER_ENV }).then(
      () => 'ok',
      (err: { stdout?: string }) => err.stdout ?? String(err),
    );
    expect(checked).toBe('ok');
  }, 180_000);

  it("on the system's Node when it is older than 22.18 (Debian's 20): one line, exit 2, no stack", async (ctx) => {
    const old = await run('/usr/bin/node', ['-p', 'process.versions.node']).then((r) => r.stdout.trim(), () => '');
    const [major = 99, minor = 0] = old.split('.').map(Number);
    if (!(major < 22 || (major === 22 && minor < 18))) return ctx.skip();
    const entry = join(project, 'node_modules', 'vitrine', 'dist', 'framework', 'cli.js');
    const failed = await run('/usr/bin/node', [entry, 'serve', 'app.ts'], { cwd: project, env: USER_ENV }).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => err,
    );
    expect(failed.code).toBe(2);
    expect(failed.stderr).toBe(
      `vitrine: needs Node.js 22.18 or newer, found ${old} (/usr/bin/node); ` +
        'run `npm i -D node@24` in this project (npx and npm scripts then use it) or install Node 24 from https://nodejs.org\n',
    );
  });

  it('vitrine onnx without the optional onnxruntime-node says how to get it', async () => {
    await writeFile(join(project, 'labels.txt'), 'a\nb\n');
    await cp(join(REPO, 'apps', 'fashion-mnist', 'model', 'model.onnx'), join(project, 'model.onnx'));
    const failed = await run(join(project, 'node_modules', '.bin', 'vitrine'), ['onnx', 'model.onnx', '--labels', 'labels.txt'], { cwd: project, env: USER_ENV }).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => err,
    );
    expect(failed).toMatchObject({ code: 2, stderr: 'vitrine: onnxruntime-node cannot load on this machine: it is not installed; npm install onnxruntime-node\n' });
  });

  it('writes the OpenAPI document with the CLI', async () => {
    const { stdout } = await run(join(project, 'node_modules', '.bin', 'vitrine'), ['openapi', 'app.ts'], { cwd: project, env: USER_ENV });
    const doc = JSON.parse(stdout) as { info: { title: string }; paths: Record<string, unknown> };
    expect(doc.info.title).toBe('Picture size');
    expect(doc.paths).toHaveProperty('/api/predict');
  });
});
