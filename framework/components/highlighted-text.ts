/** HighlightedText: text cut into spans, each with a class (a named entity, a part of speech) or a score. */
import { z } from 'zod';
import { VitrineError } from '../errors.ts';
import { checkNumber, defineComponent, type CommonOptions } from './base.ts';

export interface HighlightedTextOptions extends CommonOptions {
  /** Colours per class, as CSS colours (`{ PER: '#fde68a' }`); other classes get the theme's. */
  colorMap?: Readonly<Record<string, string>>;
  /** Show a legend of the classes (default true). */
  showLegend?: boolean;
  /** Most spans (default 10 000). */
  maxSpans?: number;
}

/** One span as on the wire (Gradio's HighlightedToken): a class, a score from -1 to 1, or null for plain text. */
export interface HighlightedSpan {
  token: string;
  class_or_confidence: string | number | null;
}

/** What the function may return: spans, or `[text, class]` pairs as in Gradio. */
export type HighlightedTextResult = ReadonlyArray<HighlightedSpan | readonly [string, string | number | null]>;

const CSS_COLOUR = /^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20}|(rgb|hsl)a?\([0-9.,%\s]+\))$/;

/**
 * Highlighted spans of text, usually an output (named entities, a diff, token scores).
 *
 * @example
 * outputs: HighlightedText({ colorMap: { GARMENT: '#bfdbfe' } }) // fn returns [['A ', null], ['red dress', 'GARMENT']]
 */
export function HighlightedText(options: HighlightedTextOptions = {}) {
  const maxSpans = checkNumber('HighlightedText', 'maxSpans', options.maxSpans ?? 10_000, { min: 1, integer: true });
  const colorMap = { ...options.colorMap };
  for (const [name, colour] of Object.entries(colorMap)) {
    if (typeof colour !== 'string' || !CSS_COLOUR.test(colour)) throw new TypeError(`HighlightedText(): colorMap["${name}"] must be a CSS colour; got ${JSON.stringify(colour)}`);
  }
  const span = z.object({ token: z.string(), class_or_confidence: z.union([z.string(), z.number().min(-1).max(1), z.null()]) });
  const schema = z.array(span).max(maxSpans).describe('Spans of text, each with its class, a score from -1 to 1, or null');
  const example: HighlightedSpan[] = [
    { token: 'A ', class_or_confidence: null },
    { token: 'red dress', class_or_confidence: 'GARMENT' },
  ];
  return defineComponent<'highlighted-text', HighlightedSpan[], HighlightedSpan[], HighlightedSpan[], HighlightedTextResult>({
    kind: 'highlighted-text',
    gradio: { name: 'HighlightedText', props: { color_map: colorMap, show_legend: options.showLegend ?? true, combine_adjacent: false } },
    schema,
    props: { colorMap, showLegend: options.showLegend ?? true },
    options,
    exampleWire: example,
    exampleValue: example,
    postprocess: function toSpans(result, ctx): HighlightedSpan[] {
      if (!Array.isArray(result)) throw new VitrineError('INVALID_INPUT', { field: ctx.field, reason: 'expected a list of spans' });
      return result.map((s) => (Array.isArray(s) ? { token: String(s[0]), class_or_confidence: s[1] ?? null } : (s as HighlightedSpan)));
    },
  });
}
