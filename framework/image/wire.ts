/** Wire → bytes: an image sent in JSON as a base64 string or a base64 `data:` URL (RFC 2397). */
import { VitrineError } from '../errors.ts';

// RFC 2397: data:[<mediatype>][;<param>]*[;base64],<data>. Only base64 makes sense for binary images.
const DATA_URL = /^data:([^,;]*)((?:;[^,;]*)*),/i;
// RFC 4648 §4 (standard) and §5 (URL-safe) alphabets, padding optional.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64URL = /^[A-Za-z0-9\-_]*={0,2}$/;
const WHITESPACE = /\s/;

/**
 * Turns an image wire value into its encoded bytes. Accepts plain base64 (standard or URL-safe,
 * line breaks allowed) or a `data:image/…;base64,…` URL. Anything else is an INVALID_IMAGE naming
 * the field; a value whose decoded size is over `maxBytes` is IMAGE_TOO_LARGE before it is decoded.
 * The result owns its memory (never a view into Node's shared Buffer pool), so it can be
 * transferred to a worker.
 *
 * @example
 * imageBytesFromWire('data:image/png;base64,iVBORw0KGgo=', 'image'); // Uint8Array [137, 80, 78, 71, …]
 * imageBytesFromWire('data:text/plain;base64,aGk=', 'image'); // throws INVALID_IMAGE
 */
export function imageBytesFromWire(value: string, field: string, maxBytes = Infinity): Uint8Array {
  let payload = value;
  if (/^data:/i.test(value)) {
    const header = DATA_URL.exec(value);
    if (header === null) throw invalid(field, 'malformed data URL: expected data:image/<type>;base64,<data>');
    const mediaType = (header[1] ?? '').trim().toLowerCase();
    if (!mediaType.startsWith('image/')) {
      throw invalid(field, `data URL has media type "${mediaType || 'text/plain'}"; expected image/*`);
    }
    const params = (header[2] ?? '').toLowerCase().split(';').map((p) => p.trim());
    if (!params.includes('base64')) throw invalid(field, 'data URL must be base64-encoded (";base64,")');
    payload = value.slice(header[0].length);
  }
  if (WHITESPACE.test(payload)) payload = payload.replace(/\s+/g, '');
  if (payload.length === 0) throw invalid(field, 'empty image data');
  const urlSafe = !BASE64.test(payload);
  if ((urlSafe && !BASE64URL.test(payload)) || payload.length % 4 === 1) {
    throw invalid(field, 'not valid base64 (expected a base64 string or a data:image/…;base64, URL)');
  }
  const estimated = Math.floor((payload.length * 3) / 4);
  if (estimated > maxBytes + 2) {
    throw new VitrineError('IMAGE_TOO_LARGE', {
      field,
      reason: `the file is ${formatBytes(estimated)}; the limit is ${formatBytes(maxBytes)}`,
    });
  }
  const decoded = Buffer.from(payload, urlSafe ? 'base64url' : 'base64');
  // Small Buffers are slices of a shared 8 KiB pool; copy so the bytes own their ArrayBuffer.
  return decoded.byteOffset === 0 && decoded.buffer.byteLength === decoded.length
    ? new Uint8Array(decoded.buffer, 0, decoded.length)
    : new Uint8Array(decoded);
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

function invalid(field: string, reason: string): VitrineError {
  return new VitrineError('INVALID_IMAGE', { field, reason });
}
