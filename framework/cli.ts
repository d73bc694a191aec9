#!/usr/bin/env node
/** The `vitrine` command (package.json `bin`): checks the Node version first, then loads the command (cli/main.ts). */

/**
 * The oldest Node that runs Vitrine: 22.18 strips TypeScript types without a flag. This file may
 * import nothing and use no syntax or API newer than Node 18, so an old Node reaches the message
 * below instead of a SyntaxError about an export it lacks (`getCompileCacheDir` of node:module).
 */
const NEEDED: readonly [number, number] = [22, 18];

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < NEEDED[0] || (major === NEEDED[0] && minor < NEEDED[1])) {
  process.stderr.write(
    `vitrine: needs Node.js ${NEEDED.join('.')} or newer, found ${process.versions.node} (${process.execPath}); ` +
      `run \`npm i -D node@24\` in this project (npx and npm scripts then use it) or install Node 24 from https://nodejs.org\n`,
  );
  process.exitCode = 2;
} else {
  await import('./cli/main.ts');
}

// A module (for the top-level await above), though it exports nothing.
export {};
