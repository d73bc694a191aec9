/** The casual-photo evaluation set: test garments rendered and stored as phone files, with their conditions, and accuracy per condition. */
import type { IdxSplit } from './idx.ts';
import { seededRandom, shuffledIndices } from './data.ts';
import { conditionTags, EVALUATION_SIZES, samplePhotoConditions, type PhotoConditions } from './photo-conditions.ts';
import { encodePhotoFile, fileTags, sampleFileConditions, type FileConditions } from './photo-file.ts';
import { renderCasualPhoto } from './photo-renderer.ts';

/**
 * The seed of `npm run bench:casual` and of the model card's casual-photo figures. Held out:
 * training draws its photos from `--seed`-derived streams and tuning used other seeds, so no
 * model or threshold has ever seen these photos.
 */
export const CASUAL_BENCH_SEED = 20_251_215;

/** What the app's Image input does before its function sees a picture (apps/fashion-mnist/app.ts; a test checks they agree). */
export const APP_DECODE = { mode: 'RGB', resize: { width: 112, height: 112, fit: 'inside', withoutEnlargement: true } } as const;

/** One photo of the set. */
export interface CasualPhoto {
  /** Index into the test split, and the true class. */
  index: number;
  label: number;
  bytes: Buffer;
  mime: string;
  conditions: PhotoConditions;
  file: FileConditions;
  /** Named conditions, for the per-condition table. */
  tags: string[];
}

/**
 * Renders `count` test garments (drawn at random with `seed`) as casual photo files. Conditions
 * are drawn up front, in order, so the set does not depend on how renders interleave.
 *
 * @example
 * const photos = await casualPhotoSet(test, 1000, CASUAL_BENCH_SEED);
 */
export async function casualPhotoSet(test: IdxSplit, count: number, seed: number): Promise<CasualPhoto[]> {
  const rand = seededRandom(seed);
  const picks = shuffledIndices(test.count, rand).subarray(0, Math.min(count, test.count));
  const plans = Array.from(picks, (index) => ({ index, conditions: samplePhotoConditions(rand, EVALUATION_SIZES), file: sampleFileConditions(rand) }));
  const out: CasualPhoto[] = [];
  for (const { index, conditions, file } of plans) {
    const photo = renderCasualPhoto(test.images.subarray(index * 784, (index + 1) * 784), conditions);
    const bytes = await encodePhotoFile(photo, file);
    out.push({
      index,
      label: test.labels[index]!,
      bytes,
      mime: `image/${file.format}`,
      conditions,
      file,
      tags: [...conditionTags(conditions), ...fileTags(file)],
    });
  }
  return out;
}

/** Accuracy overall and per named condition. */
export interface CasualAccuracy {
  count: number;
  accuracy: number;
  perCondition: { condition: string; count: number; accuracy: number }[];
}

/**
 * Scores predicted class indices against the set, overall and for every condition tag.
 *
 * @example
 * const { accuracy, perCondition } = casualAccuracy(photos, predicted);
 */
export function casualAccuracy(photos: readonly CasualPhoto[], predicted: ArrayLike<number>): CasualAccuracy {
  const tally = new Map<string, { n: number; right: number }>();
  let right = 0;
  photos.forEach((p, k) => {
    const ok = predicted[k] === p.label;
    if (ok) right++;
    for (const tag of p.tags) {
      const t = tally.get(tag) ?? { n: 0, right: 0 };
      t.n++;
      if (ok) t.right++;
      tally.set(tag, t);
    }
  });
  const perCondition = [...tally.entries()]
    .map(([condition, t]) => ({ condition, count: t.n, accuracy: t.right / t.n }))
    .sort((a, b) => a.condition.localeCompare(b.condition));
  return { count: photos.length, accuracy: photos.length ? right / photos.length : 0, perCondition };
}
