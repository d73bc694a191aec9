/** A tiny Markdown subset parsed to a tree (never to HTML): paragraphs, headings, lists, code, links, bold, italic. */

/** Inline content: plain text or a formatted span. */
export type Inline =
  | { type: 'text'; text: string }
  | { type: 'code'; text: string }
  | { type: 'strong'; children: Inline[] }
  | { type: 'em'; children: Inline[] }
  | { type: 'link'; href: string; children: Inline[] };

/** Block content. Headings keep their Markdown level (1–6); the renderer maps them under the page title. */
export type Block =
  | { type: 'paragraph'; children: Inline[] }
  | { type: 'heading'; level: number; children: Inline[] }
  | { type: 'list'; ordered: boolean; items: Inline[][] }
  | { type: 'code'; text: string };

// One alternation per inline construct, tried left to right at each position. Emphasis needs a
// non-space just inside each delimiter, as in CommonMark, so "2 * 3 * 4" stays plain text.
const INLINE = new RegExp(
  [
    /`([^`\n]+)`/.source, // 1: code
    /\[([^\]\n]+)\]\(\s*([^)\s]+)(?:\s+"[^"\n]*")?\s*\)/.source, // 2: link text, 3: href
    /\*\*(?=\S)(.+?)(?<=\S)\*\*/.source, // 4: strong
    /__(?=\S)(.+?)(?<=\S)__/.source, // 5: strong
    /\*(?=[^\s*])(.+?)(?<=[^\s*])\*/.source, // 6: em
    /(?<![\p{L}\p{N}_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\p{L}\p{N}_])/u.source, // 7: em
    /<(https?:\/\/[^\s<>]+)>/.source, // 8: autolink in angle brackets
    /(https?:\/\/[^\s<>()]*[^\s<>().,;:!?'"*_])/.source, // 9: bare URL, trailing punctuation left out
  ].join('|'),
  'gu',
);

/**
 * Parses inline Markdown into spans; anything unrecognised stays literal text.
 *
 * @example
 * parseInline('a **b** [c](https://x.y)');
 */
export function parseInline(source: string): Inline[] {
  const out: Inline[] = [];
  const pushText = (text: string): void => {
    if (text === '') return;
    const last = out[out.length - 1];
    if (last?.type === 'text') last.text += text;
    else out.push({ type: 'text', text });
  };
  let cursor = 0;
  for (const m of source.matchAll(INLINE)) {
    const index = m.index;
    pushText(source.slice(cursor, index));
    cursor = index + m[0].length;
    if (m[1] !== undefined) out.push({ type: 'code', text: m[1] });
    else if (m[2] !== undefined && m[3] !== undefined) out.push({ type: 'link', href: m[3], children: parseInline(m[2]) });
    else if (m[4] !== undefined || m[5] !== undefined) out.push({ type: 'strong', children: parseInline(m[4] ?? m[5] ?? '') });
    else if (m[6] !== undefined || m[7] !== undefined) out.push({ type: 'em', children: parseInline(m[6] ?? m[7] ?? '') });
    else {
      const url = m[8] ?? m[9] ?? '';
      out.push({ type: 'link', href: url, children: [{ type: 'text', text: url }] });
    }
  }
  pushText(source.slice(cursor));
  return out;
}

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const BULLET = /^\s{0,3}[-*+]\s+(.*)$/;
const NUMBERED = /^\s{0,3}\d{1,9}[.)]\s+(.*)$/;
const FENCE = /^\s{0,3}(```|~~~)/;

/**
 * Parses a Markdown document into blocks. Lines are split on `\n`; blank lines end paragraphs and
 * lists; an indented line continues the list item above it.
 *
 * @example
 * parseMarkdown('# Title\n\nSome *text*.\n\n- one\n- two');
 */
export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let list: { ordered: boolean; items: string[] } | null = null;

  const flush = (): void => {
    if (paragraph.length > 0) blocks.push({ type: 'paragraph', children: parseInline(paragraph.join(' ')) });
    if (list !== null) blocks.push({ type: 'list', ordered: list.ordered, items: list.items.map(parseInline) });
    paragraph = [];
    list = null;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const fence = FENCE.exec(line);
    if (fence !== null) {
      flush();
      const code: string[] = [];
      for (i++; i < lines.length && !(lines[i] ?? '').trimStart().startsWith(fence[1] ?? '```'); i++) code.push(lines[i] ?? '');
      blocks.push({ type: 'code', text: code.join('\n') });
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading !== null) {
      flush();
      blocks.push({ type: 'heading', level: heading[1]?.length ?? 1, children: parseInline(heading[2] ?? '') });
      continue;
    }
    const bullet = BULLET.exec(line);
    const numbered = bullet === null ? NUMBERED.exec(line) : null;
    const item = bullet ?? numbered;
    if (item !== null) {
      const ordered = numbered !== null;
      if (paragraph.length > 0 || (list !== null && list.ordered !== ordered)) flush();
      list ??= { ordered, items: [] };
      list.items.push(item[1] ?? '');
      continue;
    }
    if (list !== null && /^\s/.test(line) && list.items.length > 0) {
      list.items[list.items.length - 1] += ` ${line.trim()}`;
      continue;
    }
    if (list !== null) flush();
    paragraph.push(line.trim());
  }
  flush();
  return blocks;
}

/**
 * A link target safe to put in `href`: resolved against `base`, and only http(s) or mailto;
 * `javascript:`, `data:` and the like give null (the renderer then shows the text without a link).
 *
 * @example
 * safeHref('javascript:alert(1)', 'http://h/'); // → null
 */
export function safeHref(href: string, base: string): string | null {
  try {
    const url = new URL(href, base);
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}
