/** The conditions of one casual photo (background, light, geometry, noise), drawn from a seeded random source. */

/** Kinds of surface a garment is photographed on. */
export const BACKGROUNDS = ['plain', 'mid-tone', 'gradient', 'wood', 'fabric'] as const;
export type BackgroundKind = (typeof BACKGROUNDS)[number];

/** An 8-bit RGB colour. */
export type Rgb = [number, number, number];

/** Everything that decides how one photo looks; recorded so accuracy can be broken down per condition. */
export interface PhotoConditions {
  /** Canvas size in pixels. */
  width: number;
  height: number;
  background: BackgroundKind;
  /** Surface colours: `plain`/`mid-tone` use the first, `gradient` blends first → second, `wood`/`fabric` use both as their pattern's two tones. */
  colours: [Rgb, Rgb];
  /** Direction of a gradient (radians) and the pattern's scale (cycles across the shorter side). */
  angle: number;
  frequency: number;
  /** The garment's own colour (its lightest parts) and how much its dark parts darken it (0–1). */
  garmentColour: Rgb;
  garmentDepth: number;
  /** A light garment on a light surface (both lighter than 75 % white). */
  lightOnLight: boolean;
  /** Garment's longest side as a fraction of the canvas's shorter side; rotation in degrees; x/y stretch. */
  scale: number;
  rotation: number;
  stretch: number;
  /** Mirror image of the garment (the dataset's garments face one way; photos face both). */
  flip: boolean;
  /** Centre of the garment, as a fraction of the canvas. */
  centreX: number;
  centreY: number;
  /** Small in the frame (scale < 0.45) / part of it outside the frame. */
  small: boolean;
  edge: boolean;
  /** Drop shadow: darkening (0 = none), offset and softness as fractions of the garment's size. */
  shadow: number;
  shadowDx: number;
  shadowDy: number;
  shadowBlur: number;
  /** Corner darkening (0–1), a light gradient across the picture (0–1) and its direction. */
  vignette: number;
  lightGradient: number;
  lightAngle: number;
  /** Contrast squeeze towards mid-grey (1 = none); camera blur (Gaussian σ, fraction of the shorter side); sensor noise σ in 8-bit levels. */
  contrast: number;
  blur: number;
  noise: number;
  /** A low-resolution picture (shorter side under 90 px). */
  lowResolution: boolean;
  /** Seed of the per-pixel randomness (texture, noise), so a photo re-renders identically. */
  pixelSeed: number;
}

/** Where photos are rendered: the canvas's longest side is drawn from `sides`, low-resolution ones from `lowSides`. */
export interface ConditionOptions {
  sides: [number, number];
  lowSides: [number, number];
  /** Probability of a low-resolution picture. */
  lowResolution: number;
}

/** The app sees at most 112 px (app.ts decodes inside 112 × 112), so training renders at that size. */
export const TRAINING_SIZES: ConditionOptions = { sides: [80, 112], lowSides: [40, 72], lowResolution: 0.2 };
/** Evaluation renders phone-like files that the server itself shrinks. */
export const EVALUATION_SIZES: ConditionOptions = { sides: [160, 640], lowSides: [40, 88], lowResolution: 0.15 };

function hslToRgb(h: number, s: number, l: number): Rgb {
  const k = (n: number) => (n + h * 12) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1));
  return [Math.round(255 * f(0)), Math.round(255 * f(8)), Math.round(255 * f(4))];
}

/**
 * Draws the conditions of one casual photo. Probabilities: each background kind 1/5, a light
 * garment on a light surface 15 %, shadow 50 %, rotation uniform in ±20°, stretch ±15 %, small
 * garment 20 %, touching the edge 15 %, vignetting 35 %, low contrast 20 %, blur 30 %, noise 60 %,
 * low resolution as `sizes` says.
 *
 * @example
 * const c = samplePhotoConditions(seededRandom(7)); // c.background === 'wood', …
 */
