/** Audio: a sound in (decoded to samples and their rate for the function) or out (samples encoded as WAV, played by the page). */
import { z } from 'zod';
import { VitrineError } from '../errors.ts';
import { dataUrl, fileFromWire, formatBytes } from '../files/wire.ts';
import { sniffAudio } from '../media/sniff.ts';
import { encodeWav } from '../media/wav.ts';
import { checkNumber, checkOption, defineComponent, type CommonOptions, type FileBytes } from './base.ts';
import { singleFileCodec } from './file-codec.ts';

export const AUDIO_SOURCES = ['upload', 'microphone'] as const;

export interface AudioOptions extends CommonOptions {
  /** Where the page may take the sound from (default both). */
  sources?: ReadonlyArray<(typeof AUDIO_SOURCES)[number]>;
  /** Largest encoded file (default 10 MiB) and longest sound in seconds (default 600). */
  maxBytes?: number;
  maxDuration?: number;
}

/** A sound as the function gets it: the sample rate and one array of samples (-1…1) per channel; `data` is their mono mix. */
export interface AudioValue {
  sampleRate: number;
  channels: Float32Array[];
  data: Float32Array;
  duration: number;
}

/** What the function may return: a rate and samples — one channel, or one array per channel. */
export interface AudioResult {
  sampleRate: number;
  data: Float32Array | readonly number[] | ReadonlyArray<Float32Array>;
}

const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
// 0.1 s of a 440 Hz tone at 8 kHz, the smallest useful example.
const EXAMPLE_RATE = 8000;

/** The bytes of a sound, checked from its header: WAV, MP3, Ogg (Vorbis, Opus), FLAC, AIFF, WebM or MP4/M4A. */
function readSound(bytes: Uint8Array, field: string, maxBytes: number): FileBytes {
  if (bytes.byteLength === 0) throw new VitrineError('INVALID_FILE', { field, reason: 'the file is empty (0 bytes)' });
  if (bytes.byteLength > maxBytes) throw new VitrineError('FILE_TOO_LARGE', { field, reason: `the file is ${formatBytes(bytes.byteLength)}; the limit is ${formatBytes(maxBytes)}` });
  const format = sniffAudio(bytes);
  if (format === null) throw new VitrineError('UNSUPPORTED_FILE', { field, reason: 'not a sound file this server reads (WAV, MP3, Ogg, FLAC, AIFF, WebM, M4A)' });
  return { bytes, mimeType: format.mimeType, extension: format.extension };
}

function exampleWav(): Uint8Array {
  const tone = new Float32Array(EXAMPLE_RATE / 10).map((_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / EXAMPLE_RATE));
  return encodeWav([tone], EXAMPLE_RATE);
}

/**
 * A sound. The function receives `{ sampleRate, channels, data, duration }` (decoded by the
 * `audio-decode` package in the worker) and returns `{ sampleRate, data }` for an output, which
 * is sent as a 16-bit WAV `data:` URL and played by the page.
 *
 * @example
 * inputs: Audio({ sources: ['microphone'], maxDuration: 30 })
 */
export function Audio(options: AudioOptions = {}) {
  const sources = (options.sources ?? AUDIO_SOURCES).map((s) => checkOption('Audio', 'sources', s, AUDIO_SOURCES));
  const maxBytes = checkNumber('Audio', 'maxBytes', options.maxBytes ?? DEFAULT_MAX_BYTES, { min: 1, integer: true });
  const maxDuration = checkNumber('Audio', 'maxDuration', options.maxDuration ?? 600, { min: 0.001 });
  const example = dataUrl('audio/wav', exampleWav());
  return defineComponent<'audio', string, { bytes: Uint8Array }, AudioValue, AudioResult, true>({
    kind: 'audio',
    gradio: { name: 'Audio', props: { sources, type: 'numpy', format: 'wav', streaming: false } },
    schema: z.string().min(1, 'expected a base64 sound or a data: URL, got an empty string').describe('A sound: base64 or a data: URL (WAV, MP3, Ogg, FLAC, AIFF, WebM, M4A)'),
    props: { sources, maxBytes, maxDuration },
    options,
    isFile: true,
    files: singleFileCodec((value, field) => readSound(fileFromWire(value, field, { maxBytes, mediaPrefix: 'audio/', noun: 'sound' }).bytes, field, maxBytes)),
    maxFileBytes: maxBytes,
    exampleWire: example,
    exampleValue: { sampleRate: EXAMPLE_RATE, data: new Float32Array(EXAMPLE_RATE / 10) },
    sample: 'sound.wav',
    toTransport: (wire, ctx) => ({ bytes: readSound(fileFromWire(wire, ctx.field, { maxBytes, mediaPrefix: 'audio/', noun: 'sound' }).bytes, ctx.field, maxBytes).bytes }),
    fromMultipart: (text) => text,
    fromFile: (bytes, ctx) => ({ bytes: readSound(bytes, ctx.field, maxBytes).bytes }),
    preprocess: async function decodeSound(t, ctx): Promise<AudioValue> {
      const { default: decode } = await import('audio-decode');
      const decoded = await decode(t.bytes).catch((err: unknown) => {
        throw new VitrineError('INVALID_FILE', { field: ctx.field, reason: `the sound cannot be decoded (${err instanceof Error ? err.message.slice(0, 200) : 'unknown error'})` });
      });
      const channels = decoded.channelData;
      const frames = channels[0]?.length ?? 0;
      if (channels.length === 0 || frames === 0 || !(decoded.sampleRate > 0)) throw new VitrineError('INVALID_FILE', { field: ctx.field, reason: 'the sound has no samples' });
      const duration = frames / decoded.sampleRate;
      if (duration > maxDuration) throw new VitrineError('FILE_TOO_LARGE', { field: ctx.field, reason: `the sound lasts ${duration.toFixed(1)} s; the limit is ${maxDuration} s` });
      const data = channels.length === 1 ? channels[0]! : mix(channels);
      return { sampleRate: decoded.sampleRate, channels, data, duration };
    },
    postprocess: function encodeSound(result, ctx): string {
      const rate = result?.sampleRate;
      if (!Number.isInteger(rate) || rate < 1 || rate > 384_000) throw new Error(`Audio "${ctx.field}": sampleRate must be an integer from 1 to 384000; got ${String(rate)}`);
      const d = result.data;
      const channels = Array.isArray(d) && d[0] instanceof Float32Array ? (d as Float32Array[]) : [d instanceof Float32Array ? d : Float32Array.from(d as number[])];
      return dataUrl('audio/wav', encodeWav(channels, rate));
    },
  });
}

function mix(channels: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(channels[0]!.length);
  for (const c of channels) for (let i = 0; i < out.length; i++) out[i]! += (c[i] ?? 0) / channels.length;
  return out;
}
