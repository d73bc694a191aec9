/** The simple kinds: wire bounds, defaults, and how a multipart text field becomes a wire value. */
import { describe, expect, it } from 'vitest';
import { Checkbox, Dropdown, JSON as JsonComponent, Number as NumberComponent, Slider, Textbox } from './index.ts';

const ctx = { field: 'f' };

describe('Textbox', () => {
  it('enforces maxLength and keeps digits as text in multipart', () => {
    const c = Textbox({ maxLength: 3 });
    expect(c.schema.safeParse('abc').success).toBe(true);
    expect(c.schema.safeParse('abcd').success).toBe(false);
    expect(c.fromMultipart('42', ctx)).toBe('42');
    expect(c.fromMultipart('true', ctx)).toBe('true');
    expect(c.props).toEqual({ lines: 1, placeholder: null, maxLength: 3, value: null });
  });

  it('checks its default against maxLength when built, and sends it to the page', () => {
    expect(() => Textbox({ maxLength: 3, value: 'toolong' })).toThrow(/"value" must be a string of at most 3 characters/);
    expect(() => Textbox({ placeholder: 5 as never })).toThrow(/"placeholder" must be a string/);
    expect(Textbox({ value: 'hi' }).props.value).toBe('hi');
  });

  it('is required unless it has a value', () => {
    expect(Textbox().defaultValue).toBeUndefined();
    expect(Textbox({ value: 'hi' }).defaultValue).toBe('hi');
  });
});

describe('Number', () => {
  it('enforces min and max on the wire', () => {
    const c = NumberComponent({ min: 0, max: 10 });
    expect(c.schema.safeParse(10).success).toBe(true);
    expect(c.schema.safeParse(-0.5).success).toBe(false);
    expect(c.schema.safeParse(11).success).toBe(false);
    expect(c.schema.safeParse('5').success).toBe(false);
    expect(c.schema.safeParse(Number.NaN).success).toBe(false);
    expect(c.props).toEqual({ min: 0, max: 10, step: null, value: null });
    expect(NumberComponent({ value: 4 }).props.value).toBe(4);
  });

  it('reads a multipart field as a number', () => {
    const c = NumberComponent();
    expect(c.fromMultipart('5', ctx)).toBe(5);
    expect(c.fromMultipart(' -2.5e1 ', ctx)).toBe(-25);
    expect(c.schema.safeParse(c.fromMultipart('five', ctx)).success).toBe(false);
    expect(c.schema.safeParse(c.fromMultipart('', ctx)).success).toBe(false);
  });

  it('uses its value as the default', () => {
    expect(NumberComponent({ value: 3 }).defaultValue).toBe(3);
    expect(NumberComponent().defaultValue).toBeUndefined();
  });
});

describe('Slider', () => {
  it('is bounded, defaults to min and is never required', () => {
    const c = Slider({ min: 2, max: 4 });
    expect(c.props).toEqual({ min: 2, max: 4, step: 1, value: 2 });
    expect(c.defaultValue).toBe(2);
    expect(c.schema.safeParse(4.5).success).toBe(false);
    expect(c.schema.safeParse(1.5).success).toBe(false);
    expect(c.fromMultipart('3.5', ctx)).toBe(3.5);
  });
});

describe('Checkbox', () => {
  it('takes only booleans, and true/false in multipart', () => {
    const c = Checkbox();
    expect(c.defaultValue).toBe(false);
    expect(c.schema.safeParse(1).success).toBe(false);
    expect(c.schema.safeParse('true').success).toBe(false);
    expect(c.fromMultipart('true', ctx)).toBe(true);
    expect(c.fromMultipart('false', ctx)).toBe(false);
  });
});

describe('Dropdown', () => {
  it('takes only its choices and defaults to the first', () => {
    const c = Dropdown({ choices: ['blur', 'sepia'] });
    expect(c.defaultValue).toBe('blur');
    expect(c.schema.safeParse('sepia').success).toBe(true);
    expect(c.schema.safeParse('glow').success).toBe(false);
    expect(c.props).toEqual({ choices: ['blur', 'sepia'], value: 'blur' });
  });

  it('keeps a choice that looks like a number as text in multipart', () => {
    const c = Dropdown({ choices: ['1', '2'] });
    expect(c.fromMultipart('2', ctx)).toBe('2');
  });

  it('does not share its choices list with the caller', () => {
    const choices: [string, ...string[]] = ['a', 'b'];
    const c = Dropdown({ choices });
    choices.push('c');
    expect(c.props.choices).toEqual(['a', 'b']);
  });
});

describe('JSON', () => {
  it('takes any JSON value', () => {
    const c = JsonComponent();
    for (const v of [null, 0, 'x', true, [], {}, { a: [1, { b: null }] }]) expect(c.schema.safeParse(v).success).toBe(true);
  });

  it('refuses what JSON cannot carry', () => {
    const c = JsonComponent();
    expect(c.schema.safeParse(undefined).success).toBe(false);
    expect(c.schema.safeParse({ a: Number.POSITIVE_INFINITY }).success).toBe(false);
    expect(c.schema.safeParse({ f: () => 1 }).success).toBe(false);
  });

  it('refuses nesting deeper than maxDepth without recursion', () => {
    const c = JsonComponent({ maxDepth: 3 });
    expect(c.schema.safeParse([[[1]]]).success).toBe(true);
    expect(c.schema.safeParse([[[[1]]]]).success).toBe(false);
    let deep: unknown = 0;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const r = JsonComponent().schema.safeParse(deep);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/nested deeper than 32 levels/);
  });

  it('reads a multipart field as JSON, not as a string', () => {
    const c = JsonComponent();
    expect(c.fromMultipart('{"a":[1,2]}', ctx)).toEqual({ a: [1, 2] });
    expect(c.fromMultipart('"quoted"', ctx)).toBe('quoted');
    expect(c.fromMultipart('7', ctx)).toBe(7);
  });

  it('answers a multipart field that is not JSON with INVALID_INPUT naming the field', () => {
    expect(() => JsonComponent().fromMultipart('{oops', ctx)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', field: 'f' }));
  });
});
