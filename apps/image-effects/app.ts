/** Image effects: a non-ML app (Image + Slider + Dropdown → Image) showing the framework is generic. */
import { Dropdown, Gallery, Image, Interface, Slider, type RawImage } from 'vitrine';
import { EFFECTS, applyEffect } from './effects.ts';

/** Every effect at the same strength, on a small preview so the gallery stays cheap. */
function variants(image: RawImage, strength: number) {
  const preview = shrink(image, 128);
  return EFFECTS.map((effect) => ({ image: applyEffect(preview, effect, strength), caption: effect }));
}

/** Nearest-neighbour shrink to at most `side` px (a preview: speed over quality). */
function shrink(image: RawImage, side: number): RawImage {
  const s = Math.min(1, side / Math.max(image.width, image.height));
  if (s === 1) return image;
  const width = Math.max(1, Math.round(image.width * s));
  const height = Math.max(1, Math.round(image.height * s));
  const data = new Uint8Array(width * height * image.channels);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(image.height - 1, Math.floor(y / s));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(image.width - 1, Math.floor(x / s));
      data.set(image.data.subarray((sy * image.width + sx) * image.channels, (sy * image.width + sx + 1) * image.channels), (y * width + x) * image.channels);
    }
  }
  return { data, width, height, channels: image.channels };
}

export default Interface({
  fn: ({ image, effect, strength }) => ({ result: applyEffect(image, effect, strength), variants: variants(image, strength) }),
  inputs: {
    image: Image({ mode: 'RGB', width: 512, height: 512, fit: 'inside', withoutEnlargement: true, label: 'Picture' }),
    effect: Dropdown({ choices: EFFECTS, value: 'sepia', label: 'Effect' }),
    strength: Slider({ min: 0, max: 1, step: 0.05, value: 0.7, label: 'Strength' }),
  },
  outputs: {
    result: Image({ label: 'Result' }),
    variants: Gallery({ columns: 3, label: 'Every effect', info: 'The same strength with each effect, on a 128 px preview.' }),
  },
  title: 'Image effects',
  description: 'Blur, pixelate, tint or posterize a picture. Pictures larger than 512 px are scaled down first.',
  examples: [
    { image: new URL('./examples/landscape.jpg', import.meta.url), effect: 'pixelate', strength: 0.5 },
    { image: new URL('./examples/landscape.jpg', import.meta.url), effect: 'sepia', strength: 0.8 },
  ],
  workers: 1,
});
