/** Sound and video containers told apart by their first bytes, never by a name or a declared type. */

/** A recognised container: what it is stored and served as. */
export interface MediaFormat {
  kind: 'audio' | 'video';
  extension: string;
  mimeType: string;
}

const ascii = (bytes: Uint8Array, at: number, text: string) => text.split('').every((c, i) => bytes[at + i] === c.charCodeAt(0));

/**
 * The sound container of `bytes`: WAV, MP3, Ogg, FLAC, AIFF, WebM/Matroska, MP4/M4A; null when
 * it is none of them. WebM and MP4 may hold video too: they count as sound here, since audio
 * decoders read their sound track.
 *
 * @example
 * sniffAudio(wavBytes); // { kind: 'audio', extension: 'wav', mimeType: 'audio/wav' }
 */
export function sniffAudio(bytes: Uint8Array): MediaFormat | null {
  const audio = (extension: string, mimeType: string): MediaFormat => ({ kind: 'audio', extension, mimeType });
  if (bytes.length < 12) return null;
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WAVE')) return audio('wav', 'audio/wav');
  if (ascii(bytes, 0, 'ID3') || (bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0 && (bytes[1]! & 0x06) !== 0)) return audio('mp3', 'audio/mpeg');
  if (ascii(bytes, 0, 'OggS')) return audio('ogg', 'audio/ogg');
  if (ascii(bytes, 0, 'fLaC')) return audio('flac', 'audio/flac');
  if (ascii(bytes, 0, 'FORM') && (ascii(bytes, 8, 'AIFF') || ascii(bytes, 8, 'AIFC'))) return audio('aiff', 'audio/aiff');
  if (bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) return audio('webm', 'audio/webm');
  if (ascii(bytes, 4, 'ftyp')) return audio('m4a', 'audio/mp4');
  return null;
}

/**
 * The video container of `bytes`: MP4, QuickTime, WebM/Matroska or Ogg; null otherwise.
 *
 * @example
 * sniffVideo(mp4Bytes); // { kind: 'video', extension: 'mp4', mimeType: 'video/mp4' }
 */
export function sniffVideo(bytes: Uint8Array): MediaFormat | null {
  const video = (extension: string, mimeType: string): MediaFormat => ({ kind: 'video', extension, mimeType });
  if (bytes.length < 12) return null;
  if (ascii(bytes, 4, 'ftyp')) return ascii(bytes, 8, 'qt  ') ? video('mov', 'video/quicktime') : video('mp4', 'video/mp4');
  if (bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) return video('webm', 'video/webm');
  if (ascii(bytes, 0, 'OggS')) return video('ogv', 'video/ogg');
  return null;
}
