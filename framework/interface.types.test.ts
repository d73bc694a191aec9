/**
 * Type-level tests: `fn`'s argument and result types follow the components. `npx tsc --noEmit`
 * checks this file; every `@ts-expect-error` line must fail to compile, or tsc reports the
 * directive as unused.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { Interface, type FunctionContext, type InputsOf, type OutputsOf } from './interface.ts';
import {
  Checkbox,
  Dropdown,
  Image,
  JSON as JsonComponent,
  Label,
  Number as NumberComponent,
  Slider,
  Textbox,
  type JsonValue,
  type LabelResult,
  type ValueOf,
  type WireOf,
} from './components/index.ts';
import type { RawImage } from './image/index.ts';

describe('fn types follow the components', () => {
  it('a single component gives a bare value in and out', () => {
    Interface({
      fn: (image) => {
        expectTypeOf(image).toEqualTypeOf<RawImage>();
        return { Sneaker: 0.9, Bag: 0.1 };
      },
      inputs: Image({ mode: 'L' }),
      outputs: Label({ topK: 3 }),
    });
    Interface({
      fn: (text) => {
        expectTypeOf(text).toEqualTypeOf<string>();
        return text.length;
      },
      inputs: Textbox(),
      outputs: NumberComponent(),
    });
  });

  it('the second argument is the function context, with batching too', () => {
    Interface({
      fn: (text, ctx) => {
        expectTypeOf(ctx.progress).parameters.toEqualTypeOf<[fraction: number, description?: string]>();
        return text;
      },
      inputs: Textbox(),
      outputs: Textbox(),
    });
    Interface({
      fn: (texts, ctx) => {
        expectTypeOf(ctx).toEqualTypeOf<FunctionContext>();
        return texts;
      },
      batch: { maxSize: 2, maxDelayMs: 1 },
      inputs: Textbox(),
      outputs: Textbox(),
    });
  });

  it('a record of components gives an object with one typed key per name', () => {
    Interface({
      fn: (args) => {
        expectTypeOf(args).toEqualTypeOf<{ image: RawImage; effect: 'blur' | 'sepia'; strength: number; invert: boolean; meta: JsonValue }>();
        return { result: args.image, caption: args.effect };
      },
      inputs: {
        image: Image(),
        effect: Dropdown({ choices: ['blur', 'sepia'] }),
        strength: Slider(),
        invert: Checkbox(),
        meta: JsonComponent(),
      },
      outputs: { result: Image(), caption: Textbox() },
    });
  });

  it('a batched interface takes and returns arrays', () => {
    Interface({
      fn: (images) => {
        expectTypeOf(images).toEqualTypeOf<RawImage[]>();
        return images.map(() => ({ Sneaker: 1 }));
      },
      batch: { maxSize: 8, maxDelayMs: 2 },
      inputs: Image(),
      outputs: Label(),
    });
    Interface({
      fn: (items) => {
        expectTypeOf(items).toEqualTypeOf<Array<{ a: number; b: string }>>();
        return items.map(({ a, b }) => ({ sum: a + b.length }));
      },
      batch: { maxSize: 4, maxDelayMs: 0 },
      inputs: { a: NumberComponent(), b: Textbox() },
      outputs: { sum: NumberComponent() },
    });
  });

  it('async functions are accepted', () => {
    Interface({ fn: async (t) => t.toUpperCase(), inputs: Textbox(), outputs: Textbox() });
    Interface({ fn: async (ts) => ts, batch: { maxSize: 2, maxDelayMs: 1 }, inputs: Textbox(), outputs: Textbox() });
  });

  it('an async generator streams partial outputs typed by the components', () => {
    Interface({
      fn: async function* (text, ctx) {
        expectTypeOf(text).toEqualTypeOf<string>();
        expectTypeOf(ctx).toEqualTypeOf<FunctionContext>();
        yield text.slice(0, 1);
        yield text;
      },
      inputs: Textbox(),
      outputs: Textbox(),
    });
    Interface({
      fn: async function* ({ n }) {
        for (let i = 0; i < n; i++) yield { count: i, label: { a: i / n } };
      },
      inputs: { n: NumberComponent() },
      outputs: { count: NumberComponent(), label: Label() },
    });
    // Any async iterable will do, not only a generator.
    Interface({ fn: (text) => ({ async *[Symbol.asyncIterator]() { yield text; } }), inputs: Textbox(), outputs: Textbox() });
  });

  it('a Label output takes a record, a list or a class name', () => {
    expectTypeOf<OutputsOf<ReturnType<typeof Label>>>().toEqualTypeOf<LabelResult>();
    Interface({ fn: () => [{ label: 'a', confidence: 1 }], inputs: Textbox(), outputs: Label() });
    Interface({ fn: () => 'a', inputs: Textbox(), outputs: Label() });
  });

  it('the helper types agree with Interface()', () => {
    const inputs = { n: NumberComponent(), pick: Dropdown({ choices: ['x', 'y'] }) };
    expectTypeOf<InputsOf<typeof inputs>>().toEqualTypeOf<{ n: number; pick: 'x' | 'y' }>();
    expectTypeOf(Interface({ fn: ({ n, pick }) => `${n}${pick}`, inputs, outputs: Textbox() }).options.inputs).toEqualTypeOf(inputs);
    expectTypeOf<ValueOf<ReturnType<typeof Image>>>().toEqualTypeOf<RawImage>();
    expectTypeOf<WireOf<ReturnType<typeof Image>>>().toEqualTypeOf<string>();
    expectTypeOf<WireOf<ReturnType<typeof Checkbox>>>().toEqualTypeOf<boolean>();
  });
});

describe('mismatched functions do not compile', () => {
  it('refuses the wrong argument type', () => {
    Interface({
      // @ts-expect-error a Textbox gives a string, not a number
      fn: (n: number) => String(n),
      inputs: Textbox(),
      outputs: Textbox(),
    });
    Interface({
      fn: (img) => {
        // @ts-expect-error an image is pixels, not a string
        img.toUpperCase();
        return 'x';
      },
      inputs: Image(),
      outputs: Textbox(),
    });
  });

  it('refuses the wrong result type', () => {
    // @ts-expect-error a Number output cannot take a string
    Interface({ fn: (t) => t, inputs: Textbox(), outputs: NumberComponent() });
    // @ts-expect-error a Label takes scores, not a list of numbers
    Interface({ fn: () => [0.1, 0.9], inputs: Textbox(), outputs: Label() });
    // @ts-expect-error an Image output needs pixels
    Interface({ fn: (t) => t, inputs: Textbox(), outputs: Image() });
  });

  it('refuses a record result with a missing or mistyped key', () => {
    // @ts-expect-error "caption" is missing
    Interface({ fn: () => ({ score: 1 }), inputs: Textbox(), outputs: { score: NumberComponent(), caption: Textbox() } });
    // @ts-expect-error "flag" must be a boolean
    Interface({ fn: () => ({ flag: 'yes' }), inputs: Textbox(), outputs: { flag: Checkbox() } });
  });

  it('refuses a key that is not an input, and a choice that is not offered', () => {
    Interface({
      fn: (args) => {
        // @ts-expect-error there is no input named "missing"
        return args.missing;
      },
      inputs: { text: Textbox() },
      outputs: Textbox(),
    });
    Interface({
      fn: ({ effect }) => {
        // @ts-expect-error "glow" is not one of the choices
        const same = effect === 'glow';
        return same;
      },
      inputs: { effect: Dropdown({ choices: ['blur', 'sepia'] }) },
      outputs: Checkbox(),
    });
    // The same mistake is also caught when the component is built, for plain JavaScript callers.
    expect(() =>
      // @ts-expect-error the default value must be one of the choices
      Dropdown({ choices: ['blur', 'sepia'], value: 'glow' }),
    ).toThrow(TypeError);
  });

  it('refuses a stream that yields the wrong type, and a streamed batch', () => {
    Interface({
      // @ts-expect-error a Number output cannot take a string, partial or not
      fn: async function* (text) {
        yield text;
      },
      inputs: Textbox(),
      outputs: NumberComponent(),
    });
    Interface({
      // @ts-expect-error "caption" is missing from the partial
      fn: async function* () {
        yield { score: 1 };
      },
      inputs: Textbox(),
      outputs: { score: NumberComponent(), caption: Textbox() },
    });
    expect(() =>
      Interface({
        // @ts-expect-error a batched function returns arrays, never a stream
        fn: async function* (texts: string[]) {
          yield texts;
        },
        batch: { maxSize: 2, maxDelayMs: 1 },
        inputs: Textbox(),
        outputs: Textbox(),
      }),
    ).toThrow(TypeError);
  });

  it('refuses a single-item function for a batched interface, and an array function without batch', () => {
    // @ts-expect-error with batch, fn takes an array of images
    Interface({ fn: (img: RawImage) => ({ a: img.width }), batch: { maxSize: 2, maxDelayMs: 1 }, inputs: Image(), outputs: Label() });
    // @ts-expect-error with batch, fn must return an array
    Interface({ fn: (ts: string[]) => ts.join(), batch: { maxSize: 2, maxDelayMs: 1 }, inputs: Textbox(), outputs: Textbox() });
    // @ts-expect-error without batch, fn takes one string
    Interface({ fn: (ts: string[]) => ts, inputs: Textbox(), outputs: Textbox() });
  });
});
