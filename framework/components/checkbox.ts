/** Checkbox: a yes/no input or output. */
import { z } from 'zod';
import { defineComponent, type CommonOptions } from './base.ts';

export interface CheckboxOptions extends CommonOptions {
  /** Initial value, also used when a request leaves the input out (default false). */
  value?: boolean;
}

/**
 * A boolean.
 *
 * @example
 * inputs: { invert: Checkbox({ label: 'Invert colours' }) }
 */
export function Checkbox(options: CheckboxOptions = {}) {
  if (options.value !== undefined && typeof options.value !== 'boolean') {
    throw new TypeError(`Checkbox(): option "value" must be true or false; got ${JSON.stringify(options.value)}`);
  }
  const value = options.value ?? false;
  return defineComponent<'checkbox', boolean>({
    kind: 'checkbox',
    schema: z.boolean().describe('true or false'),
    props: { value },
    options,
    exampleWire: true,
    exampleValue: true,
    defaultValue: value,
  });
}
