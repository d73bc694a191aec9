// Lint rules: typescript-eslint's recommended set; warnings fail `npm run lint`.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'coverage/**', 'test-artifacts/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // CLI entry points, benchmarks and training print to the terminal by design.
    files: ['scripts/**', 'training/**', 'server.ts', 'tests/**', 'framework/cli.ts', 'framework/cli/main.ts'],
    rules: { 'no-console': 'off' },
  },
);
