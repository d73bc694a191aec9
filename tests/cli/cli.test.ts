/**
 * The `vitrine` command as a user runs it, on apps in a temporary folder that import `vitrine` by
 * name: serving several modules, the OpenAPI document, the errors (no Interface, port in use,
 * syntax error, usage) and `--reload` with a page open in Chromium.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOURCE_FLAGS, freePort } from '../../scripts/lib/server-process.ts';
import { launchChromium } from '../browser/chromium.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(REPO, 'framework', 'cli.ts');

/** A Textbox app; `title` tells one version from another. */
const shoutApp = (title: string) => `import { Interface, Textbox, Slider } from 'vitrine';

export default Interface({
  fn: ({ text, times }) => ({ shout: text.toUpperCase() + '!'.repeat(times) }),
  inputs: { text: Textbox(), times: Slider({ min: 1, max: 5, value: 1 }) },
  outputs: { shout: Textbox() },
  title: ${JSON.stringify(title)},
  workers: 1,
});
`;

let project: string;

beforeAll(async () => {
  // A user's folder: its node_modules/vitrine is this checkout (resolved to the sources).
  project = await mkdtemp(join(tmpdir(), 'vitrine-cli-'));
  await writeFile(join(project, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  await mkdir(join(project, 'node_modules'));
  await symlink(REPO, join(project, 'node_modules', 'vitrine'));
  await writeFile(join(project, 'app.ts'), shoutApp('Shout'));
  await mkdir(join(project, 'echo'));
  await writeFile(
    join(project, 'echo', 'app.ts'),
    `import { Interface, Textbox } from 'vitrine';\nexport default Interface({ fn: (t) => t, inputs: Textbox(), outputs: Textbox(), title: 'Echo', workers: 0 });\n`,
  );
});

afterAll(async () => {
  if (project) await rm(project, { recursive: true, force: true });
});

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts `vitrine <args>` in the project folder. */
function vitrine(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, [...SOURCE_FLAGS, CLI, ...args], {
    cwd: project,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Polls until `check` holds (or the process exits, or two minutes pass: a loaded machine starts slowly). */
async function until(what: string, check: () => boolean | Promise<boolean>, run?: Run): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!(await check())) {
    if (run && run.child.exitCode !== null) throw new Error(`exited (${run.child.exitCode}) before ${what}:\n${run.stderr()}`);
    if (Date.now() > deadline) throw new Error(`no ${what} within two minutes:\n${run?.stderr() ?? ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stop(run: Run): Promise<number | null> {
  if (run.child.exitCode === null) run.child.kill('SIGTERM');
  return run.exited;
}

const get = (url: string) => fetch(url).then(async (r) => ({ status: r.status, body: await r.text() }), () => ({ status: 0, body: '' }));
const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<unknown>);

/** What a stack trace looks like: no error message should contain one. */
const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;

describe('vitrine serve', () => {
  it('serves the first module at / and the next at its folder name, on --port and --host', async () => {
    const port = await freePort();
    const run = vitrine(['serve', 'app.ts', 'echo/app.ts', '--port', String(port), '--host', '127.0.0.1']);
    try {
      await until('the "at http://" lines', () => run.stdout().includes('/echo/'), run);
      expect(run.stdout()).toContain(`vitrine: app.ts at http://127.0.0.1:${port}/\n`);
      expect(run.stdout()).toContain(`vitrine: echo/app.ts at http://127.0.0.1:${port}/echo/\n`);
      await until('/healthz 200', async () => (await get(`http://127.0.0.1:${port}/healthz`)).status === 200, run);
      await expect(post(`http://127.0.0.1:${port}/api/predict`, { text: 'hi', times: 2 })).resolves.toEqual({ shout: 'HI!!' });
      await expect(post(`http://127.0.0.1:${port}/echo/api/predict`, { textbox: 'same' })).resolves.toEqual({ textbox: 'same' });
    } finally {
      expect(await stop(run)).toBe(0);
    }
  }, 180_000);

  it('--mcp: each app is also an MCP server, and the address line says where', async () => {
    const port = await freePort();
    const run = vitrine(['serve', 'app.ts', '--port', String(port), '--mcp']);
    try {
      await until('the address line', () => run.stdout().includes('MCP'), run);
      expect(run.stdout()).toBe(`vitrine: app.ts at http://127.0.0.1:${port}/ (MCP: http://127.0.0.1:${port}/gradio_api/mcp/)\n`);
      const client = new Client({ name: 'cli-test', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/gradio_api/mcp/`)));
      expect((await client.callTool({ name: 'shout', arguments: { text: 'mcp', times: 2 } })).content).toEqual([{ type: 'text', text: 'MCP!!' }]);
      await client.close();
    } finally {
      expect(await stop(run)).toBe(0);
    }
  }, 180_000);

  it('a module without an Interface: exit 1, says what to export, no stack trace', async () => {
    await writeFile(join(project, 'nothing.ts'), 'export const answer = 42;\n');
    const run = vitrine(['serve', 'nothing.ts', '--port', String(await freePort())]);
    expect(await run.exited).toBe(1);
    expect(run.stderr()).toContain('vitrine: nothing.ts does not export an Interface as "default"; export one: export default Interface(');
    expect(run.stderr()).not.toMatch(STACK_LINE);
  });

  it('an Interface exported under another name: says which name to serve', async () => {
    await writeFile(join(project, 'named.ts'), `import { Interface, Textbox } from 'vitrine';\nexport const shout = Interface({ fn: (t) => t, inputs: Textbox(), outputs: Textbox() });\n`);
    const run = vitrine(['serve', 'named.ts']);
    expect(await run.exited).toBe(1);
    expect(run.stderr()).toContain('vitrine: named.ts does not export an Interface as "default"; it exports "shout": serve named.ts#shout');
  });

  it('a port in use: exit 1, names the port, no stack trace', async () => {
    const taken: Server = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as { port: number }).port;
    try {
      const run = vitrine(['serve', 'echo/app.ts', '--port', String(port)]);
      expect(await run.exited).toBe(1);
      expect(run.stderr()).toContain(`vitrine: port ${port} on 127.0.0.1 is in use (another server?); choose another with --port`);
      expect(run.stderr()).not.toMatch(STACK_LINE);
    } finally {
      await new Promise((r) => taken.close(r));
    }
  });

  it('a syntax error: exit 1 with the file, line and a caret, no stack trace', async () => {
    await writeFile(join(project, 'broken.ts'), `import { Interface, Textbox } from 'vitrine';\nexport default Interface({ fn: (t: string) => t, inputs: Textbox(, outputs: Textbox() });\n`);
    const run = vitrine(['serve', 'broken.ts']);
    expect(await run.exited).toBe(1);
    expect(run.stderr()).toMatch(/^vitrine: the app has a syntax error at broken\.ts:2\n/);
    expect(run.stderr()).toContain('inputs: Textbox(, outputs');
    expect(run.stderr()).toMatch(/^\s+\^/m);
    expect(run.stderr()).not.toMatch(STACK_LINE);
  });

  it('a mistake on the command line: exit 2 with the usage', async () => {
    const run = vitrine(['serve', 'app.ts', '--port', 'eighty']);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toContain('vitrine: --port must be a number from 0 to 65535; got "eighty"');
    expect(run.stderr()).toContain('Usage: vitrine serve <module>...');
  });
});

describe('vitrine openapi', () => {
  it('prints the OpenAPI document of the module, or writes it to --out', async () => {
    const run = vitrine(['openapi', 'app.ts']);
    expect(await run.exited).toBe(0);
    const doc = JSON.parse(run.stdout()) as { openapi: string; info: { title: string }; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('Shout');
    expect(Object.keys(doc.paths)).toContain('/api/predict');

    const written = vitrine(['openapi', 'echo/app.ts', '--out', 'echo.json']);
    expect(await written.exited).toBe(0);
    expect(written.stdout()).toBe('');
    expect((JSON.parse(await readFile(join(project, 'echo.json'), 'utf8')) as { info: { title: string } }).info.title).toBe('Echo');
  });
});

describe('vitrine serve --reload', () => {
  it('restarts for what the app loads, not for the rest of the folder; the port never refuses; a banner shows a broken app; pages reload', async () => {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    await mkdir(join(project, 'live'), { recursive: true });
    const at = (name: string) => join(project, 'live', name);
    // The app imports words.ts and reads suffix.json in its function: both are the app's.
    const liveApp = (title: string, extra = '') => `import { readFileSync } from 'node:fs';
import { Interface, Textbox } from 'vitrine';
import { shout } from './words.ts';

export default Interface({
  fn: (text: string) => {
    if (text === 'throw') throw new Error('the words ran out');
    return shout(text) + JSON.parse(readFileSync(new URL('./suffix.json', import.meta.url), 'utf8'));
  },
  inputs: Textbox(),
  outputs: Textbox(),
  title: ${JSON.stringify(title)},
  workers: 1,
});
${extra}`;
    // As editors that save atomically do: a new file renamed over the old one.
    const save = async (name: string, text: string) => {
      await writeFile(at(`.${name}.tmp`), text);
      await rename(at(`.${name}.tmp`), at(name));
    };
    await save('app.ts', liveApp('Version 1'));
    await save('words.ts', 'export const shout = (t: string) => t.toUpperCase();\n');
    await save('suffix.json', '"!"');
    const titleIs = (title: string) => async () => (await get(`${origin}/api/config`)).body.includes(`"title":${JSON.stringify(title)}`);
    const predict = (text: string) => post(`${origin}/api/predict`, { textbox: text });
    const restarts = () => run.stderr().split('\n').filter((l) => l.endsWith('changed; restarting'));

    const run = vitrine(['serve', 'live/app.ts', '--port', String(port), '--reload']);
    const browser = await launchChromium();
    try {
      await until('version 1', titleIs('Version 1'), run);
      expect(run.stdout()).toContain(`vitrine: live/app.ts at ${origin}/ (reloading on changes)\n`);
      const page = browser.context.pages()[0] ?? (await browser.context.newPage());
      await page.goto(`${origin}/`);
      // The page came with the live-reload script, which knows which server it came from.
      expect(await page.title()).toBe('Version 1');
      expect(await page.locator('script[src^="/__vitrine/live-reload.js?server="]').count()).toBe(1);
      await expect(predict('hi')).resolves.toEqual({ textbox: 'HI!' });
      // A development server: an app's error comes with its message and its frame.
      expect(await predict('throw')).toMatchObject({ error: 'APP_ERROR', detail: expect.stringMatching(/^Error: the words ran out\n\s+at .*live\/app\.ts:\d+:\d+/) });

      // Files the app neither imports nor reads: no restart.
      await save('call.ts', 'console.log(1);\n');
      await writeFile(join(project, 'package-lock.json'), '{}');
      await save('notes.md', 'hello');
      await new Promise((r) => setTimeout(r, 1000));
      expect(restarts()).toEqual([]);

      // An imported module: a restart, during which every request is answered (never refused).
      const answers: number[] = [];
      let hammering = true;
      const hammer = (async () => {
        while (hammering) answers.push(await fetch(`${origin}/api/config`).then((r) => r.status, () => 0));
      })();
      await save('words.ts', 'export const shout = (t: string) => t.toUpperCase() + t.toUpperCase();\n');
      await until('the new words', async () => JSON.stringify(await predict('hi')) === '{"textbox":"HIHI!"}', run);
      hammering = false;
      await hammer;
      expect(restarts()).toEqual([`vitrine: live${sep}words.ts changed; restarting`]);
      expect(answers.length).toBeGreaterThan(0);
      expect(answers.filter((status) => status !== 200)).toEqual([]);

      // A data file in the app's folder: a restart too.
      await save('suffix.json', '"?"');
      await until('the new suffix', async () => JSON.stringify(await predict('hi')) === '{"textbox":"HIHI?"}', run);

      await save('app.ts', liveApp('Version 2'));
      await until('the page reloading itself', async () => (await page.title()) === 'Version 2');

      // A syntax error: the terminal and a banner on the open page say where; the last good server still answers.
      await save('app.ts', liveApp('Version 3', 'export const broken = (;\n'));
      await until('the syntax error shown', () => run.stderr().includes('vitrine: the app has a syntax error at live/app.ts:'), run);
      expect(run.stderr()).not.toMatch(STACK_LINE);
      const banner = page.locator('#vitrine-reload-banner');
      await until('the banner', async () => ((await banner.textContent().catch(() => '')) ?? '').includes('syntax error at live/app.ts:'));
      expect(await banner.textContent()).toContain('The app failed to load. Fix it and save');
      await expect(predict('ok')).resolves.toEqual({ textbox: 'OKOK?' });

      await save('app.ts', liveApp('Version 3'));
      await until('the page reloading itself once fixed', async () => (await page.title()) === 'Version 3');
      expect(await banner.count()).toBe(0);
    } finally {
      await browser.close();
      expect(await stop(run)).toBe(0);
    }
    // The server the watcher started went down with it.
    expect((await get(`${origin}/healthz`)).status).toBe(0);
  }, 300_000);
});
