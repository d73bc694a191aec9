/** The colours given to classes that an app did not colour itself (HighlightedText, AnnotatedImage), stable per class name. */

const PALETTE = ['#fde68a', '#bfdbfe', '#bbf7d0', '#fecaca', '#ddd6fe', '#fbcfe8', '#a5f3fc', '#fed7aa'];

/**
 * The colour of a class: the app's own from `colorMap`, else one of the palette's, the same for
 * the same name on every page.
 *
 * @example
 * classColour('GARMENT', {}); // '#bbf7d0'
 */
export function classColour(name: string, colorMap: Readonly<Record<string, string>> | undefined): string {
  const own = colorMap?.[name];
  if (typeof own === 'string' && /^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20}|(rgb|hsl)a?\([0-9.,%\s]+\))$/.test(own)) return own;
  let h = 0;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length]!;
}
