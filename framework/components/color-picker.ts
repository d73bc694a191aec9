/** ColorPicker: a colour as a `#rrggbb` string, in or out. */
import { z } from 'zod';
import { defineComponent, type CommonOptions } from './base.ts';

export interface ColorPickerOptions extends CommonOptions {
  /** Initial colour, also used when a request leaves the input out (default `#4f46e5`). */
  value?: string;
}

const HEX = /^#[0-9a-fA-F]{6}$/;

/**
 * A colour; the function gets and returns `#rrggbb` (lower case).
 *
 * @example
 * inputs: { tint: ColorPicker({ value: '#ff8800' }) }
 */
export function ColorPicker(options: ColorPickerOptions = {}) {
  const value = options.value ?? '#4f46e5';
  if (typeof value !== 'string' || !HEX.test(value)) throw new TypeError(`ColorPicker(): option "value" must be a colour as #rrggbb; got ${JSON.stringify(value)}`);
  return defineComponent<'color-picker', string>({
    kind: 'color-picker',
    gradio: { name: 'ColorPicker' },
    schema: z
      .string()
      .regex(HEX, 'expected a colour as #rrggbb')
      .transform((c) => c.toLowerCase())
      .describe('A colour as #rrggbb') as unknown as z.ZodType<string>,
    props: { value: value.toLowerCase() },
    options,
    exampleWire: value.toLowerCase(),
    exampleValue: value.toLowerCase(),
    defaultValue: value.toLowerCase(),
    fromMultipart: (text) => text,
  });
}
