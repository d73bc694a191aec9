/** Development error details: an app's own message and stack frames, for the 500 body and the page; production answers never carry them. */
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The framework's own folder (framework/ in a checkout, dist/framework/ installed): its frames are not the app's. */
const FRAMEWORK_DIR = fileURLToPath(new URL('..', import.meta.url));

/** Enough of a trace to find the line; an app's message is cut here too (a huge tensor dump helps nobody). */
const MAX_FRAMES = 8;
const MAX_MESSAGE_CHARS = 2000;

/**
 * Whether answers carry development details: `serve({ development })` when given, else
 * `NODE_ENV=development` (`vitrine serve --reload` sets the option).
 *
 * @example
 * isDevelopment(undefined, { NODE_ENV: 'development' }); // true
 */
export function isDevelopment(option: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  return option ?? env.NODE_ENV === 'development';
}

/**
 * The message of a thrown error's stack and the frames in the app's own files (not Node's, not
 * the framework's, not installed packages'), paths relative to `cwd` when they are under it.
 *
 * @example
 * appErrorDetail('Error: no model\n    at load (file:///home/me/demo/app.ts:4:9)\n    at node:internal/x:1:1', '/home/me/demo');
 * // 'Error: no model\n    at load (app.ts:4:9)'
 */
export function appErrorDetail(stack: string, cwd: string = process.cwd()): string {
  const lines = stack.split('\n');
  const firstFrame = lines.findIndex((line) => /^\s+at /.test(line));
  const message = (firstFrame === -1 ? lines : lines.slice(0, firstFrame)).join('\n');
  const frames = firstFrame === -1 ? [] : lines.slice(firstFrame).filter(isAppFrame).slice(0, MAX_FRAMES);
  const shown = message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS)}…` : message;
  return [shown, ...frames.map((frame) => shortenPaths(frame, cwd))].join('\n');
}

function isAppFrame(line: string): boolean {
  // The location follows "(" or "at " and is an absolute path or file: URL (not node:internal/…).
  const m = /(?:\(|at )((?:file:\/\/)?\/[^():]+):\d+:\d+\)?\s*$/.exec(line);
  if (!m) return false;
  const file = m[1]!.startsWith('file:') ? fileURLToPath(m[1]!) : m[1]!;
  return !file.startsWith(FRAMEWORK_DIR) && !file.includes(`${sep}node_modules${sep}`);
}

function shortenPaths(frame: string, cwd: string): string {
  return frame.replace(/((?:file:\/\/)?\/[^():]+)(?=:\d+:\d+)/, (where) => {
    const file = where.startsWith('file:') ? fileURLToPath(where) : where;
    return file.startsWith(cwd + sep) ? relative(cwd, file) : file;
  });
}
