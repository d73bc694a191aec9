/** Dataframe: a table with headers and typed columns, in (edited, pasted or uploaded as CSV) or out. */
import { z } from 'zod';
import { VitrineError } from '../errors.ts';
import { parseCsv } from '../files/csv.ts';
import { checkNumber, checkOption, defineComponent, type CommonOptions } from './base.ts';

export const DATAFRAME_TYPES = ['str', 'number', 'bool', 'date'] as const;
export type DataframeType = (typeof DATAFRAME_TYPES)[number];

export interface DataframeOptions extends CommonOptions {
  /** Column names; when set, every value must have exactly these columns. */
  headers?: readonly string[];
  /** One type per column (or one for all): `str`, `number`, `bool`, `date` (an ISO 8601 date string). Default `str`. */
  datatype?: DataframeType | readonly DataframeType[];
  /** Most rows (default 10 000) and columns (default 100). */
  maxRows?: number;
  maxCols?: number;
  /** The initial table, also used when a request leaves the input out. */
  value?: DataframeValue;
}

/** A cell: text, a number, a boolean, or empty. */
export type Cell = string | number | boolean | null;

/** The wire value (Gradio's DataframeData without its metadata): headers and rows of cells. */
export interface DataframeValue {
  headers: string[];
  data: Cell[][];
}

/** What the function may return: the value itself, rows of cells under the declared headers, or records. */
export type DataframeResult = DataframeValue | ReadonlyArray<ReadonlyArray<Cell>> | ReadonlyArray<Readonly<Record<string, Cell>>>;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A table. With `datatype`, a `number` column takes numbers (or null), a `bool` column booleans,
 * `str` and `date` columns text (dates as ISO 8601); a multipart field holds CSV text.
 *
 * @example
 * inputs: { sizes: Dataframe({ headers: ['garment', 'size'], datatype: ['str', 'number'] }) }
 */
