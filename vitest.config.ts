import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The repository runs Vitrine from its TypeScript sources: `vitrine` and its subpaths resolve
  // through package.json's `vitrine-source` condition. Vitest passes these conditions on to its
  // test processes as `--conditions` flags, so worker threads the tests start resolve the same way.
  ssr: { resolve: { conditions: ['vitrine-source', ...defaultServerConditions] } },
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
