/** `vitrine serve --reload`: keeps the address (reload-front.ts) and replaces the child server that runs the apps whenever a file they load changes. */

// The child reports its module graph from every thread (module-graph.ts); a model file in an app's
// folder counts by its extension; the old server answers until the new one is ready.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { basename, dirname, extname, isAbsolute, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { MountArg } from './args.ts';
import type { ModulesMessage } from './module-graph.ts';
import { ReloadFront } from './reload-front.ts';
import { FolderWatcher } from './watch.ts';

const EXT = extname(fileURLToPath(import.meta.url));
/** The command's own entry (cli.ts in a checkout, cli.js installed), which each server runs. */
const CLI_ENTRY = fileURLToPath(new URL(`../cli${EXT}`, import.meta.url));
const MODULE_GRAPH = pathToFileURL(fileURLToPath(new URL(`./module-graph${EXT}`, import.meta.url))).href;

/** Files an app reads rather than imports (its model, labels, weights): a change restarts too. */
const DATA_EXTENSIONS = new Set(['.onnx', '.json', '.bin', '.txt', '.csv']);
/** In an app's folder but not the app's: npm's and the compiler's files. */
const NOT_DATA = new Set(['package.json', 'package-lock.json', 'tsconfig.json', 'jsconfig.json']);

/** Editors write a file in several steps; one restart covers them all. */
const SETTLE_MS = 100;
/** The error lines a page's banner shows. */
const ERROR_LINES = 12;

/** What a server child tells the supervisor: the files it loaded, and when it listens. */
type ChildMessage = ModulesMessage | { type: 'ready'; port: number };

/** What `--reload` serves. */
export interface ReloadCommand {
  mounts: MountArg[];
  port: number | undefined;
  host: string | undefined;
  mcp: boolean;
}

/** One server child: its id (which its pages carry) and what it wrote to stderr, for the banner. */
interface ServerChild {
  id: string;
  process: ChildProcess;
  stderr: string;
  ready: boolean;
}

/**
 * Listens on the command's address, runs the apps in a child server and replaces it on every
 * change; resolves with the exit code once SIGINT, SIGTERM or SIGHUP has stopped it all.
 *
 * @example
 * process.exitCode = await superviseReload(command, console.log, console.error);
 */
export async function superviseReload(cmd: ReloadCommand, say: (line: string) => void, complain: (line: string) => void): Promise<number> {
  const front = new ReloadFront();
  const origin = await front.listen(cmd.port ?? Number(process.env.PORT ?? 7860), cmd.host ?? process.env.HOST ?? '127.0.0.1');
  const appFolders = [...new Set(cmd.mounts.map((m) => dirname(m.module)))];
  /** The files the servers have loaded so far (never forgotten: a broken import still counts). */
  const graph = new Set(cmd.mounts.map((m) => m.module));
  let serving: ServerChild | undefined;
  let starting: ServerChild | undefined;
  let stopping = false;
  let settle: NodeJS.Timeout | undefined;
  let changed = '';

  const matters = (path: string) => graph.has(path) || isDataFile(path, appFolders);
  const watcher = new FolderWatcher((path) => {
    if (stopping || !matters(path)) return;
    changed = path;
    clearTimeout(settle);
    settle = setTimeout(restart, SETTLE_MS);
  });
  await Promise.all(appFolders.map((f) => watcher.addTree(f)));

  const start = () => {
    const child: ServerChild = { id: randomUUID(), process: undefined as unknown as ChildProcess, stderr: '', ready: false };
    const args = ['serve', ...cmd.mounts.map((m) => m.arg), '--live-reload', '--port', '0', '--host', '127.0.0.1', ...(cmd.mcp ? ['--mcp'] : [])];
    // Its own process group: Ctrl+C in the terminal reaches this process alone, which passes it on once.
    child.process = spawn(process.execPath, [...process.execArgv, `--import=${MODULE_GRAPH}`, CLI_ENTRY, ...args], {
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      detached: true,
      env: { ...process.env, VITRINE_RELOAD_ID: child.id },
    });
    child.process.stderr!.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      if (child.stderr.length < 16_384) child.stderr += chunk.toString();
    });
    child.process.on('message', (message: ChildMessage) => {
      if (message.type === 'modules') {
        for (const file of message.files) {
          if (graph.has(file)) continue;
          graph.add(file);
          if (!appFolders.some((f) => file.startsWith(f + sep))) void watcher.addFolder(dirname(file));
        }
      } else if (message.type === 'ready') {
        child.ready = true;
        const old = serving;
        serving = child;
        if (starting === child) starting = undefined;
        front.ready(message.port, child.id);
        old?.process.kill('SIGTERM');
      }
    });
    child.process.once('exit', (code, signal) => {
      front.gone(child.id);
      if (serving === child) serving = undefined;
      if (starting === child) starting = undefined;
      if (stopping) return void (!serving && !starting && finish(code ?? (signal === null ? 1 : 0)));
      // A server that was replaced exits with 0; one that could not load the apps, or crashed, says why.
      if (code !== 0 && signal === null && (child === serving || !child.ready)) {
        complain(`vitrine: the server stopped (exit code ${code}); waiting for a change to restart it`);
        front.failed(errorLines(child.stderr));
      }
    });
    return child;
  };
  const restart = () => {
    complain(`vitrine: ${relative(process.cwd(), changed) || changed} changed; restarting`);
    front.restarting(relative(process.cwd(), changed) || changed);
    // A server still starting for an older change is out of date already.
    starting?.process.kill('SIGTERM');
    starting = start();
  };

  let finish!: (code: number) => void;
  const done = new Promise<number>((resolveCode) => (finish = resolveCode));
  const stop = () => {
    if (stopping) return;
    stopping = true;
    clearTimeout(settle);
    watcher.close();
    void front.close();
    const children = [serving, starting].filter((c) => c !== undefined);
    // serve() drains on SIGTERM; the exit handler above resolves once the last one is gone.
    for (const c of children) c.process.kill('SIGTERM');
    if (children.length === 0) finish(0);
  };
  // A closed terminal (SIGHUP) stops the server too: in its own process group it would not hear it.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, stop);
  // And whatever ends this process, no server outlives it.
  process.once('exit', () => {
    serving?.process.kill('SIGTERM');
    starting?.process.kill('SIGTERM');
  });
  for (const m of cmd.mounts) {
    const url = `${origin}${m.prefix === '/' ? '/' : `${m.prefix}/`}`;
    say(`vitrine: ${shortPath(m.module)} at ${url} (reloading on changes${cmd.mcp ? `; MCP: ${url}gradio_api/mcp/` : ''})`);
  }
  starting = start();
  return done;
}

/** A model, labels or weights file in an app's folder (not in a hidden folder, installed packages or build output). */
function isDataFile(path: string, appFolders: string[]): boolean {
  if (!DATA_EXTENSIONS.has(extname(path)) || NOT_DATA.has(basename(path))) return false;
  return appFolders.some((folder) => {
    const inside = relative(folder, path);
    return !inside.startsWith('..') && !isAbsolute(inside) && inside.split(sep).every((part) => !part.startsWith('.') && part !== 'node_modules' && part !== 'dist');
  });
}

/** The first lines of what a failed server wrote, without its JSON log lines, for the banner. */
function errorLines(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('{'));
  return (lines.slice(0, ERROR_LINES).join('\n') || 'the server stopped before it listened').replace(/^vitrine: /, '');
}

function shortPath(path: string): string {
  return path.startsWith(process.cwd() + sep) ? relative(process.cwd(), path) : path;
}
