/** The shared component contract, run over every component kind (like Gradio's shared prop tests). */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { AnyComponent } from './base.ts';
import {
  AnnotatedImage,
  Audio,
  Chatbot,
  Checkbox,
  CheckboxGroup,
  ColorPicker,
  Dataframe,
  Dropdown,
  File,
  Gallery,
  HighlightedText,
  HTML,
  Image,
  JSON as JsonComponent,
  Label,
  Markdown,
  Number as NumberComponent,
  Radio,
  Slider,
  Textbox,
  Video,
} from './index.ts';

const ctx = { field: 'x' };
type Common = { label?: string; info?: string };

/**
 * Every kind, with the options a real app would pass and the ones it would leave out; `make`
 * takes the common options, `wrong` is a value its schema must refuse.
 */
const CASES: Array<{ name: string; make: (o?: Common) => AnyComponent; tag: string; wrong: unknown }> = [
  { name: 'Image (defaults)', make: (o) => Image(o), tag: 'vt-image', wrong: { nope: 1 } },
  { name: 'Image (L, 28×28)', make: (o) => Image({ width: 28, height: 28, mode: 'L', fit: 'fill', ...o }), tag: 'vt-image', wrong: 7 },
  { name: 'Image (RGBA, width only)', make: (o) => Image({ width: 8, mode: 'RGBA', sources: ['upload'], ...o }), tag: 'vt-image', wrong: '' },
  { name: 'Label (all classes)', make: (o) => Label(o), tag: 'vt-label', wrong: 'Sneaker' },
  { name: 'Label (topK 1)', make: (o) => Label({ topK: 1, ...o }), tag: 'vt-label', wrong: { label: 'a', confidences: [{ label: 'a', confidence: 2 }] } },
  { name: 'Textbox', make: (o) => Textbox({ lines: 3, placeholder: 'Say something', maxLength: 100, ...o }), tag: 'vt-textbox', wrong: { nope: 1 } },
  { name: 'Number (open)', make: (o) => NumberComponent(o), tag: 'vt-number', wrong: '3' },
  { name: 'Number (bounded)', make: (o) => NumberComponent({ min: 2, max: 9, step: 0.5, value: 4, ...o }), tag: 'vt-number', wrong: 10 },
  { name: 'Number (max below 0)', make: (o) => NumberComponent({ max: -5, ...o }), tag: 'vt-number', wrong: 0 },
  { name: 'Slider', make: (o) => Slider({ min: -1, max: 1, step: 0.1, value: 0.5, ...o }), tag: 'vt-slider', wrong: 2 },
  { name: 'Checkbox', make: (o) => Checkbox({ value: true, ...o }), tag: 'vt-checkbox', wrong: 'yes' },
  { name: 'Dropdown', make: (o) => Dropdown({ choices: ['blur', 'sepia'], value: 'sepia', ...o }), tag: 'vt-dropdown', wrong: 'glow' },
  { name: 'JSON', make: (o) => JsonComponent({ maxDepth: 4, ...o }), tag: 'vt-json', wrong: undefined },
  { name: 'Radio', make: (o) => Radio({ choices: ['S', 'M', 'L'], value: 'M', ...o }), tag: 'vt-radio', wrong: 'XL' },
  { name: 'CheckboxGroup', make: (o) => CheckboxGroup({ choices: ['cheese', 'olives'], value: ['olives'], ...o }), tag: 'vt-checkbox-group', wrong: ['cheese', 'cheese'] },
  { name: 'Markdown', make: (o) => Markdown(o), tag: 'vt-markdown', wrong: 5 },
  { name: 'HTML', make: (o) => HTML({ maxLength: 100, ...o }), tag: 'vt-html', wrong: 'x'.repeat(101) },
  { name: 'HighlightedText', make: (o) => HighlightedText({ colorMap: { GARMENT: '#bfdbfe' }, ...o }), tag: 'vt-highlighted-text', wrong: [{ token: 'a', class_or_confidence: 3 }] },
  { name: 'Chatbot', make: (o) => Chatbot(o), tag: 'vt-chatbot', wrong: [{ role: 'robot', content: 'hi' }] },
  { name: 'Dataframe (free)', make: (o) => Dataframe(o), tag: 'vt-dataframe', wrong: { headers: ['a'], data: [['x', 'y']] } },
  { name: 'Dataframe (typed)', make: (o) => Dataframe({ headers: ['garment', 'size'], datatype: ['str', 'number'], ...o }), tag: 'vt-dataframe', wrong: { headers: ['garment', 'size'], data: [['a', 'big']] } },
  { name: 'File', make: (o) => File({ fileTypes: ['.txt', 'image/*'], ...o }), tag: 'vt-file', wrong: { name: 'a.txt' } },
  { name: 'File (multiple)', make: (o) => File({ fileCount: 'multiple', maxFiles: 2, ...o }), tag: 'vt-file', wrong: [] },
  { name: 'Audio', make: (o) => Audio({ sources: ['upload'], maxDuration: 5, ...o }), tag: 'vt-audio', wrong: '' },
  { name: 'Video', make: (o) => Video(o), tag: 'vt-video', wrong: 12 },
  { name: 'Gallery', make: (o) => Gallery({ columns: 2, ...o }), tag: 'vt-gallery', wrong: [{ caption: 'no picture' }] },
  { name: 'ColorPicker', make: (o) => ColorPicker({ value: '#FF8800', ...o }), tag: 'vt-color-picker', wrong: 'orange' },
  { name: 'AnnotatedImage', make: (o) => AnnotatedImage({ colorMap: { garment: '#f00' }, ...o }), tag: 'vt-annotated-image', wrong: { image: 'x', annotations: [{ label: 'a' }] } },
];

