/** JSON: any JSON value in or out, nested at most `maxDepth` levels. */
import { z } from 'zod';
import { checkNumber, defineComponent, type CommonOptions } from './base.ts';
import { VitrineError } from '../errors.ts';

export interface JsonOptions extends CommonOptions {
  /** Deepest nesting accepted (default 32); deeper values are refused before they reach the app. */
  maxDepth?: number;
}

/** A JSON value as the function sees it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Free-form JSON. Depth is checked iteratively so a hostile, deeply nested body cannot exhaust the stack.
 *
 * @example
 * outputs: { details: JSON() }
 */
export function jsonComponent(options: JsonOptions = {}) {
  const maxDepth = checkNumber('JSON', 'maxDepth', options.maxDepth ?? 32, { min: 1, max: 1000, integer: true });
  const schema = z
    .custom<JsonValue>((v) => v !== undefined, { message: 'expected a JSON value' })
    .superRefine((v, ctx) => {
      const problem = jsonProblem(v, maxDepth);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .describe('Any JSON value');
  return defineComponent<'json', JsonValue>({
    kind: 'json',
    gradio: { name: 'JSON' },
    schema: schema as z.ZodType<JsonValue>,
    props: { maxDepth },
    options,
    exampleWire: { garment: 'sneaker', sizes: [38, 39, 40] },
    exampleValue: { garment: 'sneaker', sizes: [38, 39, 40] },
    // Any text is a valid JSON string, so the default (raw text first) would never parse an object.
    fromMultipart: function jsonFromMultipart(text, ctx): JsonValue {
      try {
        return JSON.parse(text) as JsonValue;
      } catch {
        throw new VitrineError('INVALID_INPUT', { field: ctx.field, reason: 'a multipart field for a JSON input must hold JSON text' });
      }
    },
  });
}

/** Why a value is not JSON of at most `maxDepth` levels, or null when it is fine. */
function jsonProblem(root: unknown, maxDepth: number): string | null {
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v === 'string' || typeof v === 'boolean') continue;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return 'numbers must be finite';
      continue;
    }
    if (typeof v !== 'object') return `a ${typeof v} is not JSON`;
    if (depth > maxDepth) return `nested deeper than ${maxDepth} levels`;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return null;
}
