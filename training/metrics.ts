/** Classification metrics from predicted probabilities: accuracy, per-class scores, confusion matrix, calibration. */
import { NUM_CLASSES } from './idx.ts';

/** One class's scores. */
export interface ClassScore {
  label: string;
  /** Share of this class's images classified correctly (recall). */
  accuracy: number;
  precision: number;
  count: number;
}

/** One bin of the reliability diagram. */
export interface CalibrationBin {
  lower: number;
  upper: number;
  count: number;
  confidence: number;
  accuracy: number;
}

export interface Metrics {
  count: number;
  accuracy: number;
  /** Mean negative log-likelihood of the true class. */
  logLoss: number;
  /** Expected calibration error: Σ (bin size / n) · |accuracy − mean confidence| over equal-width confidence bins. */
  expectedCalibrationError: number;
  perClass: ClassScore[];
  /** confusion[true][predicted] counts. */
  confusion: number[][];
  calibration: CalibrationBin[];
}

/**
 * Computes the metrics of probabilities `probs` ([n, classes] row-major) against `labels`.
 *
 * @example
 * const m = computeMetrics(probs, test.labels, CLASS_NAMES);
 * m.accuracy; // 0.94…
 */
export function computeMetrics(probs: Float32Array, labels: ArrayLike<number>, classNames: readonly string[], bins = 15): Metrics {
  const k = classNames.length || NUM_CLASSES;
  const n = labels.length;
  if (probs.length !== n * k) throw new Error(`Expected ${n}×${k} probabilities, got ${probs.length}`);
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const binCount = new Array<number>(bins).fill(0);
  const binConf = new Array<number>(bins).fill(0);
  const binCorrect = new Array<number>(bins).fill(0);
  let correct = 0;
  let logLoss = 0;
  for (let i = 0; i < n; i++) {
    const row = probs.subarray(i * k, (i + 1) * k);
    let best = 0;
    for (let c = 1; c < k; c++) if (row[c]! > row[best]!) best = c;
    const truth = labels[i]!;
    confusion[truth]![best]!++;
    const hit = best === truth ? 1 : 0;
    correct += hit;
    logLoss -= Math.log(Math.max(1e-7, row[truth]!));
    const conf = row[best]!;
    const b = Math.min(bins - 1, Math.floor(conf * bins));
    binCount[b]!++;
    binConf[b]! += conf;
    binCorrect[b]! += hit;
  }
  let ece = 0;
  const calibration: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    const cnt = binCount[b]!;
    const conf = cnt ? binConf[b]! / cnt : 0;
    const acc = cnt ? binCorrect[b]! / cnt : 0;
    if (cnt) ece += (cnt / n) * Math.abs(acc - conf);
    calibration.push({ lower: b / bins, upper: (b + 1) / bins, count: cnt, confidence: conf, accuracy: acc });
  }
  const perClass = classNames.map((label, c) => {
    const rowSum = confusion[c]!.reduce((a, v) => a + v, 0);
    let colSum = 0;
    for (let t = 0; t < k; t++) colSum += confusion[t]![c]!;
    return {
      label,
      accuracy: rowSum ? confusion[c]![c]! / rowSum : 0,
      precision: colSum ? confusion[c]![c]! / colSum : 0,
      count: rowSum,
    };
  });
  return { count: n, accuracy: correct / n, logLoss: logLoss / n, expectedCalibrationError: ece, perClass, confusion, calibration };
}
