/** Metrics on hand-made probabilities whose answers are known. */
import { describe, expect, it } from 'vitest';
import { computeMetrics } from './metrics.ts';

describe('computeMetrics', () => {
  const names = ['a', 'b', 'c'];
  // Four images: two right with confidence 0.9, one right with 0.62, one wrong with 0.75.
  const probs = new Float32Array([0.9, 0.05, 0.05, 0.05, 0.9, 0.05, 0.19, 0.19, 0.62, 0.75, 0.15, 0.1]);
  const labels = [0, 1, 2, 1];
  const m = computeMetrics(probs, labels, names, 10);

  it('counts accuracy, the confusion matrix and per-class scores', () => {
    expect(m.accuracy).toBe(0.75);
    expect(m.confusion).toEqual([
      [1, 0, 0],
      [1, 1, 0],
      [0, 0, 1],
    ]);
    expect(m.perClass.map((c) => c.accuracy)).toEqual([1, 0.5, 1]);
    expect(m.perClass[0]!.precision).toBe(0.5);
  });

  it('computes the expected calibration error over confidence bins', () => {
    // Bin 0.8–0.9: 2 images, conf 0.9, acc 1 → 0.5·0.1; bin 0.6–0.7: conf 0.62, acc 1 → 0.25·0.38;
    // bin 0.7–0.8: conf 0.75, acc 0 → 0.25·0.75.
    expect(m.expectedCalibrationError).toBeCloseTo(0.05 + 0.095 + 0.1875, 5);
    expect(m.calibration.reduce((a, b) => a + b.count, 0)).toBe(4);
  });

  it('rejects probabilities of the wrong size', () => {
    expect(() => computeMetrics(new Float32Array(5), [0, 1], names)).toThrow(/Expected 2×3/);
  });
});
