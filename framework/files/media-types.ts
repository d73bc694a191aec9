/** A file's media type from its name, for the files the server serves (examples) and the files apps return without one. */

const BY_EXTENSION: Readonly<Record<string, string>> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif',
  wav: 'audio/wav', mp3: 'audio/mpeg', ogg: 'audio/ogg', flac: 'audio/flac', mp4: 'video/mp4', webm: 'video/webm',
  txt: 'text/plain', csv: 'text/csv', json: 'application/json', pdf: 'application/pdf', zip: 'application/zip',
};

/**
 * The media type of a file name's extension; `application/octet-stream` for any other.
 *
 * @example
 * mediaTypeOfName('a440.wav'); // 'audio/wav'
 */
export function mediaTypeOfName(name: string): string {
  return BY_EXTENSION[name.toLowerCase().split('.').pop() ?? ''] ?? 'application/octet-stream';
}
