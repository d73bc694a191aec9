/** Reading `/api/config`: defaults, rejected shapes and base URL resolution. */
import { describe, expect, it } from 'vitest';
import { isApiError, parseConfig, resolveBase } from './config.ts';

describe('parseConfig', () => {
  it('fills defaults and keeps components as given', () => {
    const config = parseConfig({
      title: 'T',
      inputs: [{ name: 'image', kind: 'image', tag: 'vt-image', props: { width: 28 } }],
      outputs: [{ name: 'label', tag: 'vt-label', label: 'Class' }],
    });
    expect(config).toEqual({
      title: 'T',
      description: null,
      article: null,
      inputs: [{ name: 'image', kind: 'image', tag: 'vt-image', props: { width: 28 } }],
      outputs: [{ name: 'label', kind: 'label', tag: 'vt-label', label: 'Class', props: {} }],
      examples: [],
      api: { predict: 'api/predict', flag: null, docs: null },
    });
  });

  it('turns positional examples into objects keyed by input name', () => {
    const config = parseConfig({
      inputs: [
        { name: 'a', tag: 'vt-textbox' },
        { name: 'b', tag: 'vt-number' },
      ],
      examples: [['x', 1], { a: 'y' }, 'junk'],
    });
    expect(config.examples).toEqual([{ a: 'x', b: 1 }, { a: 'y' }]);
  });

  it('rejects what it cannot build, saying where', () => {
    expect(() => parseConfig('nope')).toThrow(/not a JSON object/);
    expect(() => parseConfig({ inputs: {} })).toThrow(/"inputs" is not a list/);
    expect(() => parseConfig({ inputs: [{ name: 'x', tag: 'script' }] })).toThrow(/inputs\[0\] has no vt- tag/);
    expect(() => parseConfig({ outputs: [{ tag: 'vt-label' }] })).toThrow(/outputs\[0\] has no name/);
  });
});

describe('resolveBase', () => {
  it('makes src absolute and ends it with a slash', () => {
    expect(resolveBase('http://host:7860', 'http://page.example/x/y.html').href).toBe('http://host:7860/');
    expect(resolveBase('http://host:7860/image-effects?x=1#y', 'http://page/').href).toBe('http://host:7860/image-effects/');
    expect(resolveBase('/image-effects/', 'http://host:7860/').href).toBe('http://host:7860/image-effects/');
  });

  it("defaults to the page's own directory", () => {
    expect(resolveBase('', 'http://host:7860/image-effects/').href).toBe('http://host:7860/image-effects/');
    expect(resolveBase(null, 'http://host:7860/a/page.html').href).toBe('http://host:7860/a/');
  });
});

describe('isApiError', () => {
  it('recognises the API error shape only', () => {
    expect(isApiError({ error: 'INVALID_IMAGE', message: 'bad' })).toBe(true);
    expect(isApiError({ error: 'X' })).toBe(false);
    expect(isApiError('error')).toBe(false);
  });
});
