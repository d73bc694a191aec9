/** The `vitrine` command line: its commands, their options and the help text (parsed with node:util's parseArgs). */
import { basename, dirname, extname, resolve } from 'node:path';
import { parseArgs } from 'node:util';

export const USAGE = `Usage: vitrine serve <module>... [--port N] [--host H] [--reload] [--mcp]
       vitrine onnx <model.onnx> [--labels FILE] [--mean M] [--std S] [--top-k K] [--title T] [--size HxW] [--port N] [--host H] [--mcp]
       vitrine openapi <module> [--out FILE]
       vitrine build <module>... --out DIR

Commands:
  serve     serves each module's Interface: the first at /, the others at /<name>, where
            <name> is the module's folder for app.ts, index.ts or main.ts, else its file
            name. Write /path=<module> to choose, <module>#name for a named export.
  onnx      serves an ONNX image classifier (Image → Label) with no code: the input layout
            (NCHW or NHWC, 1 or 3 channels, height and width) is read from the model
  openapi   prints the OpenAPI 3.1 document of a module's Interface (or writes it to --out)
  build     writes a static site (page, apps compiled for the browser, models, ONNX Runtime
            Web) whose predictions run in the visitor's browser; any static host serves it

Options:
  --port N      port to listen on (default: $PORT, else 7860)
  --host H      address to listen on (default: $HOST, else 127.0.0.1)
  --reload      restart when a file the apps import changes; open pages reload themselves
  --mcp         also serve each app as an MCP server at <app>/gradio_api/mcp/
  --out FILE    where openapi writes the document (default: standard output)
  -h, --help    this help
  -v, --version the version of vitrine

Options of onnx:
  --labels FILE class names: a JSON array or one per line (default: the model's vitrine.labels metadata)
  --mean M      subtracted from pixels scaled to [0, 1]: one value or one per channel, e.g. 0.485,0.456,0.406 (default: 0)
  --std S       then divided by: one value or one per channel (default: 1)
  --top-k K     classes shown (default: 3)
  --title T     page title (default: the model's file name)
  --size HxW    picture size, for a model whose height and width are symbolic`;

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
  /** What the "at http://…" line calls it (default: the module's path). */
  shownAs?: string;
}

/** `vitrine onnx`'s model and how its pictures are prepared; everything but the model has a default. */
export interface OnnxArgs {
  model: string;
  labels?: string;
  mean?: number[];
  std?: number[];
  topK?: number;
  title?: string;
  size?: [number, number];
}

export type Command =
  | { name: 'serve'; mounts: MountArg[]; port: number | undefined; host: string | undefined; reload: boolean; liveReload: boolean; mcp: boolean }
  | { name: 'onnx'; classifier: OnnxArgs; port: number | undefined; host: string | undefined; mcp: boolean }
  | { name: 'openapi'; mount: MountArg; out: string | undefined }
  | { name: 'help' }
  | { name: 'version' };

/** Which command takes which option (help and version are taken everywhere). */
const OPTIONS_OF = {
  serve: ['port', 'host', 'reload', 'live-reload', 'mcp'],
  onnx: ['port', 'host', 'mcp', 'labels', 'mean', 'std', 'top-k', 'title', 'size'],
  openapi: ['out'],
} as const;

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
        reload: { type: 'boolean' },
        // Set by `--reload` on the server it restarts: pages get the live-reload script.
        'live-reload': { type: 'boolean' },
        mcp: { type: 'boolean' },
        out: { type: 'string' },
        labels: { type: 'string' },
        mean: { type: 'string' },
        std: { type: 'string' },
        'top-k': { type: 'string' },
        title: { type: 'string' },
        size: { type: 'string' },
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
  const [command, ...args] = positionals;
  if (command === undefined) return { name: 'help' };
  if (!(command in OPTIONS_OF)) throw new UsageError(`unknown command "${command}"; the commands are serve, onnx and openapi`);
  const takes: readonly string[] = OPTIONS_OF[command as keyof typeof OPTIONS_OF];
  for (const option of Object.keys(values)) {
    if (option === 'help' || option === 'version' || takes.includes(option)) continue;
    const owners = Object.entries(OPTIONS_OF).filter(([, list]) => (list as readonly string[]).includes(option)).map(([name]) => name);
    throw new UsageError(`--${option} is an option of ${owners.join(' and ')}, not ${command}`);
  }
  const port = values.port === undefined ? undefined : parsePort(values.port);
  const mcp = values.mcp ?? false;
  if (command === 'serve') {
    if (args.length === 0) throw new UsageError('serve needs at least one module, e.g. vitrine serve app.ts');
    const reload = values.reload ?? false;
    if (reload && port === 0) throw new UsageError('--reload keeps the port across restarts: give one other than 0');
    return { name: 'serve', mounts: mountArgs(args, cwd), port, host: values.host, reload, liveReload: values['live-reload'] ?? false, mcp };
  }
  if (command === 'onnx') {
    if (args.length !== 1) throw new UsageError(`onnx takes exactly one model file, e.g. vitrine onnx model.onnx --labels labels.json${args.length ? `; got ${args.join(' ')}` : ''}`);
    const classifier: OnnxArgs = { model: resolve(cwd, args[0]!) };
    if (values.labels !== undefined) classifier.labels = resolve(cwd, values.labels);
    if (values.mean !== undefined) classifier.mean = parseNumbers(values.mean, '--mean');
    if (values.std !== undefined) classifier.std = parseNumbers(values.std, '--std');
    if (values['top-k'] !== undefined) classifier.topK = parseWhole(values['top-k'], '--top-k');
    if (values.title !== undefined) classifier.title = values.title;
    if (values.size !== undefined) classifier.size = parseSize(values.size);
    return { name: 'onnx', classifier, port, host: values.host, mcp };
  }
  if (args.length !== 1) throw new UsageError('openapi takes exactly one module, e.g. vitrine openapi app.ts');
  return { name: 'openapi', mount: mountArgs(args, cwd)[0]!, out: values.out };
}

/** `0.485,0.456,0.406` or `0.5` → numbers. */
function parseNumbers(text: string, flag: string): number[] {
  const numbers = text.split(',').map((v) => (v.trim() === '' ? NaN : Number(v)));
  if (numbers.some((n) => !Number.isFinite(n))) throw new UsageError(`${flag} takes one number or one per channel, separated by commas; got "${text}"`);
  return numbers;
}

function parseWhole(text: string, flag: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`${flag} must be a whole number ≥ 1; got "${text}"`);
  return Number(text);
}

/** `224x224` or `224` → [height, width]. */
function parseSize(text: string): [number, number] {
  const m = /^(\d+)(?:x(\d+))?$/i.exec(text.trim());
  if (!m || Number(m[1]) < 1 || Number(m[2] ?? m[1]) < 1) throw new UsageError(`--size takes HEIGHTxWIDTH or one number; got "${text}"`);
  return [Number(m[1]), Number(m[2] ?? m[1])];
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
