/** Label: what a classifier returns becomes the sorted, cut wire value. */
import { describe, expect, it } from 'vitest';
import { Label } from './label.ts';

const ctx = { field: 'label' };
const scores = { Sneaker: 0.6, Sandal: 0.05, 'Ankle boot': 0.25, Bag: 0.1 };

describe('Label', () => {
  it('accepts a Record, sorts it by decreasing confidence and cuts it to topK', async () => {
    const wire = await Label({ topK: 3 }).postprocess(scores, ctx);
    expect(wire).toEqual({
      label: 'Sneaker',
      confidences: [
        { label: 'Sneaker', confidence: 0.6 },
        { label: 'Ankle boot', confidence: 0.25 },
        { label: 'Bag', confidence: 0.1 },
      ],
    });
  });

  it('accepts a list in any order and gives the same answer as the Record', async () => {
    const list = Object.entries(scores).map(([label, confidence]) => ({ label, confidence }));
    const c = Label({ topK: 3 });
    expect(await c.postprocess(list.reverse(), ctx)).toEqual(await c.postprocess(scores, ctx));
  });

  it('keeps every class when topK is not given, and when topK is larger than the list', async () => {
    expect((await Label().postprocess(scores, ctx)).confidences).toHaveLength(4);
    expect((await Label({ topK: 10 }).postprocess(scores, ctx)).confidences).toHaveLength(4);
    expect(Label().props).toEqual({ topK: null });
  });

  it('cuts to 1 and names the top class', async () => {
    const wire = await Label({ topK: 1 }).postprocess({ a: 0.1, b: 0.9 }, ctx);
    expect(wire).toEqual({ label: 'b', confidences: [{ label: 'b', confidence: 0.9 }] });
  });

  it('takes a bare class name', async () => {
    const c = Label({ topK: 3 });
    const wire = await c.postprocess('Bag', ctx);
    expect(wire).toEqual({ label: 'Bag', confidences: [] });
    expect(c.schema.safeParse(wire).success).toBe(true);
  });

  it('clamps float32 softmax overshoot into [0, 1] instead of failing', async () => {
    const wire = await Label().postprocess({ a: 1.0000001, b: -1e-9 }, ctx);
    expect(wire.confidences).toEqual([
      { label: 'a', confidence: 1 },
      { label: 'b', confidence: 0 },
    ]);
  });

  it('does not change the list the function returned', async () => {
    const list = [
      { label: 'a', confidence: 0.2 },
      { label: 'b', confidence: 0.8 },
    ];
    const copy = structuredClone(list);
    await Label().postprocess(list, ctx);
    expect(list).toEqual(copy);
  });

  it('fails when the function returns no classes', () => {
    expect(() => Label().postprocess({}, ctx)).toThrow(/no classes/);
  });

  it('its schema refuses more than topK confidences and confidences outside [0, 1]', () => {
    const s = Label({ topK: 1 }).schema;
    expect(s.safeParse({ label: 'a', confidences: [{ label: 'a', confidence: 0.5 }, { label: 'b', confidence: 0.5 }] }).success).toBe(false);
    expect(s.safeParse({ label: 'a', confidences: [{ label: 'a', confidence: 1.5 }] }).success).toBe(false);
    expect(s.safeParse({ label: 'a', confidences: [{ label: 'a', confidence: 0.5 }] }).success).toBe(true);
  });
});
