/** Hand-written SVG charts for the model card: training curves and the confusion matrix. */

/** One epoch's numbers, as stored in history.json. */
export interface CurvePoint {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss: number | null;
  valAccuracy: number | null;
}

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, sans-serif"';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

interface Series {
  name: string;
  color: string;
  dashed?: boolean;
  points: [number, number][];
}

function panel(x0: number, y0: number, w: number, h: number, title: string, series: Series[], xMax: number): string {
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  let yMin = Math.min(...ys);
  let yMax = Math.max(...ys);
  if (!Number.isFinite(yMin)) [yMin, yMax] = [0, 1];
  const pad = (yMax - yMin) * 0.08 || 0.01;
  yMin -= pad;
  yMax += pad;
  const sx = (v: number) => x0 + ((v - 1) / Math.max(1, xMax - 1)) * w;
  const sy = (v: number) => y0 + h - ((v - yMin) / (yMax - yMin)) * h;
  const parts: string[] = [];
  parts.push(`<text x="${x0}" y="${y0 - 10}" font-size="14" font-weight="600" ${FONT}>${esc(title)}</text>`);
  parts.push(`<rect x="${x0}" y="${y0}" width="${w}" height="${h}" fill="none" stroke="#ccc"/>`);
  for (let i = 0; i <= 4; i++) {
    const v = yMin + ((yMax - yMin) * i) / 4;
    const y = sy(v);
    parts.push(`<line x1="${x0}" x2="${x0 + w}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#eee"/>`);
    parts.push(`<text x="${x0 - 6}" y="${(y + 4).toFixed(1)}" font-size="11" text-anchor="end" fill="#555" ${FONT}>${v.toFixed(3)}</text>`);
  }
  const step = Math.max(1, Math.ceil(xMax / 10));
  for (let e = 1; e <= xMax; e += step) {
    parts.push(`<text x="${sx(e).toFixed(1)}" y="${y0 + h + 16}" font-size="11" text-anchor="middle" fill="#555" ${FONT}>${e}</text>`);
  }
  parts.push(`<text x="${x0 + w / 2}" y="${y0 + h + 32}" font-size="12" text-anchor="middle" fill="#333" ${FONT}>epoch</text>`);
  series.forEach((s, i) => {
    if (!s.points.length) return;
    const d = s.points.map((p, j) => `${j ? 'L' : 'M'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join(' ');
    parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>`);
    for (const p of s.points) parts.push(`<circle cx="${sx(p[0]).toFixed(1)}" cy="${sy(p[1]).toFixed(1)}" r="2.5" fill="${s.color}"/>`);
    const ly = y0 + 14 + i * 16;
    parts.push(`<line x1="${x0 + w - 120}" x2="${x0 + w - 100}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>`);
    parts.push(`<text x="${x0 + w - 95}" y="${ly}" font-size="11" ${FONT}>${esc(s.name)}</text>`);
  });
  return parts.join('\n');
}

/**
 * Two panels (loss, accuracy) of training and validation curves per epoch.
 *
 * @example
 * await writeFile('training-curves.svg', trainingCurvesSvg(history));
 */
export function trainingCurvesSvg(history: CurvePoint[], testAccuracy?: number): string {
  const W = 900;
  const H = 380;
  const xMax = Math.max(2, ...history.map((h) => h.epoch));
  const pts = (f: (h: CurvePoint) => number | null) =>
    history.filter((h) => f(h) !== null).map((h) => [h.epoch, f(h)!] as [number, number]);
  const loss = panel(70, 50, 330, 250, 'Loss (cross-entropy)', [
    { name: 'train', color: '#2563eb', points: pts((h) => h.loss) },
    { name: 'validation', color: '#dc2626', dashed: true, points: pts((h) => h.valLoss) },
  ], xMax);
  const accSeries: Series[] = [
    { name: 'train', color: '#2563eb', points: pts((h) => h.accuracy) },
    { name: 'validation', color: '#dc2626', dashed: true, points: pts((h) => h.valAccuracy) },
  ];
  const acc = panel(530, 50, 330, 250, 'Accuracy', accSeries, xMax);
  const note =
    testAccuracy === undefined
      ? ''
      : `<text x="${W / 2}" y="${H - 12}" font-size="13" text-anchor="middle" ${FONT}>Test accuracy of the saved (best-validation) model: ${(testAccuracy * 100).toFixed(2)}%</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">
<title>Fashion-MNIST training curves</title>
<rect width="100%" height="100%" fill="#fff"/>
${loss}
${acc}
${note}
</svg>
`;
}

/**
 * A heat map of the confusion matrix (rows: true class, columns: predicted), with counts.
 *
 * @example
 * await writeFile('confusion-matrix.svg', confusionMatrixSvg(m.confusion, CLASS_NAMES));
 */
export function confusionMatrixSvg(confusion: number[][], labels: readonly string[], title = 'Confusion matrix (test set)'): string {
  const k = labels.length;
  const cell = 52;
  const left = 110;
  const top = 120;
  const W = left + k * cell + 30;
  const H = top + k * cell + 60;
  const parts: string[] = [];
  parts.push(`<text x="${W / 2}" y="26" font-size="16" font-weight="600" text-anchor="middle" ${FONT}>${esc(title)}</text>`);
  parts.push(`<text x="${left + (k * cell) / 2}" y="${H - 16}" font-size="13" text-anchor="middle" ${FONT}>predicted class</text>`);
  parts.push(`<text transform="translate(18 ${top + (k * cell) / 2}) rotate(-90)" font-size="13" text-anchor="middle" ${FONT}>true class</text>`);
  for (let t = 0; t < k; t++) {
    const rowSum = confusion[t]!.reduce((a, v) => a + v, 0) || 1;
    parts.push(`<text x="${left - 8}" y="${top + t * cell + cell / 2 + 4}" font-size="11" text-anchor="end" ${FONT}>${esc(labels[t]!)}</text>`);
    parts.push(
      `<text transform="translate(${left + t * cell + cell / 2} ${top - 8}) rotate(-45)" font-size="11" ${FONT}>${esc(labels[t]!)}</text>`,
    );
    for (let p = 0; p < k; p++) {
      const v = confusion[t]![p]!;
      const share = v / rowSum;
      // Diagonal in blue, errors in red; the intensity is the share of the true class's images.
      const hue = t === p ? '37,99,235' : '220,38,38';
      const alpha = t === p ? share : Math.min(1, share * 5);
      const x = left + p * cell;
      const y = top + t * cell;
      parts.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="rgba(${hue},${alpha.toFixed(3)})" stroke="#fff"/>`);
      const dark = alpha > 0.55;
      parts.push(
        `<text x="${x + cell / 2}" y="${y + cell / 2 + 4}" font-size="12" text-anchor="middle" fill="${dark ? '#fff' : '#222'}" ${FONT}>${v}</text>`,
      );
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">
<title>${esc(title)}</title>
<rect width="100%" height="100%" fill="#fff"/>
${parts.join('\n')}
</svg>
`;
}