/** The JSON Schema exactly as openapi.ts makes it. */
function jsonSchemaOf(c: AnyComponent, io: 'input' | 'output') {
  return z.toJSONSchema(c.schema, { target: 'draft-2020-12', unrepresentable: 'any', io }) as Record<string, unknown>;
}

describe.each(CASES)('component contract: $name', ({ make, tag, wrong }) => {
  const c = make();

  it('has a kind, its element tag and a frozen shape', () => {
    expect(c.tag).toBe(tag);
    expect(c.tag).toBe(`vt-${c.kind}`);
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.props)).toBe(true);
  });

  it('exampleWire parses with the schema', () => {
    const parsed = c.schema.safeParse(c.exampleWire);
    expect(parsed.error).toBeUndefined();
    expect(parsed.data).toEqual(c.exampleWire);
  });

  it('defaultValue, when there is one, parses with the schema', () => {
    if (c.defaultValue === undefined) return;
    expect(c.schema.safeParse(c.defaultValue).success).toBe(true);
  });

  it('toTransport + preprocess(exampleWire) gives the function a value', async () => {
    const value = await c.preprocess(c.toTransport(c.exampleWire, ctx), ctx);
    expect(value).toBeDefined();
    // Kinds without files cross every stage unchanged; file kinds decode (checked in their own tests).
    if (c.files === undefined) expect(value).toEqual(c.exampleWire);
  });

  it('postprocess(exampleValue) parses with the schema', async () => {
    const wire = await c.postprocess(c.exampleValue, ctx);
    const parsed = c.schema.safeParse(wire);
    expect(parsed.error).toBeUndefined();
  });

  it('its JSON Schema serialises and agrees with zod on the examples', async () => {
    const ajv = new Ajv2020({ strict: false });
    for (const io of ['input', 'output'] as const) {
      const schema = jsonSchemaOf(c, io);
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      const text = JSON.stringify(schema);
      expect(JSON.parse(text)).toEqual(schema);
      const validate = ajv.compile(schema);
      expect(validate(c.exampleWire), JSON.stringify(validate.errors)).toBe(true);
      expect(validate(await c.postprocess(c.exampleValue, ctx)), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it('has a description for the API docs', () => {
    expect(typeof jsonSchemaOf(c, 'input').description).toBe('string');
  });

  it('props are JSON-serialisable as they are', () => {
    expect(JSON.parse(JSON.stringify(c.props))).toEqual(c.props);
  });

  it('passes label and info through', () => {
    const withText = make({ label: 'L', info: 'I' });
    expect(withText.label).toBe('L');
    expect(withText.info).toBe('I');
    expect(c.label).toBeUndefined();
  });

  it('refuses a value of the wrong type', () => {
    expect(c.schema.safeParse(wrong).success).toBe(false);
  });

  it('names its Gradio counterpart, a sample for the snippets, and a file codec exactly when it holds files', () => {
    expect(c.gradio.name).toMatch(/^[A-Z][A-Za-z]+$/);
    expect(JSON.parse(JSON.stringify(c.gradio.props))).toEqual(c.gradio.props);
    expect(c.sample).not.toBeUndefined();
    if (c.isFile) expect(c.files).toBeDefined();
  });

  it('its file codec finds the files of the example and rebuilds it unchanged', () => {
    if (c.files === undefined) return;
    const found: unknown[] = [];
    const rebuilt = c.files.map(c.exampleWire, (f) => {
      found.push(f);
      return c.files!.write(c.files!.read(f, 'x'));
    });
    expect(found.length).toBeGreaterThan(0);
    expect(c.schema.safeParse(rebuilt).success).toBe(true);
  });
});

describe('options are checked when a component is built', () => {
  const cases: Array<[string, () => unknown, RegExp]> = [
    ['Image mode', () => Image({ mode: 'LA' as never }), /"mode" must be one of L, RGB, RGBA; got "LA"/],
    ['Image fit', () => Image({ fit: 'stretch' as never }), /"fit" must be one of contain, cover, fill, inside, outside/],
    ['Image sources', () => Image({ sources: ['camera' as never] }), /"sources" must be one of upload, clipboard, webcam/],
    ['Image width', () => Image({ width: 0 }), /"width" must be an integer ≥ 1 ≤ 8192; got 0/],
    ['Image height', () => Image({ height: 2.5 }), /"height" must be an integer/],
    ['Image limits', () => Image({ limits: { maxPixels: -1 } }), /limits\.maxPixels/],
    ['Label topK 0', () => Label({ topK: 0 }), /"topK" must be an integer ≥ 1/],
    ['Label topK 1.5', () => Label({ topK: 1.5 }), /"topK" must be an integer/],
    ['Textbox lines', () => Textbox({ lines: 0 }), /"lines" must be an integer ≥ 1 ≤ 100/],
    ['Textbox maxLength', () => Textbox({ maxLength: -3 }), /"maxLength"/],
    ['Number min > max', () => NumberComponent({ min: 5, max: 1 }), /min \(5\) is greater than max \(1\)/],
    ['Number NaN', () => NumberComponent({ min: Number.NaN }), /"min" must be a finite number/],
    ['Number value out of range', () => NumberComponent({ min: 0, max: 1, value: 2 }), /"value" must be a finite number ≥ 0 ≤ 1; got 2/],
    ['Number step 0', () => NumberComponent({ step: 0 }), /"step"/],
    ['Slider min ≥ max', () => Slider({ min: 1, max: 1 }), /min \(1\) must be less than max \(1\)/],
    ['Slider value out of range', () => Slider({ min: 0, max: 1, value: 3 }), /"value" must be a finite number ≥ 0 ≤ 1; got 3/],
    ['Slider step', () => Slider({ step: -1 }), /"step"/],
    ['Checkbox value', () => Checkbox({ value: 'yes' as never }), /"value" must be true or false; got "yes"/],
    ['Dropdown empty', () => Dropdown({ choices: [] as never }), /non-empty list of strings/],
    ['Dropdown non-strings', () => Dropdown({ choices: [1, 2] as never }), /non-empty list of strings/],
    ['Dropdown duplicates', () => Dropdown({ choices: ['a', 'a'] }), /duplicates/],
    ['Dropdown value', () => Dropdown({ choices: ['blur', 'sepia'], value: 'glow' as never }), /"value" must be one of blur, sepia; got "glow"/],
    ['JSON maxDepth', () => JsonComponent({ maxDepth: 0 }), /"maxDepth" must be an integer ≥ 1/],
  ];
  it.each(cases)('%s → TypeError naming the valid choices', (_name, build, message) => {
    expect(build).toThrow(TypeError);
    expect(build).toThrow(message);
  });
});
