/** Wire → bytes: an image sent in JSON as a base64 string or a base64 `data:` URL (RFC 2397). */
import { fileFromWire } from '../files/wire.ts';

export { formatBytes } from '../files/wire.ts';

/**
 * Turns an image wire value into its encoded bytes. Accepts plain base64 (standard or URL-safe,
 * line breaks allowed) or a `data:image/…;base64,…` URL. Anything else is an INVALID_IMAGE naming
 * the field; a value whose decoded size is over `maxBytes` is IMAGE_TOO_LARGE before it is decoded.
 * The result owns its memory, so it can be transferred to a worker.
 *
 * @example
 * imageBytesFromWire('data:image/png;base64,iVBORw0KGgo=', 'image'); // Uint8Array [137, 80, 78, 71, …]
 * imageBytesFromWire('data:text/plain;base64,aGk=', 'image'); // throws INVALID_IMAGE
 */
export function imageBytesFromWire(value: string, field: string, maxBytes = Infinity): Uint8Array {
  return fileFromWire(value, field, { maxBytes, mediaPrefix: 'image/', noun: 'image', invalid: 'INVALID_IMAGE', tooLarge: 'IMAGE_TOO_LARGE' }).bytes;
}
