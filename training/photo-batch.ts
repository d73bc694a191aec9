/**
 * Domain randomisation for training: some images of a batch are replaced by casual photos of
 * the same garments, passed through the app's own preprocessing, so the model learns exactly
 * what the app feeds it.
 */
import { preprocessForFashionMnist } from '../apps/fashion-mnist/preprocess.ts';
import { seededRandom } from './data.ts';
import { samplePhotoConditions, TRAINING_SIZES } from './photo-conditions.ts';
import { renderCasualPhoto } from './photo-renderer.ts';

const PIXELS = 784;

/** Which slots of a batch become photos: the garment bytes to photograph and a seed per photo. */
export interface PhotoPlan {
  slots: Uint16Array;
  garments: Uint8Array;
  seeds: Uint32Array;
}

/**
 * Picks the slots of a batch that become photos (each with probability `share`) and draws their
 * seeds from `rand`, so the plan is reproducible wherever it is rendered.
 *
 * @example
 * const plan = planPhotos(x, 64, 0.5, rand); // about 32 slots
 */
export function planPhotos(batch: Float32Array, count: number, share: number, rand: () => number): PhotoPlan {
  const slots: number[] = [];
  for (let i = 0; i < count; i++) if (share > 0 && rand() < share) slots.push(i);
  const garments = new Uint8Array(slots.length * PIXELS);
  const seeds = new Uint32Array(slots.length);
  slots.forEach((slot, k) => {
    // The clean batch holds the (possibly flipped) garment as floats; the renderer takes bytes.
    for (let p = 0; p < PIXELS; p++) garments[k * PIXELS + p] = Math.round(batch[slot * PIXELS + p]! * 255);
    seeds[k] = Math.floor(rand() * 2 ** 32);
  });
  return { slots: Uint16Array.from(slots), garments, seeds };
}

/**
 * Renders the planned photos (at the size the app's preprocessing sees) and writes the
 * preprocessed 28×28 result into their slots of `batch`.
 *
 * @example
 * renderPlannedPhotos(x, plan); // x now holds photos in the planned slots
 */
export function renderPlannedPhotos(batch: Float32Array, plan: PhotoPlan): void {
  plan.slots.forEach((slot, k) => {
    const conditions = samplePhotoConditions(seededRandom(plan.seeds[k]!), TRAINING_SIZES);
    const photo = renderCasualPhoto(plan.garments.subarray(k * PIXELS, (k + 1) * PIXELS), conditions);
    batch.set(preprocessForFashionMnist(photo), slot * PIXELS);
  });
}
