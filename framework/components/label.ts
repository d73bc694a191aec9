/** Label: a classifier's answer — the top class and the top-K confidences, sorted. */
import { z } from 'zod';
import { checkNumber, defineComponent, type CommonOptions } from './base.ts';

export interface LabelOptions extends CommonOptions {
  /** How many classes to keep, highest first; all of them when omitted. */
  topK?: number;
}

/** One class and its confidence, as on the wire. */
export interface Confidence {
  label: string;
  confidence: number;
}

/** What a function may return for a Label: a class→score record, a list, or just the class name. */
export type LabelResult = Record<string, number> | readonly Confidence[] | string;

/**
 * A classification output: accepts a `Record<string, number>` or a list, sorts it and cuts it to `topK`.
 *
 * @example
 * outputs: Label({ topK: 3 }) // fn returns { Sneaker: 0.9, Sandal: 0.07, Bag: 0.03, … }
 */
export function Label(options: LabelOptions = {}) {
  const topK = options.topK === undefined ? undefined : checkNumber('Label', 'topK', options.topK, { min: 1, max: 1000, integer: true });
  const confidence = z.object({ label: z.string(), confidence: z.number().min(0).max(1) });
  const confidences = topK === undefined ? z.array(confidence) : z.array(confidence).max(topK);
  const schema = z
    .object({ label: z.string().describe('The most likely class'), confidences: confidences.describe('Classes by decreasing confidence') })
    .describe(`A classification: the top class and ${topK === undefined ? 'every class' : `the top ${topK} classes`} with confidences`);
  type Wire = z.output<typeof schema>;

  return defineComponent<'label', Wire, Wire, Wire, LabelResult>({
    kind: 'label',
    gradio: { name: 'Label', props: { num_top_classes: topK ?? null } },
    schema,
    props: { topK: topK ?? null },
    options,
    exampleWire: {
      label: 'Sneaker',
      confidences: [
        { label: 'Sneaker', confidence: 0.93 },
        { label: 'Sandal', confidence: 0.05 },
        { label: 'Ankle boot', confidence: 0.02 },
      ].slice(0, topK ?? 3),
    },
    exampleValue: { Sneaker: 0.93, Sandal: 0.05, 'Ankle boot': 0.02 },
    postprocess: function toLabelWire(result, ctx): Wire {
      if (typeof result === 'string') return { label: result, confidences: [] };
      const list: Confidence[] = Array.isArray(result)
        ? result.map((c: Confidence) => ({ label: c.label, confidence: c.confidence }))
        : Object.entries(result as Record<string, number>).map(([label, c]) => ({ label, confidence: c }));
      if (list.length === 0) throw new Error(`Label "${ctx.field}": the function returned no classes`);
      // Scores come from a float32 softmax: clamp tiny overshoots instead of failing validation.
      for (const c of list) c.confidence = Math.min(1, Math.max(0, c.confidence));
      list.sort((a, b) => b.confidence - a.confidence);
      const kept = topK === undefined ? list : list.slice(0, topK);
      return { label: kept[0]!.label, confidences: kept };
    },
  });
}
