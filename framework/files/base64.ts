/** Base64 both ways, on Node's Buffer where there is one (fast, native) and on atob/btoa in a browser worker. */

type NodeBuffer = { from(v: ArrayBufferLike | string, offsetOrEncoding?: number | string, length?: number): Uint8Array & { toString(encoding: string): string } };
const NodeBuffer = (globalThis as { Buffer?: NodeBuffer }).Buffer;

/** Bytes per `String.fromCharCode` call: well under the engines' argument-count limits. */
const CHUNK = 0x8000;

/**
 * Encodes bytes as standard base64 (with padding).
 *
 * @example
 * base64Encode(new Uint8Array([104, 105])); // 'aGk='
 */
export function base64Encode(bytes: Uint8Array): string {
  if (NodeBuffer) return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

/**
 * Decodes base64 or base64url (padding optional) into bytes that own their ArrayBuffer, so they
 * can be transferred to a worker. The caller checks the alphabet first (files/wire.ts).
 *
 * @example
 * base64Decode('aGk', true); // Uint8Array [104, 105]
 */
export function base64Decode(text: string, urlSafe: boolean): Uint8Array {
  if (NodeBuffer) {
    const decoded = NodeBuffer.from(text, urlSafe ? 'base64url' : 'base64');
    // Small Buffers are slices of a shared 8 KiB pool; copy so the bytes own their ArrayBuffer.
    return decoded.byteOffset === 0 && decoded.buffer.byteLength === decoded.length ? new Uint8Array(decoded.buffer, 0, decoded.length) : new Uint8Array(decoded);
  }
  let standard = urlSafe ? text.replace(/-/g, '+').replace(/_/g, '/') : text;
  standard = standard.replace(/=+$/, '');
  standard += '='.repeat((4 - (standard.length % 4)) % 4);
  const binary = atob(standard);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
