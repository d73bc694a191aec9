/** Image effects: a non-ML app (Image + Slider + Dropdown → Image) showing the framework is generic. */
import { Dropdown, Image, Interface, Slider } from 'vitrine';
import { EFFECTS, applyEffect } from './effects.ts';

export default Interface({
  fn: ({ image, effect, strength }) => ({ result: applyEffect(image, effect, strength) }),
  inputs: {
    image: Image({ mode: 'RGB', width: 512, height: 512, fit: 'inside', withoutEnlargement: true, label: 'Picture' }),
    effect: Dropdown({ choices: EFFECTS, value: 'sepia', label: 'Effect' }),
    strength: Slider({ min: 0, max: 1, step: 0.05, value: 0.7, label: 'Strength' }),
  },
  outputs: { result: Image({ label: 'Result' }) },
  title: 'Image effects',
  description: 'Blur, pixelate, tint or posterize a picture. Pictures larger than 512 px are scaled down first.',
  examples: [
    { image: new URL('./examples/landscape.jpg', import.meta.url), effect: 'pixelate', strength: 0.5 },
    { image: new URL('./examples/landscape.jpg', import.meta.url), effect: 'sepia', strength: 0.8 },
  ],
  workers: 1,
});
