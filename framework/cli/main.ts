/** The `vitrine` command once the Node version is known to be new enough (cli.ts checks it): reads the command line and runs it. */
import { readFileSync } from 'node:fs';
import { findPackageJSON } from 'node:module';
import { USAGE, UsageError, parseCommand } from './args.ts';
import { explainStartError } from './explain.ts';

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'build') return (await import('./build.ts')).runBuild(argv.slice(1), (line) => console.log(line), (line) => console.error(line));
  let command;
  try {
    command = parseCommand(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`vitrine: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  try {
    switch (command.name) {
      case 'help':
        console.log(USAGE);
        return 0;
      case 'version': {
        const pkg = JSON.parse(readFileSync(findPackageJSON(import.meta.url)!, 'utf8')) as { version: string };
        console.log(pkg.version);
        return 0;
      }
      case 'openapi': {
        const { openApiDocument } = await import('./openapi.ts');
        const json = await openApiDocument(command.mount, command.out);
        if (command.out === undefined) process.stdout.write(json);
        return 0;
      }
      case 'onnx': {
        const { serveOnnx } = await import('./onnx.ts');
        const { startedByLauncher, stopWithParent } = await import('./parent-watch.ts');
        if (startedByLauncher()) stopWithParent();
        return await serveOnnx(command, (line) => console.log(line), (line) => console.error(line));
      }
      case 'serve': {
        const { startedByLauncher, stopWithParent } = await import('./parent-watch.ts');
        if (startedByLauncher()) stopWithParent();
        if (command.reload) {
          const { superviseReload } = await import('./reload.ts');
          return await superviseReload(command, (line) => console.log(line), (line) => console.error(line));
        }
        const { serveApps } = await import('./serve.ts');
        // A server that `--reload` runs tells it its private port instead of printing an address.
        const supervisor = command.liveReload && process.send ? process.send.bind(process) : undefined;
        const port = await serveApps(command, supervisor ? () => {} : (line) => console.log(line));
        supervisor?.({ type: 'ready', port });
        // The server runs until SIGTERM or SIGINT; serve() then drains and closes it.
        return 0;
      }
    }
  } catch (err) {
    console.error(`vitrine: ${explainStartError(err, process.cwd())}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