export function samplePhotoConditions(rand: () => number, sizes: ConditionOptions = TRAINING_SIZES): PhotoConditions {
  const between = (a: number, b: number) => a + (b - a) * rand();
  const chance = (p: number) => rand() < p;
  const lowResolution = chance(sizes.lowResolution);
  const [lo, hi] = lowResolution ? sizes.lowSides : sizes.sides;
  const longest = Math.round(between(lo, hi));
  const aspect = between(0.75, 1.33);
  const width = aspect >= 1 ? longest : Math.max(8, Math.round(longest * aspect));
  const height = aspect >= 1 ? Math.max(8, Math.round(longest / aspect)) : longest;

  const background = BACKGROUNDS[Math.floor(rand() * BACKGROUNDS.length)]!;
  const lightOnLight = chance(0.15);
  const colour = (lightness: number, saturation = between(0, 0.6)) => hslToRgb(rand(), saturation, lightness);
  let colours: [Rgb, Rgb];
  if (background === 'plain') {
    const l = lightOnLight ? between(0.8, 0.97) : between(0.1, 1);
    colours = [colour(l), colour(l)];
  } else if (background === 'mid-tone') {
    const l = between(0.3, 0.65);
    colours = [colour(l, chance(0.4) ? 0 : between(0.1, 0.7)), colour(l)];
  } else if (background === 'gradient') {
    colours = [colour(lightOnLight ? between(0.8, 0.95) : between(0.15, 0.95)), colour(lightOnLight ? between(0.75, 0.9) : between(0.15, 0.95))];
  } else if (background === 'wood') {
    // Pine to walnut: hue 20–40°, saturation 35–65 %; the grain is a darker tone of the same wood.
    const h = between(20, 40) / 360;
    const s = between(0.35, 0.65);
    const l = lightOnLight ? between(0.72, 0.82) : between(0.25, 0.75);
    colours = [hslToRgb(h, s, l), hslToRgb(h, s, l * between(0.6, 0.85))];
  } else {
    const l = lightOnLight ? between(0.78, 0.92) : between(0.2, 0.85);
    const s = between(0, 0.7);
    const h = rand();
    colours = [hslToRgb(h, s, l), hslToRgb(chance(0.5) ? h : rand(), s, l * between(0.7, 0.95))];
  }
  const garmentLightness = lightOnLight ? between(0.8, 0.97) : between(0.05, 0.95);
  const small = chance(0.2);
  const edge = chance(0.15);
  const scale = small ? between(0.22, 0.45) : between(0.5, 0.95);
  // Place the garment's centre so it fits with a margin; an edge photo pushes it 5–20 % out.
  let centreX = between(0.5 - (1 - scale) / 2, 0.5 + (1 - scale) / 2) * 0.9 + 0.05;
  let centreY = between(0.5 - (1 - scale) / 2, 0.5 + (1 - scale) / 2) * 0.9 + 0.05;
  if (edge) {
    const out = scale * between(0.05, 0.2);
    const side = Math.floor(rand() * 4);
    const shortSide = Math.min(width, height);
    const halfX = (scale * shortSide) / width / 2;
    const halfY = (scale * shortSide) / height / 2;
    if (side === 0) centreX = halfX - (out * shortSide) / width;
    else if (side === 1) centreX = 1 - halfX + (out * shortSide) / width;
    else if (side === 2) centreY = halfY - (out * shortSide) / height;
    else centreY = 1 - halfY + (out * shortSide) / height;
  }
  const shadow = chance(0.5) ? between(0.15, 0.55) : 0;
  return {
    width,
    height,
    background,
    colours,
    angle: between(0, Math.PI * 2),
    frequency: background === 'fabric' ? between(12, 40) : between(3, 9),
    garmentColour: colour(garmentLightness, between(0, 0.8)),
    garmentDepth: between(0.4, 1),
    lightOnLight,
    scale,
    rotation: between(-20, 20),
    stretch: Math.exp(between(-0.15, 0.15)),
    flip: chance(0.5),
    centreX,
    centreY,
    small,
    edge,
    shadow,
    shadowDx: between(-0.06, 0.06),
    shadowDy: between(0.01, 0.08),
    shadowBlur: between(0.03, 0.08),
    vignette: chance(0.35) ? between(0.25, 0.65) : 0,
    lightGradient: chance(0.5) ? between(0.05, 0.3) : 0,
    lightAngle: between(0, Math.PI * 2),
    contrast: chance(0.2) ? between(0.35, 0.6) : 1,
    blur: chance(0.3) ? between(0.004, 0.012) : 0,
    noise: chance(0.6) ? between(2, 12) : 0,
    lowResolution,
    pixelSeed: Math.floor(rand() * 2 ** 31),
  };
}

/**
 * Named yes/no conditions of a photo, for per-condition accuracy tables.
 *
 * @example
 * conditionTags(samplePhotoConditions(seededRandom(1))); // ['background: wood', 'drop shadow', …]
 */
export function conditionTags(c: PhotoConditions): string[] {
  const tags: string[] = [`background: ${c.background}`];
  if (c.lightOnLight) tags.push('light garment on light surface');
  if (c.shadow > 0) tags.push('drop shadow');
  if (Math.abs(c.rotation) > 12) tags.push('rotation > 12°');
  if (Math.abs(Math.log(c.stretch)) > 0.08) tags.push('stretch > 8 %');
  if (c.small) tags.push('small in frame');
  if (c.edge) tags.push('touching the edge');
  if (c.vignette > 0) tags.push('vignetting');
  if (c.lightGradient > 0) tags.push('uneven light');
  if (c.contrast < 1) tags.push('low contrast');
  if (c.blur > 0) tags.push('camera blur');
  if (c.noise > 0) tags.push('sensor noise');
  if (c.lowResolution) tags.push('low resolution');
  return tags;
}
