/** Slider: a number between fixed bounds, chosen with a range control. */
import { z } from 'zod';
import { checkNumber, defineComponent, type CommonOptions } from './base.ts';

export interface SliderOptions extends CommonOptions {
  min?: number;
  max?: number;
  step?: number;
  /** Initial value, also used when a request leaves the input out (default: min). */
  value?: number;
}

/**
 * A bounded number with a slider on the page.
 *
 * @example
 * inputs: { strength: Slider({ min: 0, max: 1, step: 0.1, value: 0.5 }) }
 */
export function Slider(options: SliderOptions = {}) {
  const min = checkNumber('Slider', 'min', options.min ?? 0);
  const max = checkNumber('Slider', 'max', options.max ?? 100);
  if (min >= max) throw new TypeError(`Slider(): min (${min}) must be less than max (${max})`);
  const step = checkNumber('Slider', 'step', options.step ?? 1, { min: Number.MIN_VALUE });
  const value = checkNumber('Slider', 'value', options.value ?? min, { min, max });
  return defineComponent<'slider', number>({
    kind: 'slider',
    gradio: { name: 'Slider', props: { minimum: min, maximum: max, step } },
    schema: z.number().min(min).max(max).describe(`A number from ${min} to ${max}`),
    props: { min, max, step, value },
    options,
    exampleWire: value,
    exampleValue: value,
    defaultValue: value,
  });
}
