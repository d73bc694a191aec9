/** Video: a video file in or out, as its bytes (no transcoding); the browser plays it. */
import { z } from 'zod';
import { VitrineError } from '../errors.ts';
import { dataUrl, fileFromWire, formatBytes } from '../files/wire.ts';
import { sniffVideo } from '../media/sniff.ts';
import { checkNumber, defineComponent, type CommonOptions, type FileBytes } from './base.ts';
import { singleFileCodec } from './file-codec.ts';

export interface VideoOptions extends CommonOptions {
  /** Largest file (default 50 MiB; the server's body limit applies too). */
  maxBytes?: number;
}

/** A video as the function gets it and returns it: the file's bytes and its type, never re-encoded. */
export interface VideoValue {
  bytes: Uint8Array;
  mimeType: string;
}

const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;

function readVideo(bytes: Uint8Array, field: string, maxBytes: number): FileBytes {
  if (bytes.byteLength === 0) throw new VitrineError('INVALID_FILE', { field, reason: 'the file is empty (0 bytes)' });
  if (bytes.byteLength > maxBytes) throw new VitrineError('FILE_TOO_LARGE', { field, reason: `the file is ${formatBytes(bytes.byteLength)}; the limit is ${formatBytes(maxBytes)}` });
  const format = sniffVideo(bytes);
  if (format === null) throw new VitrineError('UNSUPPORTED_FILE', { field, reason: 'not a video file this server takes (MP4, QuickTime, WebM, Ogg)' });
  return { bytes, mimeType: format.mimeType, extension: format.extension };
}

// The smallest MP4 header that the container check accepts: an `ftyp` box of the isom brand.
const EXAMPLE = new Uint8Array([0, 0, 0, 20, 102, 116, 121, 112, 105, 115, 111, 109, 0, 0, 2, 0, 105, 115, 111, 109]);

/**
 * A video file. The function receives `{ bytes, mimeType }` and returns the same for an output;
 * the container is checked from its header (MP4, QuickTime, WebM, Ogg), the content is not decoded.
 *
 * @example
 * inputs: Video(), outputs: Video() // fn: (clip) => clip
 */
export function Video(options: VideoOptions = {}) {
  const maxBytes = checkNumber('Video', 'maxBytes', options.maxBytes ?? DEFAULT_MAX_BYTES, { min: 1, integer: true });
  const codec = singleFileCodec((value, field) => readVideo(fileFromWire(value, field, { maxBytes, mediaPrefix: 'video/', noun: 'video' }).bytes, field, maxBytes));
  return defineComponent<'video', string, VideoValue, VideoValue, VideoValue, true>({
    kind: 'video',
    gradio: { name: 'Video', props: { sources: ['upload'], format: null } },
    schema: z.string().min(1, 'expected a base64 video or a data: URL, got an empty string').describe('A video: base64 or a data: URL (MP4, QuickTime, WebM, Ogg)'),
    props: { maxBytes },
    options,
    isFile: true,
    files: codec,
    maxFileBytes: maxBytes,
    exampleWire: dataUrl('video/mp4', EXAMPLE),
    exampleValue: { bytes: EXAMPLE, mimeType: 'video/mp4' },
    sample: 'clip.mp4',
    toTransport: (wire, ctx) => {
      const f = readVideo(fileFromWire(wire, ctx.field, { maxBytes, mediaPrefix: 'video/', noun: 'video' }).bytes, ctx.field, maxBytes);
      return { bytes: f.bytes, mimeType: f.mimeType };
    },
    fromMultipart: (text) => text,
    fromFile: (bytes, ctx) => {
      const f = readVideo(bytes, ctx.field, maxBytes);
      return { bytes: f.bytes, mimeType: f.mimeType };
    },
    postprocess: function videoToWire(result, ctx): string {
      const f = readVideo(result.bytes, ctx.field, Infinity);
      return dataUrl(f.mimeType, f.bytes);
    },
  });
}
