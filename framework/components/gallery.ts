/** Gallery: a list of pictures with captions, in or out; each picture is handled as an Image of the same options. */
import { z } from 'zod';
import type { RawImage } from '../image/index.ts';
import { checkNumber, defineComponent, type CommonOptions } from './base.ts';
import { listFileCodec } from './file-codec.ts';
import { Image, type ImageOptions, type ImageTransport } from './image.ts';

export interface GalleryOptions extends CommonOptions, Pick<ImageOptions, 'width' | 'height' | 'mode' | 'fit' | 'limits'> {
  /** Most pictures (default 100). */
  maxImages?: number;
  /** Columns on the page (default 3). */
  columns?: number;
}

/** One picture of a gallery on the wire (Gradio's GalleryImage): a PNG `data:` URL and its caption. */
export interface GalleryItem {
  image: string;
  caption: string | null;
}

/** One picture as the function gets it, and may return it (or a bare picture). */
export interface GalleryImage {
  image: RawImage;
  caption: string | null;
}

/**
 * A gallery of pictures with captions. The function returns a list of pictures or of
 * `{ image, caption }`; as an input it gets `{ image, caption }` items, decoded like `Image()`.
 *
 * @example
 * outputs: { variants: Gallery({ columns: 4 }) } // fn returns [{ image: blurred, caption: 'blur' }, sepia]
 */
export function Gallery(options: GalleryOptions = {}) {
  const maxImages = checkNumber('Gallery', 'maxImages', options.maxImages ?? 100, { min: 1, max: 10_000, integer: true });
  const columns = checkNumber('Gallery', 'columns', options.columns ?? 3, { min: 1, max: 12, integer: true });
  const picture = Image({ width: options.width, height: options.height, mode: options.mode, fit: options.fit, limits: options.limits });
  const item = z.object({ image: picture.schema, caption: z.string().max(10_000).nullable().default(null) });
  const schema = z.array(item).max(maxImages).describe('Pictures, each { image: base64 or data: URL, caption }') as unknown as z.ZodType<GalleryItem[]>;
  const codec = picture.files!;
  return defineComponent<'gallery', GalleryItem[], Array<{ image: ImageTransport; caption: string | null }>, GalleryImage[], ReadonlyArray<GalleryImage | RawImage>>({
    kind: 'gallery',
    gradio: { name: 'Gallery', props: { columns, type: 'filepath', format: 'png' } },
    schema,
    props: { columns, maxImages },
    options,
    files: listFileCodec(codec, (entry, fn) => ({ ...entry, image: fn(entry.image) })),
    exampleWire: [{ image: picture.exampleWire, caption: 'grey' }],
    exampleValue: [{ image: picture.exampleValue, caption: 'grey' }],
    toTransport: (wire, ctx) => wire.map((w, i) => ({ image: picture.toTransport(w.image, { field: `${ctx.field}.${i}` }), caption: w.caption })),
    preprocess: (items, ctx) => Promise.all(items.map(async (w, i) => ({ image: await picture.preprocess(w.image, { field: `${ctx.field}.${i}` }), caption: w.caption }))),
    postprocess: (result, ctx) =>
      Promise.all(
        result.map(async (entry, i) => {
          const withCaption = 'image' in entry && typeof entry.image === 'object' && 'data' in entry.image ? (entry as GalleryImage) : { image: entry as RawImage, caption: null };
          return { image: await picture.postprocess(withCaption.image, { field: `${ctx.field}.${i}` }), caption: withCaption.caption ?? null };
        }),
      ),
    warm: picture.warm,
  });
}
