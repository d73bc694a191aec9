/** The development detail of an app's error: its message, its own frames, short paths; and when it is on. */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { appErrorDetail, isDevelopment } from './dev-errors.ts';

const FRAMEWORK_FILE = fileURLToPath(new URL('../runtime/execute.ts', import.meta.url));

describe('appErrorDetail', () => {
  it("keeps the message and the app's frames, drops Node's, the framework's and installed packages'", () => {
    const stack = [
      'TypeError: cannot read "width"',
      '  of undefined',
      '    at resize (file:///home/me/demo/lib/resize.ts:12:7)',
      `    at run (${FRAMEWORK_FILE}:40:3)`,
      '    at classify (/home/me/demo/app.ts:5:10)',
      '    at Object.sharp (/home/me/demo/node_modules/sharp/lib/index.js:1:1)',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:105:5)',
    ].join('\n');
    expect(appErrorDetail(stack, '/home/me/demo')).toBe(
      ['TypeError: cannot read "width"', '  of undefined', '    at resize (lib/resize.ts:12:7)', '    at classify (app.ts:5:10)'].join('\n'),
    );
  });

  it('a value thrown without a stack is its text; a huge message is cut', () => {
    expect(appErrorDetail('out of cheese', '/x')).toBe('out of cheese');
    expect(appErrorDetail(`Error: ${'x'.repeat(5000)}`, '/x')).toHaveLength(2001);
  });
});

describe('isDevelopment', () => {
  it('the option wins; without it, NODE_ENV=development', () => {
    expect(isDevelopment(true, {})).toBe(true);
    expect(isDevelopment(false, { NODE_ENV: 'development' })).toBe(false);
    expect(isDevelopment(undefined, { NODE_ENV: 'development' })).toBe(true);
    expect(isDevelopment(undefined, { NODE_ENV: 'production' })).toBe(false);
    expect(isDevelopment(undefined, {})).toBe(false);
  });
});
