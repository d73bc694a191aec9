/** Dropdown: one value out of a fixed list of choices. */
import { z } from 'zod';
import { defineComponent, type CommonOptions } from './base.ts';
import { checkChoices } from './choices.ts';

export interface DropdownOptions<C extends string> extends CommonOptions {
  choices: readonly [C, ...C[]];
  /** Initial choice, also used when a request leaves the input out (default: the first). */
  value?: NoInfer<C>;
}

/**
 * A choice among strings; the function receives the literal union of the choices.
 *
 * @example
 * inputs: { effect: Dropdown({ choices: ['blur', 'sharpen', 'sepia'] }) }
 */
export function Dropdown<const C extends string>(options: DropdownOptions<C>) {
  const choices = checkChoices<C>('Dropdown', options?.choices);
  const value = options.value ?? choices[0];
  if (!choices.includes(value)) {
    throw new TypeError(`Dropdown(): option "value" must be one of ${choices.join(', ')}; got ${JSON.stringify(value)}`);
  }
  const schema = z.enum(choices as unknown as [C, ...C[]]).describe(`One of: ${choices.join(', ')}`) as unknown as z.ZodType<C>;
  return defineComponent<'dropdown', C>({
    kind: 'dropdown',
    gradio: { name: 'Dropdown', props: { choices: choices.map((c) => [c, c]), multiselect: false } },
    schema,
    props: { choices: [...choices], value },
    options,
    exampleWire: value,
    exampleValue: value,
    defaultValue: value,
    // The choice is sent as its own text; the schema then checks it is one of the choices.
    fromMultipart: (text) => text as C,
  });
}
