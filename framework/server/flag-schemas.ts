/** The wire shapes of flagging, one zod schema each: the flag body, its answer, a stored record, and a page of them. */
import { z } from 'zod';
import type { VitrineInterface } from '../interface.ts';
import { FLAG_LIMITS, REQUEST_ID_PATTERN } from './limits.ts';
import { inputsSchema, outputsSchema, type WireNaming } from './wire-reader.ts';

const TOP_LEVEL = ['inputs', 'outputs', 'reason', 'requestId'] as const;

/**
 * `POST {base}/api/flag`'s body for one interface: the inputs as a prediction takes them, the
 * outputs the app answered (any may be left out), why, and the prediction's request id.
 *
 * @example
 * flagBodySchema(iface).parse({ inputs: { text: 'hi' }, reason: 'wrong' });
 */
export function flagBodySchema(iface: VitrineInterface, maxReasonLength: number = FLAG_LIMITS.maxReasonLength) {
  return z.strictObject({
    inputs: inputsSchema(iface.inputs, 'expected an object with one key per input'),
    outputs: outputsSchema(iface.outputs, { partial: true, error: 'expected an object with one key per output' }).nullish(),
    reason: z
      .string()
      .max(maxReasonLength, { error: `expected a string of at most ${maxReasonLength} characters` })
      .nullish()
      .describe('Why it was flagged'),
    requestId: z
      .string()
      .regex(REQUEST_ID_PATTERN, { error: 'expected the x-request-id of a prediction' })
      .nullish()
      .describe('The x-request-id of the prediction'),
  });
}

export type FlagBody = z.output<ReturnType<typeof flagBodySchema>>;

/**
 * How flag errors name their field: an input by its name (as a prediction does), an output as
 * `outputs.<name>`, anything else by its key; an unknown key by its path (`inputs.colour`).
 *
 * @example
 * parseWire(flagBodySchema(iface), req.body, flagNaming(iface));
 */
export function flagNaming(iface: VitrineInterface): WireNaming {
  const names: Record<string, readonly string[]> = { inputs: iface.inputs.map((i) => i.name), outputs: iface.outputs.map((o) => o.name) };
  return {
    notAnObject: 'The body must be a JSON object: { "inputs": {…}, "outputs": {…}, "reason": "…" }',
    split: (path) =>
      path[0] === 'inputs' && path.length > 1
        ? { field: String(path[1]), inside: path.slice(2) }
        : { field: path.slice(0, 2).map(String).join('.'), inside: path.slice(2) },
    expected: (path) => (path.length === 0 ? TOP_LEVEL : (names[String(path[0])] ?? [])),
  };
}

/** The answer to a stored flag. */
export const FlagIdSchema = z.object({ id: z.string().describe('Names the record') });

/** A stored file of a record: an image input or output, kept as the bytes that were sent. */
export const FlagFileSchema = z.object({
  path: z.string().describe('Relative to the store folder: files/<id>.<side>.<name>.<ext>'),
  side: z.enum(['input', 'output']),
  field: z.string(),
  type: z.string().describe('Its media type'),
  bytes: z.number().int(),
  sha256: z.string(),
});

/** One line of a store's `index.jsonl`. Image values in `inputs`/`outputs` are the stored file's path. */
export const FlagRecordSchema = z.object({
  id: z.string(),
  time: z.string().describe('ISO 8601, UTC'),
  reason: z.string().nullable(),
  requestId: z.string().nullable(),
  inputs: z.record(z.string(), z.unknown()),
  outputs: z.record(z.string(), z.unknown()),
  files: z.array(FlagFileSchema),
});

export type FlagFile = z.infer<typeof FlagFileSchema>;
export type FlagRecord = z.infer<typeof FlagRecordSchema>;

/** `GET {base}/api/flags`'s query. */
export const FlagPageQuerySchema = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(FLAG_LIMITS.maxPageSize).default(FLAG_LIMITS.defaultPageSize),
});

/** `GET {base}/api/flags`'s answer: one page of records, oldest first. */
export const FlagListSchema = z.object({
  total: z.number().int(),
  offset: z.number().int(),
  limit: z.number().int(),
  items: z.array(FlagRecordSchema).describe('Image values are file names under api/flags/files/'),
});
