/** The wire reader: the first problem zod finds becomes the catalogue error that names the field. */
import { describe, expect, it } from 'vitest';
import { Interface, Label, Number as NumberComponent, Slider, Textbox } from '../index.ts';
import { isVitrineError, type VitrineError } from '../errors.ts';
import { flagBodySchema, flagNaming } from './flag-schemas.ts';
import { inputNaming, inputsSchema, parseWire } from './wire-reader.ts';

const app = Interface({
  fn: ({ text }) => ({ label: text, score: 1 }),
  inputs: { text: Textbox({ maxLength: 5 }), times: Slider({ min: 1, max: 5, value: 3 }) },
  outputs: { label: Label(), score: NumberComponent() },
});

function refusal(run: () => unknown): { code: string; field: string | undefined; message: string } {
  try {
    run();
  } catch (err) {
    if (!isVitrineError(err)) throw err;
    const e: VitrineError = err;
    return { code: e.code, field: e.field, message: e.message };
  }
  throw new Error('expected a refusal');
}

describe('parseWire with the inputs schema', () => {
  const read = (body: unknown) => parseWire(inputsSchema(app.inputs), body, inputNaming(app.inputs));

  it('fills defaults and passes what the schema accepts', () => {
    expect(read({ text: 'hi' })).toEqual({ text: 'hi', times: 3 });
  });

  it('names an unknown key first, then a missing input, then an invalid one', () => {
    expect(refusal(() => read({ times: 9, extra: 1 }))).toMatchObject({ code: 'UNKNOWN_FIELD', field: 'extra', message: 'Unknown field "extra"; expected "text", "times"' });
    expect(refusal(() => read({ times: 9 }))).toMatchObject({ code: 'MISSING_INPUT', field: 'text' });
    expect(refusal(() => read({ text: 'too long' }))).toMatchObject({ code: 'INVALID_INPUT', field: 'text' });
  });

  it('answers a body that is not an object with the inputs it takes', () => {
    expect(refusal(() => read([1]))).toMatchObject({ code: 'BAD_REQUEST', message: 'The body must be a JSON object with one key per input: "text", "times"' });
  });
});

describe('parseWire with the flag body schema', () => {
  const read = (body: unknown) => parseWire(flagBodySchema(app), body, flagNaming(app));

  it('names inputs by their name, outputs as outputs.<name>, unknown keys by their path', () => {
    expect(refusal(() => read({ inputs: { text: 5 } }))).toMatchObject({ code: 'INVALID_INPUT', field: 'text' });
    expect(refusal(() => read({ inputs: { text: 'a', colour: 'red' } }))).toMatchObject({ code: 'UNKNOWN_FIELD', field: 'inputs.colour' });
    expect(refusal(() => read({ inputs: { text: 'a' }, outputs: { score: 'x' } }))).toMatchObject({ code: 'INVALID_INPUT', field: 'outputs.score' });
    expect(refusal(() => read({ outputs: {} }))).toMatchObject({ code: 'MISSING_INPUT', field: 'inputs' });
  });

  it('a key missing inside a value is an invalid value, said where', () => {
    const body = { inputs: { text: 'a' }, outputs: { label: { label: 'Sneaker' } } };
    expect(refusal(() => read(body))).toMatchObject({ code: 'INVALID_INPUT', field: 'outputs.label', message: expect.stringContaining('(at confidences)') });
  });

  it('keeps the messages of the reason and request id rules', () => {
    expect(refusal(() => read({ inputs: { text: 'a' }, reason: 'x'.repeat(1001) })).message).toContain('at most 1000 characters');
    expect(refusal(() => read({ inputs: { text: 'a' }, requestId: '../x' })).message).toContain('the x-request-id of a prediction');
  });
});
