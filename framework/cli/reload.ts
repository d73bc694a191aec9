/**
 * `vitrine serve --reload`: runs the server in a child process and starts a new one, on the same
 * port, whenever a source file under an app's folder changes.
 *
 * Why not `node --watch`: on Linux it watches each imported file's inode, and an editor that saves
 * by writing a new file and renaming it over the old one (vim, JetBrains' safe write, `sed -i`)
 * leaves it watching a file that no longer exists — measured with Node 24: the first such save
 * restarted the server, the second was missed. Watching the folders instead sees every save.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { watch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The command's own entry (cli.ts in a checkout, cli.js installed), which each server runs. */
const CLI_ENTRY = fileURLToPath(new URL(`../cli${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

/** Files whose change restarts the server: modules and the JSON they may import. */
const SOURCE_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json']);

/** Folders never watched: installed packages, build output, and hidden ones (.git, editors' caches). */
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'coverage']);

/** Editors write a file in several steps; one restart covers them all. */
const SETTLE_MS = 100;

/**
 * Serves `argv` (without `--reload`, with `--live-reload`) in a child process, restarts it when a
 * source file under one of `folders` changes — a fixed syntax error included — and resolves with
 * the last server's exit code once SIGINT or SIGTERM has stopped it.
 *
 * @example
 * process.exitCode = await superviseReload(['serve', 'app.ts', '--reload'], ['/home/me/demo'], console.error);
 */
export async function superviseReload(argv: string[], folders: string[], say: (line: string) => void): Promise<number> {
  const args = [...process.execArgv, CLI_ENTRY, ...argv.filter((a) => a !== '--reload'), '--live-reload'];
  let child: ChildProcess | undefined;
  /** A restart is waiting for the old server to exit. */
  let replacing = false;
  let stopping = false;
  let lastCode = 0;
  let settle: NodeJS.Timeout | undefined;
  let changed = '';

  const start = () => {
    // Its own process group: Ctrl+C in the terminal reaches this process alone, which passes it on once.
    const server = spawn(process.execPath, args, { stdio: 'inherit', detached: true });
    child = server;
    server.once('exit', (code, signal) => {
      if (child === server) child = undefined;
      lastCode = code ?? (signal === null ? 1 : 0);
      if (!stopping && code !== null && code !== 0) say(`vitrine: the server stopped (exit code ${code}); waiting for a change to restart it`);
      if (stopping) finish(lastCode);
    });
  };
  const restart = () => {
    if (replacing) return;
    say(`vitrine: ${relative(process.cwd(), changed) || changed} changed; restarting`);
    const old = child;
    if (!old) return start();
    replacing = true;
    old.once('exit', () => {
      replacing = false;
      if (!stopping) start();
    });
    old.kill('SIGTERM');
  };
  const onChange = (path: string) => {
    changed = path;
    clearTimeout(settle);
    settle = setTimeout(restart, SETTLE_MS);
  };

  const watchers = await watchFolders(folders, onChange);
  let finish!: (code: number) => void;
  const done = new Promise<number>((resolveCode) => (finish = resolveCode));
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    clearTimeout(settle);
    for (const w of watchers.values()) w.close();
    // serve() drains on SIGINT and SIGTERM; SIGHUP would end the server at once.
    if (child) child.kill(signal === 'SIGHUP' ? 'SIGTERM' : signal);
    else finish(lastCode);
  };
  // A closed terminal (SIGHUP) stops the server too: in its own process group it would not hear it.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, stop);
  // And whatever ends this process, the server does not outlive it.
  process.once('exit', () => child?.kill('SIGTERM'));
  start();
  return done;
}

/**
 * Watches each folder and its subfolders one by one (a folder watch outlives the files renamed
 * into it; Node's recursive watch would descend into node_modules too), calling `onChange` with
 * the path of a source file that changed; new subfolders are watched as they appear.
 */
async function watchFolders(roots: string[], onChange: (path: string) => void): Promise<Map<string, FSWatcher>> {
  const watchers = new Map<string, FSWatcher>();
  const add = async (dir: string): Promise<void> => {
    if (watchers.has(dir) || !(await stat(dir).then((s) => s.isDirectory(), () => false))) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, (_event, name) => {
        if (name === null) return;
        const path = join(dir, name);
        if (SOURCE_EXTENSIONS.has(extname(name))) onChange(path);
        else if (!skipped(name)) void add(path); // perhaps a new subfolder
      });
    } catch {
      return; // gone already
    }
    watcher.on('error', () => {
      watcher.close();
      watchers.delete(dir);
    });
    watchers.set(dir, watcher);
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    await Promise.all(entries.filter((e) => e.isDirectory() && !skipped(e.name)).map((e) => add(join(dir, e.name))));
  };
  await Promise.all(roots.map(add));
  return watchers;
}

function skipped(name: string): boolean {
  return name.startsWith('.') || SKIPPED_FOLDERS.has(name);
}
