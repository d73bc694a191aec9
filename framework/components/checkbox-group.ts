/** CheckboxGroup: any number of values out of a list of choices. */
import { z } from 'zod';
import { defineComponent, type CommonOptions } from './base.ts';
import { checkChoices } from './choices.ts';

export interface CheckboxGroupOptions<C extends string> extends CommonOptions {
  choices: readonly [C, ...C[]];
  /** Initially ticked, also used when a request leaves the input out (default: none). */
  value?: ReadonlyArray<NoInfer<C>>;
}

/**
 * Ticked choices, in the order of `choices`; the function receives a list of the literal choices.
 *
 * @example
 * inputs: { toppings: CheckboxGroup({ choices: ['cheese', 'olives', 'basil'], value: ['cheese'] }) }
 */
export function CheckboxGroup<const C extends string>(options: CheckboxGroupOptions<C>) {
  const choices = checkChoices<C>('CheckboxGroup', options?.choices);
  const value = [...(options.value ?? [])];
  for (const v of value) {
    if (!choices.includes(v)) throw new TypeError(`CheckboxGroup(): option "value" must hold only choices (${choices.join(', ')}); got ${JSON.stringify(v)}`);
  }
  const schema = z
    .array(z.enum(choices as unknown as [C, ...C[]]))
    .max(choices.length)
    .refine((list) => new Set(list).size === list.length, 'a choice is ticked twice')
    .describe(`Any of: ${choices.join(', ')}`) as unknown as z.ZodType<C[]>;
  return defineComponent<'checkbox-group', C[]>({
    kind: 'checkbox-group',
    gradio: { name: 'CheckboxGroup', props: { choices: choices.map((c) => [c, c]), type: 'value' } },
    schema,
    props: { choices: [...choices], value },
    options,
    exampleWire: value.length > 0 ? value : [choices[0]],
    exampleValue: value.length > 0 ? value : [choices[0]],
    defaultValue: value,
    // A multipart field holds the JSON list, or the choices separated by commas.
    fromMultipart: (text) => (text.trim().startsWith('[') ? (JSON.parse(text) as C[]) : (text.split(',').map((s) => s.trim()).filter((s) => s !== '') as C[])),
  });
}
