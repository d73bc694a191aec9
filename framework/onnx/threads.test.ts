/** The intra-op thread budget: cores shared out among the pool's sessions, never below one. */
import { describe, expect, it } from 'vitest';
import { chooseIntraOpThreads, THREADS_ENV } from './threads.ts';

describe('chooseIntraOpThreads', () => {
  it('shares the cores among the workers, rounding down and never below 1', () => {
    expect(chooseIntraOpThreads({ cores: 2, poolWorkers: 2 }, {})).toBe(1);
    expect(chooseIntraOpThreads({ cores: 8, poolWorkers: 2 }, {})).toBe(4);
    expect(chooseIntraOpThreads({ cores: 8, poolWorkers: 3 }, {})).toBe(2);
    expect(chooseIntraOpThreads({ cores: 2, poolWorkers: 4 }, {})).toBe(1);
  });

  it('gives a thread alone in the process all the cores', () => {
    expect(chooseIntraOpThreads({ cores: 4, poolWorkers: 1 }, {})).toBe(4);
  });

  it('defaults to this thread being the only one in the main thread (where vitest runs tests)', () => {
    expect(chooseIntraOpThreads({ cores: 6 }, {})).toBe(6);
  });

  it('takes an explicit choice, and the environment variable over everything', () => {
    expect(chooseIntraOpThreads({ cores: 2, poolWorkers: 2, threads: 3 }, {})).toBe(3);
    expect(chooseIntraOpThreads({ cores: 2, threads: 3 }, { [THREADS_ENV]: '2' })).toBe(2);
  });

  it('refuses a malformed environment variable with its name', () => {
    expect(() => chooseIntraOpThreads({}, { [THREADS_ENV]: 'two' })).toThrow(/VITRINE_ORT_THREADS must be a whole number/);
    expect(() => chooseIntraOpThreads({}, { [THREADS_ENV]: '0' })).toThrow(/≥ 1/);
  });
});
