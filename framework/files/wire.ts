/** Wire → bytes for any file: a base64 string or a base64 `data:` URL (RFC 2397), with its media type. */
import { VitrineError, type ErrorCode } from '../errors.ts';
import { base64Decode, base64Encode } from './base64.ts';

// RFC 2397: data:[<mediatype>][;<param>]*[;base64],<data>. Only base64 makes sense for binary files.
const DATA_URL = /^data:([^,;]*)((?:;[^,;]*)*),/i;
// RFC 4648 §4 (standard) and §5 (URL-safe) alphabets, padding optional.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64URL = /^[A-Za-z0-9\-_]*={0,2}$/;
const WHITESPACE = /\s/;

/** What a file value decodes to: its bytes and, for a `data:` URL, the media type it declares. */
export interface WireFile {
  bytes: Uint8Array;
  mimeType: string | undefined;
}

/** How to read one kind of file value: what it may be and which catalogue errors name its problems. */
export interface WireFileRules {
  /** Largest decoded size; larger is refused from the base64 length, before decoding. */
  maxBytes?: number;
  /** Media type prefix a `data:` URL must have (`image/`); any when omitted. */
  mediaPrefix?: string;
  /** What the value is called in messages (`image`, `file`). */
  noun?: string;
  invalid?: ErrorCode;
  tooLarge?: ErrorCode;
}

/**
 * Decodes a file wire value: plain base64 (standard or URL-safe, line breaks allowed) or a
 * `data:<type>;base64,…` URL. Anything else is the rules' `invalid` error naming the field; a value
 * whose decoded size is over `maxBytes` is `tooLarge` before it is decoded. The bytes own their
 * memory (never a view into Node's shared Buffer pool), so they can be transferred to a worker.
 *
 * @example
 * fileFromWire('data:audio/wav;base64,UklGRg==', 'clip'); // { bytes: Uint8Array [82, 73, 70, 70], mimeType: 'audio/wav' }
 */
export function fileFromWire(value: string, field: string, rules: WireFileRules = {}): WireFile {
  const noun = rules.noun ?? 'file';
  const invalid = (reason: string) => new VitrineError(rules.invalid ?? 'INVALID_FILE', { field, reason });
  let payload = value;
  let mimeType: string | undefined;
  if (/^data:/i.test(value)) {
    const header = DATA_URL.exec(value);
    if (header === null) throw invalid(`malformed data URL: expected data:${rules.mediaPrefix ?? ''}<type>;base64,<data>`);
    mimeType = (header[1] ?? '').trim().toLowerCase() || undefined;
    if (rules.mediaPrefix !== undefined && !(mimeType ?? '').startsWith(rules.mediaPrefix)) {
      throw invalid(`data URL has media type "${mimeType ?? 'text/plain'}"; expected ${rules.mediaPrefix}*`);
    }
    const params = (header[2] ?? '').toLowerCase().split(';').map((p) => p.trim());
    if (!params.includes('base64')) throw invalid('data URL must be base64-encoded (";base64,")');
    payload = value.slice(header[0].length);
  }
  if (WHITESPACE.test(payload)) payload = payload.replace(/\s+/g, '');
  if (payload.length === 0) throw invalid(`empty ${noun} data`);
  const urlSafe = !BASE64.test(payload);
  if ((urlSafe && !BASE64URL.test(payload)) || payload.length % 4 === 1) {
    throw invalid(`not valid base64 (expected a base64 string or a data:${rules.mediaPrefix ?? ''}…;base64, URL)`);
  }
  const estimated = Math.floor((payload.length * 3) / 4);
  const maxBytes = rules.maxBytes ?? Infinity;
  if (estimated > maxBytes + 2) {
    throw new VitrineError(rules.tooLarge ?? 'FILE_TOO_LARGE', { field, reason: `the file is ${formatBytes(estimated)}; the limit is ${formatBytes(maxBytes)}` });
  }
  return { bytes: base64Decode(payload, urlSafe), mimeType };
}

/**
 * Bytes → a base64 `data:` URL, the form every file output takes in the JSON API.
 *
 * @example
 * dataUrl('audio/wav', wavBytes); // 'data:audio/wav;base64,UklGR…'
 */
export function dataUrl(mimeType: string, bytes: Uint8Array): string {
  return `data:${mimeType};base64,${base64Encode(bytes)}`;
}

/**
 * Human-readable byte count for error messages.
 *
 * @example
 * formatBytes(10 * 1024 * 1024); // '10 MiB'
 */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Number((n / (1024 * 1024)).toFixed(1))} MiB`;
  if (n >= 1024) return `${Number((n / 1024).toFixed(1))} KiB`;
  return `${n} bytes`;
}
