/** `vitrine build <module>... --out DIR`: the static site of the modules' Interfaces (framework/static/build.ts); its own flags, so the command table in args.ts stays as it is. */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { mountArgs, UsageError } from './args.ts';

export const BUILD_USAGE = `Usage: vitrine build <module>... --out DIR

Writes a static site that runs each module's Interface in the visitor's browser (a Web Worker,
ONNX Runtime Web): the first app at DIR/, the others at DIR/<name>/, named as serve names them.
Any static file server serves DIR; its README.md makes it a static Hugging Face Space.

Options:
  --out DIR     the site's folder (required; an earlier build there is replaced)
  -h, --help    this help`;

/**
 * Runs the build command and returns the exit code: 0 built, 2 for a usage mistake or an app that
 * cannot run in a browser (one line naming the import), 1 for any other failure.
 *
 * @example
 * process.exitCode = await runBuild(['apps/fashion-mnist/app.ts', '--out', 'site'], console.log, console.error);
 */
export async function runBuild(argv: string[], out: (line: string) => void, err: (line: string) => void, cwd = process.cwd()): Promise<number> {
  let mounts;
  let dir: string;
  try {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
    if (values.help) {
      out(BUILD_USAGE);
      return 0;
    }
    if (positionals.length === 0) throw new UsageError('build needs at least one module');
    if (!values.out) throw new UsageError('build needs --out DIR');
    mounts = mountArgs(positionals, cwd);
    dir = resolve(cwd, values.out);
  } catch (e) {
    const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
    err(`vitrine build: ${message}\n\n${BUILD_USAGE}`);
    return 2;
  }
  const { buildStaticSite, NotForBrowserError } = await import('../static/build.ts');
  try {
    const result = await buildStaticSite({ mounts, out: dir, log: (line) => out(line) });
    out(`wrote ${result.files.length} files to ${result.out}; serve the folder with any static file server`);
    return 0;
  } catch (e) {
    err(`vitrine build: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    return e instanceof NotForBrowserError ? 2 : 1;
  }
}
