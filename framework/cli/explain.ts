/** Start-up failures as one clear message for the terminal: what went wrong and where in the app, never a stack trace. */
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NoInterfaceError } from '../server/import-interface.ts';

/** The framework's own folder (framework/ in a checkout, dist/framework/ installed): its frames are not the app's. */
const FRAMEWORK_DIR = fileURLToPath(new URL('..', import.meta.url));

/**
 * Explains an error thrown while starting: a module without an Interface, a port in use, a
 * syntax error (with the code frame Node gives), a missing module, or anything the app threw
 * while it was imported (with the first line of the app's own code in the trace).
 *
 * @example
 * explainStartError(err, process.cwd()); // 'port 7860 on 127.0.0.1 is in use (another server?); choose another with --port'
 */
export function explainStartError(err: unknown, cwd: string): string {
  const show = (where: string) => {
    const path = where.startsWith('file:') ? fileURLToPath(where.replace(/(:\d+)+$/, '')) + (/(:\d+)+$/.exec(where)?.[0] ?? '') : where;
    return path.startsWith(cwd + sep) ? relative(cwd, path) : path;
  };
  if (err instanceof NoInterfaceError) {
    const found =
      err.found.length > 0
        ? `; it exports ${err.found.map((n) => `"${n}"`).join(', ')}: serve ${show(err.module)}#${err.found[0]}`
        : `; export one: export default Interface({ fn, inputs, outputs })`;
    return `${show(err.module)} does not export an Interface as "${err.exportName}"${found}`;
  }
  const e = (err ?? {}) as { code?: unknown; port?: unknown; address?: unknown; syscall?: unknown; message?: unknown; stack?: unknown; name?: unknown };
  const message = typeof e.message === 'string' ? e.message : String(err);
  if (e.syscall === 'listen' && (e.code === 'EADDRINUSE' || e.code === 'EACCES' || e.code === 'EADDRNOTAVAIL')) {
    const where = `port ${String(e.port)} on ${String(e.address)}`;
    if (e.code === 'EADDRINUSE') return `${where} is in use (another server?); choose another with --port`;
    if (e.code === 'EACCES') return `${where} needs privileges this process does not have; choose a port above 1023 with --port`;
    return `${String(e.address)} is not an address of this machine; choose another with --host`;
  }
  const stack = typeof e.stack === 'string' ? e.stack : '';
  if (e.name === 'SyntaxError') {
    // For TypeScript, Node puts the file, the line and a caret above the message; plain JavaScript
    // syntax errors carry no location in the error object.
    const [location, ...code] = stack.split('\n\nSyntaxError')[0]!.split('\n');
    if (stack.includes('\n\nSyntaxError') && location) {
      return `the app has a syntax error at ${show(location)}\n${[...code, message].join('\n')}`;
    }
    return `the app (or a module it imports) has a syntax error: ${message}`;
  }
  if (e.code === 'ERR_MODULE_NOT_FOUND') {
    // The module named on the command line is missing (the framework imported it), or one it imports is.
    const named = /^Cannot find module '([^']+)' imported from (.+)$/.exec(message);
    if (named && named[2]!.startsWith(FRAMEWORK_DIR)) return `cannot find ${show(named[1]!)}`;
    return message;
  }
  if (e.code === 'ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING' || e.code === 'ERR_UNKNOWN_FILE_EXTENSION') return message;
  const at = firstAppFrame(stack);
  return `${message}${at ? `\n  at ${show(at)}` : ''}`;
}

/** The first `file:line:column` of the trace outside Node's internals and the framework: where the app threw. */
function firstAppFrame(stack: string): string | undefined {
  for (const line of stack.split('\n').slice(1)) {
    const m = /\(?((?:file:\/\/)?\/[^():]+):(\d+):(\d+)\)?\s*$/.exec(line.trim());
    if (!m) continue;
    const file = m[1]!.startsWith('file:') ? fileURLToPath(m[1]!) : m[1]!;
    if (file.startsWith(FRAMEWORK_DIR) || file.includes(`${sep}node_modules${sep}`)) continue;
    return `${file}:${m[2]}:${m[3]}`;
  }
  return undefined;
}
