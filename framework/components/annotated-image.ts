/** AnnotatedImage: a picture with labelled boxes or masks over it (detections, segments), usually an output. */
import { z } from 'zod';
import type { RawImage } from '../image/index.ts';
import { checkNumber, defineComponent, type CommonOptions, type FileCodec } from './base.ts';
import { Image } from './image.ts';

export interface AnnotatedImageOptions extends CommonOptions {
  /** Colours per label, as CSS colours; other labels get the theme's palette. */
  colorMap?: Readonly<Record<string, string>>;
  /** Most annotations (default 100). */
  maxAnnotations?: number;
}

/** One annotation on the wire: a label with a box `[x0, y0, x1, y1]` in pixels, or a mask picture of the same size (white = inside). */
export interface AnnotationWire {
  label: string;
  box?: [number, number, number, number] | undefined;
  mask?: string | undefined;
}

/** The wire value: the picture and its annotations. */
export interface AnnotatedImageWire {
  image: string;
  annotations: AnnotationWire[];
}

/** What the function returns: the picture and, per annotation, a box or a one-channel mask. */
export interface AnnotatedImageResult {
  image: RawImage;
  annotations: ReadonlyArray<{ label: string; box?: readonly [number, number, number, number]; mask?: RawImage }>;
}

const CSS_COLOUR = /^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20})$/;

/**
 * A picture with labelled regions. The function returns `{ image, annotations: [{ label, box }] }`
 * (or masks); the page draws the regions over the picture with a legend, and hovering or focusing
 * a label highlights its region.
 *
 * @example
 * outputs: { found: AnnotatedImage() } // fn returns { image, annotations: [{ label: 'garment', box: [4, 2, 24, 26] }] }
 */
export function AnnotatedImage(options: AnnotatedImageOptions = {}) {
  const maxAnnotations = checkNumber('AnnotatedImage', 'maxAnnotations', options.maxAnnotations ?? 100, { min: 1, max: 10_000, integer: true });
  const colorMap = { ...options.colorMap };
  for (const [name, colour] of Object.entries(colorMap)) {
    if (typeof colour !== 'string' || !CSS_COLOUR.test(colour)) throw new TypeError(`AnnotatedImage(): colorMap["${name}"] must be a CSS colour (#rgb or a name); got ${JSON.stringify(colour)}`);
  }
  const picture = Image();
  const coordinate = z.number().finite().min(0);
  const annotation = z
    .object({ label: z.string().max(1000), box: z.tuple([coordinate, coordinate, coordinate, coordinate]).optional(), mask: picture.schema.optional() })
    .refine((a) => (a.box === undefined) !== (a.mask === undefined), 'each annotation has either a box or a mask')
    .refine((a) => a.box === undefined || (a.box[2] >= a.box[0] && a.box[3] >= a.box[1]), 'a box is [x0, y0, x1, y1] with x1 ≥ x0 and y1 ≥ y0');
  const schema = z
    .object({ image: picture.schema, annotations: z.array(annotation).max(maxAnnotations) })
    .describe('A picture (base64 or data: URL) and its annotations: { label, box: [x0, y0, x1, y1] } or { label, mask }') as unknown as z.ZodType<AnnotatedImageWire>;
  const one = picture.files!;
  // Gradio's value has the same places for files: the picture, then each annotation's mask.
  const files: FileCodec = {
    map: (value, fn) => {
      if (value === null || typeof value !== 'object') return value;
      const v = value as { image: unknown; annotations?: Array<Record<string, unknown>> };
      return { ...v, image: fn(v.image), annotations: (v.annotations ?? []).map((a) => (a.mask === undefined ? a : { ...a, mask: fn(a.mask) })) };
    },
    read: one.read,
    write: one.write,
  };
  return defineComponent<'annotated-image', AnnotatedImageWire, AnnotatedImageWire, AnnotatedImageWire, AnnotatedImageResult>({
    kind: 'annotated-image',
    gradio: { name: 'AnnotatedImage', props: { color_map: colorMap, show_legend: true, format: 'png' } },
    schema,
    props: { colorMap },
    options,
    files,
    exampleWire: { image: picture.exampleWire, annotations: [{ label: 'garment', box: [0, 0, 1, 1] }] },
    exampleValue: { image: picture.exampleValue, annotations: [{ label: 'garment', box: [0, 0, 1, 1] }] },
    postprocess: async function toAnnotatedWire(result, ctx): Promise<AnnotatedImageWire> {
      const image = await picture.postprocess(result.image, { field: `${ctx.field}.image` });
      const annotations = await Promise.all(
        result.annotations.map(async (a, i) => ({
          label: a.label,
          ...(a.box ? { box: [...a.box] as [number, number, number, number] } : {}),
          ...(a.mask ? { mask: await picture.postprocess(a.mask, { field: `${ctx.field}.annotations.${i}` }) } : {}),
        })),
      );
      return { image, annotations };
    },
    warm: picture.warm,
  });
}
