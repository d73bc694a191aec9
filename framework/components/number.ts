/** Number: a numeric input or output with optional bounds. */
import { z } from 'zod';
import { checkNumber, defineComponent, type CommonOptions } from './base.ts';

export interface NumberOptions extends CommonOptions {
  min?: number;
  max?: number;
  step?: number;
  /** Value used when a request leaves the input out. */
  value?: number;
}

/**
 * A number input or output; `min`/`max` are enforced on the wire.
 *
 * @example
 * inputs: { threshold: Number({ min: 0, max: 1, step: 0.05, value: 0.5 }) }
 */
export function numberComponent(options: NumberOptions = {}) {
  const min = options.min === undefined ? undefined : checkNumber('Number', 'min', options.min);
  const max = options.max === undefined ? undefined : checkNumber('Number', 'max', options.max);
  if (min !== undefined && max !== undefined && min > max) throw new TypeError(`Number(): min (${min}) is greater than max (${max})`);
  const step = options.step === undefined ? undefined : checkNumber('Number', 'step', options.step, { min: Number.MIN_VALUE });
  let schema = z.number();
  if (min !== undefined) schema = schema.min(min);
  if (max !== undefined) schema = schema.max(max);
  const example = min ?? (max !== undefined ? Math.min(max, 0) : 0);
  if (options.value !== undefined) checkNumber('Number', 'value', options.value, { ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) });
  return defineComponent<'number', number>({
    kind: 'number',
    gradio: { name: 'Number', props: { minimum: min ?? null, maximum: max ?? null, step: step ?? null } },
    schema: schema.describe('A number'),
    // `value` lets the page show the default the API fills in.
    props: { min: min ?? null, max: max ?? null, step: step ?? null, value: options.value ?? null },
    options,
    exampleWire: options.value ?? example,
    exampleValue: options.value ?? example,
    ...(options.value === undefined ? {} : { defaultValue: options.value }),
  });
}
