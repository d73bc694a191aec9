/** PCM samples → a WAV file (RIFF, 16-bit little-endian PCM): how every sound output travels. */

/**
 * Encodes float samples (one array per channel, -1…1, clipped) as 16-bit PCM WAV.
 *
 * @example
 * const bytes = encodeWav([new Float32Array(16000)], 16000); // one second of silence
 */
export function encodeWav(channels: readonly Float32Array[], sampleRate: number): Uint8Array {
  const frames = Math.max(0, ...channels.map((c) => c.length));
  const count = channels.length;
  const dataBytes = frames * count * 2;
  const out = new Uint8Array(44 + dataBytes);
  const view = new DataView(out.buffer);
  const text = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) out[at + i] = s.charCodeAt(i);
  };
  text(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true); // PCM format chunk size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, count, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * count * 2, true);
  view.setUint16(32, count * 2, true);
  view.setUint16(34, 16, true);
  text(36, 'data');
  view.setUint32(40, dataBytes, true);
  let at = 44;
  for (let f = 0; f < frames; f++) {
    for (const channel of channels) {
      const s = Math.max(-1, Math.min(1, channel[f] ?? 0));
      view.setInt16(at, Math.round(s < 0 ? s * 0x8000 : s * 0x7fff), true);
      at += 2;
    }
  }
  return out;
}