export function Dataframe(options: DataframeOptions = {}) {
  const maxRows = checkNumber('Dataframe', 'maxRows', options.maxRows ?? 10_000, { min: 1, integer: true });
  const maxCols = checkNumber('Dataframe', 'maxCols', options.maxCols ?? 100, { min: 1, integer: true });
  const headers = options.headers === undefined ? undefined : [...options.headers];
  if (headers !== undefined && (!headers.every((h) => typeof h === 'string') || headers.length === 0 || headers.length > maxCols)) {
    throw new TypeError(`Dataframe(): option "headers" must be 1 to ${maxCols} strings`);
  }
  const declared = options.datatype;
  const types: DataframeType[] | DataframeType =
    declared === undefined ? 'str' : typeof declared === 'string' ? checkOption('Dataframe', 'datatype', declared, DATAFRAME_TYPES) : declared.map((t) => checkOption('Dataframe', 'datatype', t, DATAFRAME_TYPES));
  if (Array.isArray(types) && headers !== undefined && types.length !== headers.length) {
    throw new TypeError(`Dataframe(): option "datatype" has ${types.length} types for ${headers.length} headers`);
  }
  const typeOf = (col: number): DataframeType => (Array.isArray(types) ? (types[col] ?? 'str') : types);

  const cell = z.union([z.string().max(100_000), z.number(), z.boolean(), z.null()]);
  const schema = z
    .object({
      headers: z.array(z.string().max(1000)).min(1).max(maxCols).describe('Column names'),
      data: z.array(z.array(cell).max(maxCols)).max(maxRows).describe('Rows, each one cell per column'),
      // Gradio's clients send the table's metadata along; Vitrine keeps none of it.
      metadata: z.unknown().optional(),
    })
    .superRefine((v, ctx) => {
      if (headers !== undefined && (v.headers.length !== headers.length || v.headers.some((h, i) => h !== headers[i]))) {
        ctx.addIssue({ code: 'custom', path: ['headers'], message: `expected the columns ${headers.join(', ')}` });
        return;
      }
      for (const [r, row] of v.data.entries()) {
        if (row.length !== v.headers.length) {
          ctx.addIssue({ code: 'custom', path: ['data', r], message: `row ${r + 1} has ${row.length} cells for ${v.headers.length} columns` });
          return;
        }
        for (const [c, value] of row.entries()) {
          const problem = cellProblem(value, typeOf(c));
          if (problem !== null) {
            ctx.addIssue({ code: 'custom', path: ['data', r, c], message: `column "${v.headers[c]}" is ${typeOf(c)}: ${problem}` });
            return;
          }
        }
      }
    })
    .transform(({ headers: h, data }) => ({ headers: h, data }))
    .describe('A table: column names and rows of cells') as unknown as z.ZodType<DataframeValue>;

  const exampleHeaders = headers ?? ['garment', 'size'];
  const example: DataframeValue = options.value ?? {
    headers: exampleHeaders,
    data: [exampleHeaders.map((_, i) => exampleCell(typeOf(i)))],
  };
  return defineComponent<'dataframe', DataframeValue, DataframeValue, DataframeValue, DataframeResult>({
    kind: 'dataframe',
    gradio: { name: 'Dataframe', props: { headers: headers ?? null, datatype: types, row_count: [1, 'dynamic'], col_count: [headers?.length ?? 1, headers ? 'fixed' : 'dynamic'] } },
    schema,
    props: { headers: headers ?? null, datatype: types, maxRows, maxCols, value: options.value ?? null },
    options,
    exampleWire: example,
    exampleValue: example,
    ...(options.value === undefined ? {} : { defaultValue: options.value }),
    fromMultipart: function dataframeFromCsv(text, ctx): DataframeValue {
      if (text.trim().startsWith('{')) {
        try {
          return JSON.parse(text) as DataframeValue;
        } catch {
          throw new VitrineError('INVALID_INPUT', { field: ctx.field, reason: 'the field looks like JSON but does not parse' });
        }
      }
      const rows = parseCsv(text);
      if (rows.length === 0) throw new VitrineError('INVALID_INPUT', { field: ctx.field, reason: 'the CSV has no header row' });
      const [head, ...body] = rows;
      return { headers: head!, data: body.map((r) => r.map((v, c) => csvCell(v, typeOf(c)))) };
    },
    postprocess: function toTable(result, ctx): DataframeValue {
      if (!Array.isArray(result)) return result as DataframeValue;
      const rows = result as ReadonlyArray<unknown>;
      if (rows.length > 0 && !Array.isArray(rows[0])) {
        const h = headers ?? Object.keys(rows[0] as object);
        return { headers: h, data: (rows as Array<Record<string, Cell>>).map((r) => h.map((k) => r[k] ?? null)) };
      }
      const h = headers ?? (rows[0] as Cell[] | undefined)?.map((_, i) => String(i + 1));
      if (h === undefined) throw new Error(`Dataframe "${ctx.field}": an empty list has no columns; declare headers`);
      return { headers: h, data: rows as Cell[][] };
    },
  });
}

function cellProblem(value: Cell, type: DataframeType): string | null {
  if (value === null) return null;
  switch (type) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : `expected a number, got ${JSON.stringify(value)}`;
    case 'bool':
      return typeof value === 'boolean' ? null : `expected true or false, got ${JSON.stringify(value)}`;
    case 'date':
      return typeof value === 'string' && ISO_DATE.test(value) && !Number.isNaN(Date.parse(value)) ? null : `expected an ISO 8601 date, got ${JSON.stringify(value)}`;
    case 'str':
      return typeof value === 'string' || typeof value === 'number' ? null : `expected text, got ${JSON.stringify(value)}`;
  }
}

/** A CSV cell read as its column's type: what does not convert stays text, for the schema to name. */
function csvCell(text: string, type: DataframeType): Cell {
  if (text === '') return null;
  if (type === 'number') return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
  if (type === 'bool') return /^(true|false)$/i.test(text.trim()) ? text.trim().toLowerCase() === 'true' : text;
  return text;
}

function exampleCell(type: DataframeType): Cell {
  return type === 'number' ? 42 : type === 'bool' ? true : type === 'date' ? '2026-12-07' : 'sneaker';
}
