/** `npm run build:ui`: bundles ui-components/ into dist/ui/vitrine.js (see framework/server/ui-build.ts). */
import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GZIP_BUDGET_BYTES, UI_BUNDLE, buildUi, isUiStale } from '../framework/server/ui-build.ts';

const root = resolve(import.meta.dirname, '..');

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help')) {
    console.log(
      'Usage: build-ui [--if-stale]\n' +
        '  --if-stale  skip the build when dist/ui/vitrine.js is newer than every file in ui-components/\n' +
        `Budget: ${kb(GZIP_BUDGET_BYTES)} gzipped; over budget exits 1 (only warns with --if-stale).`,
    );
    return;
  }
  const ifStale = argv.includes('--if-stale');
  if (ifStale && !(await isUiStale())) {
    console.log(`build:ui: ${relative(root, UI_BUNDLE)} is up to date`);
    return;
  }
  const started = performance.now();
  const { file, bytes, gzipBytes, elements } = await buildUi();
  const ms = Math.round(performance.now() - started);
  console.log(`build:ui: ${relative(root, file)} ${kb(bytes)} (page shell ${kb(gzipBytes)} gzipped, budget ${kb(GZIP_BUDGET_BYTES)}) in ${ms} ms`);
  const each = Object.entries(elements).map(([name, size]) => `${name} ${kb(size)}`);
  console.log(`build:ui: elements, loaded only by pages that show them (gzipped): ${each.join(', ')}`);
  if (gzipBytes > GZIP_BUDGET_BYTES) {
    console.error(`build:ui: the bundle is over its ${kb(GZIP_BUDGET_BYTES)} gzipped budget`);
    // `npm start` must still serve a page, so the stale-check path only warns.
    if (!ifStale) process.exitCode = 1;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error('build:ui failed:', err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
