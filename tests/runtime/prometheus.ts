/** A strict reader of Prometheus text format 0.0.4 for the tests: every line must be a comment or a well-formed sample. */
import { expect } from 'vitest';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE_LINE =
  /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*)\})? (-?(?:\d+(?:\.\d+)?(?:e[+-]?\d+)?|\+Inf|-Inf|NaN))$/;

/**
 * The sample lines of a text-format exposition, strictly: a line that is neither a comment nor a sample fails the test.
 *
 * @example
 * samplesOf('# TYPE x counter\nx{a="1"} 2\n'); // [{ name: 'x', labels: { a: '1' }, value: 2 }]
 */
export function samplesOf(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.trimEnd().split('\n')) {
    if (line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const m = SAMPLE_LINE.exec(line);
    expect(m, `not a sample line: ${line}`).not.toBeNull();
    const labels: Record<string, string> = {};
    for (const [, k, v] of m![2]?.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g) ?? []) {
      labels[k!] = v!.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    out.push({ name: m![1]!, labels, value: m![3] === '+Inf' ? Infinity : Number(m![3]) });
  }
  return out;
}

/**
 * The value of the first sample named `name` whose labels include `labels`.
 *
 * @example
 * sample(text, 'vitrine_requests_total', { app: '/', status: '200' }); // 48
 */
export function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  return samplesOf(text).find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

