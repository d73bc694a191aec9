/** The `vitrine` command line: its commands, their options and the help text (parsed with node:util's parseArgs). */
import { basename, dirname, extname, resolve } from 'node:path';
import { parseArgs } from 'node:util';

export const USAGE = `Usage: vitrine serve <module>... [--port N] [--host H] [--reload]
       vitrine openapi <module> [--out FILE]

Commands:
  serve     serves each module's Interface: the first at /, the others at /<name>, where
            <name> is the module's folder for app.ts, index.ts or main.ts, else its file
            name. Write /path=<module> to choose, <module>#name for a named export.
  openapi   prints the OpenAPI 3.1 document of a module's Interface (or writes it to --out)

Options:
  --port N      port to listen on (default: $PORT, else 7860)
  --host H      address to listen on (default: $HOST, else 127.0.0.1)
  --reload      restart when a file the apps import changes; open pages reload themselves
  --out FILE    where openapi writes the document (default: standard output)
  -h, --help    this help
  -v, --version the version of vitrine`;

/** A mistake in the command line: the message, then the usage, and exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** One module to serve, as written on the command line and as resolved. */
export interface MountArg {
  /** Where it is mounted: '/' or '/name'. */
  prefix: string;
  /** Absolute path of the module. */
  module: string;
  exportName: string;
  /** The argument as typed, for messages. */
  arg: string;
}

export type Command =
  | { name: 'serve'; mounts: MountArg[]; port: number | undefined; host: string | undefined; reload: boolean; liveReload: boolean }
  | { name: 'openapi'; mount: MountArg; out: string | undefined }
  | { name: 'help' }
  | { name: 'version' };

/**
 * Reads the command line (without `node` and the script).
 *
 * @example
 * parseCommand(['serve', 'app.ts', '--port', '8080']);
 * // { name: 'serve', mounts: [{ prefix: '/', module: '/home/me/demo/app.ts', … }], port: 8080, … }
 */
export function parseCommand(argv: string[], cwd = process.cwd()): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        reload: { type: 'boolean', default: false },
        // Set by `--reload` on the server it restarts: pages get the live-reload script.
        'live-reload': { type: 'boolean', default: false },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message.split('. ')[0]! : String(err));
  }
  const { values, positionals } = parsed;
  if (values.help) return { name: 'help' };
  if (values.version) return { name: 'version' };
  const [command, ...modules] = positionals;
  if (command === undefined) return { name: 'help' };
  if (command === 'serve') {
    if (values.out !== undefined) throw new UsageError('--out is an option of openapi, not serve');
    if (modules.length === 0) throw new UsageError('serve needs at least one module, e.g. vitrine serve app.ts');
    const port = values.port === undefined ? undefined : parsePort(values.port);
    if (values.reload && port === 0) throw new UsageError('--reload keeps the port across restarts: give one other than 0');
    return { name: 'serve', mounts: mountArgs(modules, cwd), port, host: values.host, reload: values.reload, liveReload: values['live-reload'] };
  }
  if (command === 'openapi') {
    if (modules.length !== 1) throw new UsageError('openapi takes exactly one module, e.g. vitrine openapi app.ts');
    for (const option of ['port', 'host'] as const) if (values[option] !== undefined) throw new UsageError(`--${option} is an option of serve, not openapi`);
    if (values.reload) throw new UsageError('--reload is an option of serve, not openapi');
    return { name: 'openapi', mount: mountArgs(modules, cwd)[0]!, out: values.out };
  }
  throw new UsageError(`unknown command "${command}"; the commands are serve and openapi`);
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) throw new UsageError(`--port must be a number from 0 to 65535; got "${text}"`);
  return port;
}

/** File names that say nothing about the app, so its folder names it instead. */
const GENERIC_NAMES = new Set(['app', 'index', 'main']);

/**
 * `[/prefix=]path[#export]` → where each module is mounted. The first without a prefix gets `/`;
 * the others are named after their module, and two apps at one path are refused.
 *
 * @example
 * mountArgs(['apps/fashion-mnist/app.ts', 'apps/image-effects/app.ts'], '/repo');
 * // prefixes '/' and '/image-effects'
 */
export function mountArgs(args: string[], cwd: string): MountArg[] {
  const taken = new Map<string, string>();
  let rootFree = !args.some((arg) => /^\/[^=]*=/.test(arg) && normalisePrefix(arg.slice(0, arg.indexOf('='))) === '/');
  return args.map((arg) => {
    const explicit = /^(\/[^=]*)=(.+)$/.exec(arg);
    const spec = explicit ? explicit[2]! : arg;
    const hash = spec.lastIndexOf('#');
    const path = hash > 0 ? spec.slice(0, hash) : spec;
    const exportName = hash > 0 ? spec.slice(hash + 1) : 'default';
    if (path === '' || exportName === '') throw new UsageError(`"${arg}" is not a module: write path/to/app.ts, /prefix=path/to/app.ts or path/to/app.ts#exportName`);
    const module = resolve(cwd, path);
    let prefix: string;
    if (explicit) prefix = normalisePrefix(explicit[1]!);
    else if (rootFree) {
      prefix = '/';
      rootFree = false;
    } else prefix = `/${appName(module)}`;
    const other = taken.get(prefix);
    if (other !== undefined) throw new UsageError(`"${other}" and "${arg}" would both be served at ${prefix}; choose with /path=${path}`);
    taken.set(prefix, arg);
    return { prefix, module, exportName, arg };
  });
}

function appName(module: string): string {
  const stem = basename(module, extname(module));
  const name = GENERIC_NAMES.has(stem) ? basename(dirname(module)) : stem;
  return name.replace(/[^A-Za-z0-9._~-]+/g, '-');
}

function normalisePrefix(prefix: string): string {
  const trimmed = `/${prefix.replace(/^\/+|\/+$/g, '')}`;
  if (!/^\/[A-Za-z0-9._~-]*(\/[A-Za-z0-9._~-]+)*$/.test(trimmed)) throw new UsageError(`"${prefix}" is not a path to serve at: use letters, digits, . _ ~ - and /`);
  return trimmed;
}
