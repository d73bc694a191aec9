/**
 * Type-level tests: `connect<typeof app>` gives `predict` the app's wire types. `npx tsc --noEmit`
 * checks this file; every `@ts-expect-error` line must fail to compile, or tsc reports the
 * directive as unused. Nothing is sent: the calls sit in functions that never run.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { Dropdown, Image, Interface, JSON as JsonComponent, Label, Number as NumberComponent, Slider, Textbox, type JsonValue } from '../index.ts';
import { connect, type FileInput, type Job } from './index.ts';

const effects = Interface({
  fn: ({ image }) => ({ result: image, note: 'ok' }),
  inputs: { image: Image(), effect: Dropdown({ choices: ['blur', 'sepia'] }), strength: Slider(), meta: JsonComponent() },
  outputs: { result: Image(), note: Textbox() },
});
const classifier = Interface({ fn: () => ({ Sneaker: 1 }), inputs: Image({ mode: 'L' }), outputs: Label({ topK: 3 }) });
const counter = Interface({ fn: (text) => text.length, inputs: Textbox(), outputs: NumberComponent() });

type Confidences = { label: string; confidences: Array<{ label: string; confidence: number }> };

describe('connect<typeof app>', () => {
  it('is given real Interfaces (only their types are used below)', () => {
    expect([effects, classifier, counter].map((app) => app.kind)).toEqual(['vitrine-interface', 'vitrine-interface', 'vitrine-interface']);
  });

  it('predict takes one wire value per input, files in any accepted form', () => {
    const client = connect<typeof effects>('http://127.0.0.1:7860');
    expectTypeOf(client.predict).parameter(0).toEqualTypeOf<{ image: FileInput; effect: 'blur' | 'sepia'; strength: number; meta: JsonValue }>();
    expectTypeOf<FileInput>().toEqualTypeOf<Blob | Uint8Array | ArrayBuffer | URL | string>();
  });

  it('predict resolves to one wire value per output', () => {
    expectTypeOf(connect<typeof effects>('http://x').predict).returns.resolves.toEqualTypeOf<{ result: string; note: string }>();
    expectTypeOf(connect<typeof classifier>('http://x').predict).returns.resolves.toEqualTypeOf<{ label: Confidences }>();
    expectTypeOf(connect<typeof counter>('http://x').submit).returns.toEqualTypeOf<Job<{ number: number }>>();
  });

  it('a single component is named after its kind', () => {
    expectTypeOf(connect<typeof classifier>('http://x').predict).parameter(0).toEqualTypeOf<{ image: FileInput }>();
    expectTypeOf(connect<typeof counter>('http://x').predict).parameter(0).toEqualTypeOf<{ textbox: string }>();
  });

  it('wrong inputs do not compile', () => {
    const client = connect<typeof effects>('http://x');
    const image = new Blob();
    const neverRun = () => {
      // @ts-expect-error a choice that is not among the Dropdown's
      void client.predict({ image, effect: 'pixelate', strength: 0.5, meta: null });
      // @ts-expect-error a number input given a string
      void client.predict({ image, effect: 'blur', strength: '0.5', meta: null });
      // @ts-expect-error an input that does not exist
      void client.predict({ image, effect: 'blur', strength: 0.5, meta: null, colour: 'red' });
      // @ts-expect-error an input left out
      void client.predict({ effect: 'blur', strength: 0.5, meta: null });
      // @ts-expect-error a number is not a file
      void connect<typeof classifier>('http://x').predict({ image: 42 });
      // @ts-expect-error the single input is named after its kind, not "text"
      void connect<typeof counter>('http://x').predict({ text: 'hi' });
      // @ts-expect-error outputs have their wire types: a Label is an object, not a string
      void connect<typeof classifier>('http://x').predict({ image }).then((out) => out.label.toUpperCase());
    };
    expect(typeof neverRun).toBe('function');
  });

  it('without a type argument, any record goes (checked at run time)', () => {
    const client = connect('http://x');
    expectTypeOf(client.predict).parameter(0).toEqualTypeOf<Record<string, unknown>>();
    expectTypeOf(client.predict).returns.resolves.toEqualTypeOf<Record<string, unknown>>();
  });
});
