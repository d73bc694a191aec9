/** Markdown: text shown as formatted Markdown (links checked, no raw HTML). */
import { z } from 'zod';
import { checkNumber, defineComponent, type CommonOptions } from './base.ts';

export interface MarkdownOptions extends CommonOptions {
  /** Longest text, in characters (default 100 000). */
  maxLength?: number;
}

/**
 * Markdown text, usually an output; the function returns a string.
 *
 * @example
 * outputs: { report: Markdown() } // fn returns '## Result\n**Sneaker**, 97 %'
 */
export function Markdown(options: MarkdownOptions = {}) {
  const maxLength = checkNumber('Markdown', 'maxLength', options.maxLength ?? 100_000, { min: 1, integer: true });
  return defineComponent<'markdown', string>({
    kind: 'markdown',
    gradio: { name: 'Markdown' },
    schema: z.string().max(maxLength).describe('Markdown text'),
    props: {},
    options,
    exampleWire: '## Result\n**Sneaker**, with 97 % confidence',
    exampleValue: '## Result\n**Sneaker**, with 97 % confidence',
    fromMultipart: (text) => text,
  });
}
