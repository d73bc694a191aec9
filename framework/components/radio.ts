/** Radio: one value out of a few choices, all shown at once. */
import { z } from 'zod';
import { defineComponent, type CommonOptions } from './base.ts';
import { checkChoices } from './choices.ts';

export interface RadioOptions<C extends string> extends CommonOptions {
  choices: readonly [C, ...C[]];
  /** Initial choice, also used when a request leaves the input out (default: the first). */
  value?: NoInfer<C>;
}

/**
 * A choice shown as radio buttons; the function receives the literal union of the choices.
 *
 * @example
 * inputs: { size: Radio({ choices: ['S', 'M', 'L'], value: 'M' }) }
 */
export function Radio<const C extends string>(options: RadioOptions<C>) {
  const choices = checkChoices<C>('Radio', options?.choices);
  const value = options.value ?? choices[0];
  if (!choices.includes(value)) throw new TypeError(`Radio(): option "value" must be one of ${choices.join(', ')}; got ${JSON.stringify(value)}`);
  return defineComponent<'radio', C>({
    kind: 'radio',
    gradio: { name: 'Radio', props: { choices: choices.map((c) => [c, c]) } },
    schema: z.enum(choices as unknown as [C, ...C[]]).describe(`One of: ${choices.join(', ')}`) as unknown as z.ZodType<C>,
    props: { choices: [...choices], value },
    options,
    exampleWire: value,
    exampleValue: value,
    defaultValue: value,
    fromMultipart: (text) => text as C,
  });
}
