/** Interface(): naming the components, checking the options, packing arguments and results. */
import { describe, expect, it } from 'vitest';
import { Interface, functionArgument, isInterface, namedResults } from './interface.ts';
import { Dropdown, Image, Label, Number as NumberComponent, Textbox } from './components/index.ts';

describe('Interface()', () => {
  it('names a single component after its kind', () => {
    const iface = Interface({ fn: () => ({ a: 1 }), inputs: Image(), outputs: Label() });
    expect(iface.inputs.map((i) => i.name)).toEqual(['image']);
    expect(iface.outputs.map((o) => o.name)).toEqual(['label']);
    expect(iface.singleInput).toBe(true);
    expect(iface.singleOutput).toBe(true);
    expect(isInterface(iface)).toBe(true);
    expect(Object.isFrozen(iface)).toBe(true);
  });

  it('keeps the names and order of a record', () => {
    const iface = Interface({
      fn: ({ b, a }) => ({ sum: a + b }),
      inputs: { b: NumberComponent(), a: NumberComponent() },
      outputs: { sum: NumberComponent() },
    });
    expect(iface.inputs.map((i) => i.name)).toEqual(['b', 'a']);
    expect(iface.singleInput).toBe(false);
    expect(iface.singleOutput).toBe(false);
  });

  it('accepts examples of paths, URLs and valid wire values, with inputs left out', () => {
    const iface = Interface({
      fn: ({ image, d }) => `${image.width}${d}`,
      inputs: { image: Image(), d: Dropdown({ choices: ['a', 'b'] }) },
      outputs: Textbox(),
      examples: [{ image: 'x.png', d: 'b' }, { image: new URL('file:///tmp/y.png') }],
    });
    expect(iface.options.examples).toHaveLength(2);
  });

  it('does not run the function or load anything when declared', () => {
    let calls = 0;
    Interface({
      fn: (t) => {
        calls++;
        return t;
      },
      inputs: Textbox(),
      outputs: Textbox(),
      load: () => {
        calls++;
      },
    });
    expect(calls).toBe(0);
  });

  const bad: Array<[string, () => unknown, RegExp]> = [
    ['fn missing', () => Interface({ inputs: Textbox(), outputs: Textbox() } as never), /"fn" must be a function/],
    ['inputs not a component', () => Interface({ fn: (t) => t, inputs: 5 as never, outputs: Textbox() }), /"inputs" must be a component or a record/],
    ['empty record', () => Interface({ fn: () => 'x', inputs: {}, outputs: Textbox() }), /"inputs" must name at least one component/],
    ['bad name', () => Interface({ fn: () => 'x', inputs: { 'a b': Textbox() }, outputs: Textbox() }), /name "a b" must be letters, digits/],
    ['a non-component in a record', () => Interface({ fn: () => 'x', inputs: { t: Textbox() }, outputs: { o: {} } } as never), /outputs\.o is not a component/],
    ['batch.maxSize 0', () => Interface({ fn: (ts) => ts, batch: { maxSize: 0, maxDelayMs: 1 }, inputs: Textbox(), outputs: Textbox() }), /batch\.maxSize/],
    ['batch.maxDelayMs NaN', () => Interface({ fn: (ts) => ts, batch: { maxSize: 2, maxDelayMs: Number.NaN }, inputs: Textbox(), outputs: Textbox() }), /batch\.maxDelayMs/],
    ['workers -1', () => Interface({ fn: (t) => t, inputs: Textbox(), outputs: Textbox(), workers: -1 }), /"workers" must be an integer ≥ 0/],
    ['an example naming no input', () => Interface({ fn: ({ t }) => t, inputs: { t: Textbox() }, outputs: Textbox(), examples: [{ x: 'a' } as never] }), /examples\[0\] names "x", which is not an input/],
    ['an example the schema refuses', () => Interface({ fn: ({ t }) => t, inputs: { t: Textbox(), d: Dropdown({ choices: ['a'] }) }, outputs: Textbox(), examples: [{ t: 'ok' }, { d: 'b' }] }), /examples\[1\]\.d is not a valid value/],
    ['an image example that is not a path', () => Interface({ fn: () => 'x', inputs: Image(), outputs: Textbox(), examples: [5] }), /examples\[0\]\.image must be a file path or URL/],
    ['queue.maxLength 1.5', () => Interface({ fn: (t) => t, inputs: Textbox(), outputs: Textbox(), queue: { maxLength: 1.5 } }), /queue\.maxLength/],
  ];
  it.each(bad)('refuses %s with a TypeError', (_name, build, message) => {
    expect(build).toThrow(TypeError);
    expect(build).toThrow(message);
  });
});

describe('isInterface', () => {
  it('recognises a copy across module instances by its tag, and nothing else', () => {
    expect(isInterface({ kind: 'vitrine-interface' })).toBe(true);
    for (const v of [null, undefined, 5, 'vitrine-interface', {}, { kind: 'other' }]) expect(isInterface(v)).toBe(false);
  });
});

describe('functionArgument and namedResults', () => {
  const single = Interface({ fn: (t) => t, inputs: Textbox(), outputs: Textbox() });
  const record = Interface({ fn: ({ a }) => ({ x: a, y: a }), inputs: { a: Textbox() }, outputs: { x: Textbox(), y: Textbox() } });

  it('gives a single-input function the bare value, and a record function the record', () => {
    expect(functionArgument(single, { textbox: 'hi' })).toBe('hi');
    expect(functionArgument(record, { a: 'hi' })).toEqual({ a: 'hi' });
  });

  it('names a single result after the output and passes a record through', () => {
    expect(namedResults(single, 'hi')).toEqual({ textbox: 'hi' });
    expect(namedResults(record, { x: '1', y: '2' })).toEqual({ x: '1', y: '2' });
  });

  it('says which outputs were expected when a record function returns a non-object', () => {
    expect(() => namedResults(record, 'oops')).toThrow('the function must return an object with "x", "y"');
    expect(() => namedResults(record, null)).toThrow(/"x", "y"/);
  });
});
