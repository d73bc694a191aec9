/** The Markdown subset: what it recognises, what stays literal text, and which links survive. */
import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown, safeHref } from './markdown.ts';

describe('parseInline', () => {
  it('recognises code, links, bold and italic, nested', () => {
    expect(parseInline('a `x*y*` **b _c_** [d](https://e.f "t") *g*')).toEqual([
      { type: 'text', text: 'a ' },
      { type: 'code', text: 'x*y*' },
      { type: 'text', text: ' ' },
      { type: 'strong', children: [{ type: 'text', text: 'b ' }, { type: 'em', children: [{ type: 'text', text: 'c' }] }] },
      { type: 'text', text: ' ' },
      { type: 'link', href: 'https://e.f', children: [{ type: 'text', text: 'd' }] },
      { type: 'text', text: ' ' },
      { type: 'em', children: [{ type: 'text', text: 'g' }] },
    ]);
  });

  it('leaves lone delimiters, arithmetic and snake_case as text', () => {
    expect(parseInline('2 * 3 * 4 and snake_case_name and a_b')).toEqual([{ type: 'text', text: '2 * 3 * 4 and snake_case_name and a_b' }]);
  });

  it('keeps HTML as text (it is never parsed)', () => {
    expect(parseInline('<img src=x onerror=alert(1)>')).toEqual([{ type: 'text', text: '<img src=x onerror=alert(1)>' }]);
  });

  it('links bare URLs without their trailing punctuation', () => {
    expect(parseInline('see https://example.com/a.')).toEqual([
      { type: 'text', text: 'see ' },
      { type: 'link', href: 'https://example.com/a', children: [{ type: 'text', text: 'https://example.com/a' }] },
      { type: 'text', text: '.' },
    ]);
  });
});

describe('parseMarkdown', () => {
  it('splits paragraphs, headings, lists and fenced code', () => {
    const blocks = parseMarkdown('# Title\n\nOne\nline.\n\n- a\n- b\n  more\n\n1. x\n2) y\n\n```\ncode *not em*\n```\nafter');
    expect(blocks.map((b) => b.type)).toEqual(['heading', 'paragraph', 'list', 'list', 'code', 'paragraph']);
    expect(blocks[1]).toEqual({ type: 'paragraph', children: [{ type: 'text', text: 'One line.' }] });
    expect(blocks[2]).toEqual({
      type: 'list',
      ordered: false,
      items: [[{ type: 'text', text: 'a' }], [{ type: 'text', text: 'b more' }]],
    });
    expect(blocks[3]).toMatchObject({ type: 'list', ordered: true });
    expect(blocks[4]).toEqual({ type: 'code', text: 'code *not em*' });
  });

  it('gives nothing for an empty document', () => {
    expect(parseMarkdown('\n\n  \n')).toEqual([]);
  });
});

describe('safeHref', () => {
  it('keeps http(s) and mailto, resolving relative links against the base', () => {
    expect(safeHref('docs', 'http://h:7860/app/')).toBe('http://h:7860/app/docs');
    expect(safeHref('mailto:a@b.c', 'http://h/')).toBe('mailto:a@b.c');
  });

  it('drops script and data URLs', () => {
    expect(safeHref('javascript:alert(1)', 'http://h/')).toBeNull();
    expect(safeHref(' JaVaScRiPt:alert(1)', 'http://h/')).toBeNull();
    expect(safeHref('data:text/html,<script>', 'http://h/')).toBeNull();
  });
});
