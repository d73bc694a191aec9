/** Turning files, blobs and URLs into the data URLs the API takes for images. */

/**
 * Reads a Blob (a File from a picker, a drop or the clipboard) as a `data:` URL, bytes untouched,
 * so the server — not the browser — decides whether the image is valid.
 *
 * @example
 * const value = await blobToDataUrl(input.files[0]);
 */
export function blobToDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.addEventListener('load', () => resolve(String(reader.result)));
    reader.addEventListener('error', () => reject(reader.error ?? new Error('the file could not be read')));
    reader.readAsDataURL(blob);
  });
}

/**
 * Fetches a URL (an example image, relative URLs already resolved) and returns it as a data URL.
 *
 * @example
 * const value = await urlToDataUrl(new URL('examples/sneaker.png', base), signal);
 */
export async function urlToDataUrl(url: URL, signal?: AbortSignal): Promise<string> {
  const response = await fetch(url, { signal: signal ?? null });
  if (!response.ok) throw new Error(`${url.pathname} answered ${response.status}`);
  return blobToDataUrl(await response.blob());
}

/**
 * The `src` to display an image wire value: data URLs as they are, bare base64 as PNG.
 *
 * @example
 * imageSrc('iVBORw0KGgo…'); // → 'data:image/png;base64,iVBORw0KGgo…'
 */
export function imageSrc(value: string): string {
  return /^(data|blob|https?):/i.test(value) ? value : `data:image/png;base64,${value}`;
}

/**
 * A `data:` URL as a `blob:` URL, for `<audio>` and `<video>`: the page's CSP allows media from
 * blob: (not data:), and a blob plays without keeping a second copy as text. Revoke it when done.
 *
 * @example
 * const src = dataUrlToObjectUrl('data:audio/wav;base64,UklGR…'); // 'blob:http://…'
 */
export function dataUrlToObjectUrl(value: string): string {
  const comma = value.indexOf(',');
  const header = value.slice(5, comma);
  const type = header.split(';')[0] || 'application/octet-stream';
  const body = value.slice(comma + 1);
  const binary = header.includes(';base64') ? atob(body) : decodeURIComponent(body);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return URL.createObjectURL(new Blob([bytes], { type }));
}

/**
 * How the examples gallery shows a file-valued example (a URL under the interface, or a `data:`
 * URL): its file name, and the file the interface fetches for the field. Undefined for other values.
 *
 * @example
 * fileExampleView('examples/0/a440.wav', base); // { text: 'a440.wav', file: URL …/examples/0/a440.wav }
 */
export function fileExampleView(value: unknown, base: URL): { text: string; file?: URL; noThumbnail: true } | undefined {
  if (typeof value !== 'string') return undefined;
  if (value.startsWith('data:')) return { text: value.slice(5, value.indexOf(';')) || 'file', noThumbnail: true };
  return { text: decodeURIComponent(value.split('/').pop() ?? value), file: new URL(value, base), noThumbnail: true };
}
