/** Textbox: free text in or out. */
import { z } from 'zod';
import { checkNumber, defineComponent, type CommonOptions } from './base.ts';

export interface TextboxOptions extends CommonOptions {
  /** Visible lines; more than 1 gives a multi-line area. */
  lines?: number;
  placeholder?: string;
  /** Longest accepted text, in characters (default 10,000). */
  maxLength?: number;
  /** Value used when a request leaves the input out. */
  value?: string;
}

/**
 * A text input or output.
 *
 * @example
 * inputs: { prompt: Textbox({ lines: 3, placeholder: 'Describe the garment' }) }
 */
export function Textbox(options: TextboxOptions = {}) {
  const lines = checkNumber('Textbox', 'lines', options.lines ?? 1, { min: 1, max: 100, integer: true });
  const maxLength = checkNumber('Textbox', 'maxLength', options.maxLength ?? 10_000, { min: 1, integer: true });
  const schema = z.string().max(maxLength).describe('Text');
  // A default the schema refuses would turn every request that leaves the input out into a 400.
  if (options.value !== undefined && (typeof options.value !== 'string' || options.value.length > maxLength)) {
    throw new TypeError(`Textbox(): option "value" must be a string of at most ${maxLength} characters; got ${JSON.stringify(options.value)}`);
  }
  if (options.placeholder !== undefined && typeof options.placeholder !== 'string') {
    throw new TypeError(`Textbox(): option "placeholder" must be a string; got ${JSON.stringify(options.placeholder)}`);
  }
  return defineComponent<'textbox', string>({
    kind: 'textbox',
    gradio: { name: 'Textbox', props: { lines, placeholder: options.placeholder ?? null, max_length: maxLength } },
    schema,
    // `value` lets the page show the default the API fills in.
    props: { lines, placeholder: options.placeholder ?? null, maxLength, value: options.value ?? null },
    options,
    exampleWire: 'A pair of white sneakers',
    exampleValue: 'A pair of white sneakers',
    sample: 'Hello',
    // A multipart text field is the text itself: '42' or 'true' typed in a textbox stay text.
    fromMultipart: (text) => text,
    ...(options.value === undefined ? {} : { defaultValue: options.value }),
  });
}
