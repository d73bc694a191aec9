/** HTML: markup an app returns, shown on the page after sanitising (no scripts, no event handlers, nothing the page's CSP would refuse). */
import { z } from 'zod';
import { checkNumber, defineComponent, type CommonOptions } from './base.ts';

export interface HtmlOptions extends CommonOptions {
  /** Longest markup, in characters (default 100 000). */
  maxLength?: number;
}

/**
 * HTML markup, usually an output. The page sanitises it (DOMPurify) before showing it: scripts,
 * event handlers, forms and frames are removed, and the page's CSP blocks inline code besides.
 *
 * @example
 * outputs: { card: HTML() } // fn returns '<b>Sneaker</b> <small>97 %</small>'
 */
export function HTML(options: HtmlOptions = {}) {
  const maxLength = checkNumber('HTML', 'maxLength', options.maxLength ?? 100_000, { min: 1, integer: true });
  return defineComponent<'html', string>({
    kind: 'html',
    gradio: { name: 'HTML' },
    schema: z.string().max(maxLength).describe('HTML markup (the page sanitises it before showing it)'),
    props: {},
    options,
    exampleWire: '<p><b>Sneaker</b> <small>97 %</small></p>',
    exampleValue: '<p><b>Sneaker</b> <small>97 %</small></p>',
    fromMultipart: (text) => text,
  });
}
