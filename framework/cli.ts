#!/usr/bin/env node
/** The `vitrine` command (package.json `bin`): `vitrine serve <module>...` and `vitrine openapi <module>`; see cli/args.ts. */
import { readFileSync } from 'node:fs';
import { findPackageJSON } from 'node:module';
import { dirname } from 'node:path';
import { USAGE, UsageError, parseCommand } from './cli/args.ts';
import { explainStartError } from './cli/explain.ts';

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'build') return (await import('./cli/build.ts')).runBuild(argv.slice(1), (line) => console.log(line), (line) => console.error(line));
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
        const { openApiDocument } = await import('./cli/openapi.ts');
        const json = await openApiDocument(command.mount, command.out);
        if (command.out === undefined) process.stdout.write(json);
        return 0;
      }
      case 'serve': {
        if (command.reload) {
          const { superviseReload } = await import('./cli/reload.ts');
          const folders = [...new Set(command.mounts.map((m) => dirname(m.module)))];
          return await superviseReload(argv, folders, (line) => console.error(line));
        }
        const { serveApps } = await import('./cli/serve.ts');
        await serveApps(command, (line) => console.log(line));
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
