/** The shared component contract, run over every component kind (like Gradio's shared prop tests). */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { AnyComponent } from './base.ts';
import { Checkbox, Dropdown, Image, JSON as JsonComponent, Label, Number as NumberComponent, Slider, Textbox } from './index.ts';

const ctx = { field: 'x' };

/** Every kind, with the options a real app would pass and the ones it would leave out. */
const CASES: Array<{ name: string; make: () => AnyComponent; tag: string }> = [
  { name: 'Image (defaults)', make: () => Image(), tag: 'vt-image' },
  { name: 'Image (L, 28×28)', make: () => Image({ width: 28, height: 28, mode: 'L', fit: 'fill' }), tag: 'vt-image' },
  { name: 'Image (RGBA, width only)', make: () => Image({ width: 8, mode: 'RGBA', sources: ['upload'] }), tag: 'vt-image' },
  { name: 'Label (all classes)', make: () => Label(), tag: 'vt-label' },
  { name: 'Label (topK 1)', make: () => Label({ topK: 1 }), tag: 'vt-label' },
  { name: 'Textbox', make: () => Textbox({ lines: 3, placeholder: 'Say something', maxLength: 100 }), tag: 'vt-textbox' },
  { name: 'Number (open)', make: () => NumberComponent(), tag: 'vt-number' },
  { name: 'Number (bounded)', make: () => NumberComponent({ min: 2, max: 9, step: 0.5, value: 4 }), tag: 'vt-number' },
  { name: 'Number (max below 0)', make: () => NumberComponent({ max: -5 }), tag: 'vt-number' },
  { name: 'Slider', make: () => Slider({ min: -1, max: 1, step: 0.1, value: 0.5 }), tag: 'vt-slider' },
  { name: 'Checkbox', make: () => Checkbox({ value: true }), tag: 'vt-checkbox' },
  { name: 'Dropdown', make: () => Dropdown({ choices: ['blur', 'sepia'], value: 'sepia' }), tag: 'vt-dropdown' },
  { name: 'JSON', make: () => JsonComponent({ maxDepth: 4 }), tag: 'vt-json' },
];

/** The JSON Schema exactly as openapi.ts makes it. */
function jsonSchemaOf(c: AnyComponent, io: 'input' | 'output') {
  return z.toJSONSchema(c.schema, { target: 'draft-2020-12', unrepresentable: 'any', io }) as Record<string, unknown>;
}

describe.each(CASES)('component contract: $name', ({ make, tag }) => {
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
    if (c.kind === 'image') {
      const img = value as { data: Uint8Array; width: number; height: number; channels: number };
      expect(img.data).toBeInstanceOf(Uint8Array);
      expect(img.data.length).toBe(img.width * img.height * img.channels);
    } else {
      // Simple kinds cross every stage unchanged.
      expect(value).toEqual(c.exampleWire);
    }
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
    const withText = (() => {
      switch (c.kind) {
        case 'dropdown':
          return Dropdown({ choices: ['a'], label: 'L', info: 'I' });
        default: {
          const factories: Record<string, (o: { label: string; info: string }) => AnyComponent> = {
            image: Image,
            label: Label,
            textbox: Textbox,
            number: NumberComponent,
            slider: Slider,
            checkbox: Checkbox,
            json: JsonComponent,
          };
          return factories[c.kind]!({ label: 'L', info: 'I' });
        }
      }
    })();
    expect(withText.label).toBe('L');
    expect(withText.info).toBe('I');
    expect(c.label).toBeUndefined();
  });

  it('refuses a value of the wrong type', () => {
    // JSON takes any JSON value; undefined is the one thing it must refuse.
    const wrong = c.kind === 'json' ? undefined : c.kind === 'checkbox' ? 'yes' : c.kind === 'label' ? 'Sneaker' : { nope: 1 };
    expect(c.schema.safeParse(wrong).success).toBe(false);
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
