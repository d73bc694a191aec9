/** OpenAPI 3.1 for one interface, generated from its components' zod schemas — never written by hand. */
import { z } from 'zod';
import { ERRORS, type ErrorCode } from '../errors.ts';
import { DEFAULT_TIMEOUT_MS, type NamedComponent, type VitrineInterface } from '../interface.ts';
import { FLAG_DEFAULTS } from './flagging.ts';

const FLAG_REASON_MAX = FLAG_DEFAULTS.maxReasonLength;

type JsonSchema = Record<string, unknown>;

/** zod → JSON Schema 2020-12 (OpenAPI 3.1's dialect); custom refinements become open schemas. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const out = z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any', io }) as JsonSchema;
  delete out.$schema;
  return out;
}

function objectSchema(components: readonly NamedComponent[], io: 'input' | 'output', multipart: boolean): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const { name, component } of components) {
    const base = jsonSchema(component.schema, io);
    const title = component.label ? { title: component.label } : {};
    // In multipart a file input is the file's own bytes: its JSON description (base64, data: URL) would mislead.
    properties[name] =
      multipart && component.isFile
        ? { type: 'string', format: 'binary', contentMediaType: 'application/octet-stream', description: `The ${component.kind} file as a file part`, ...title }
        : { ...base, ...title };
    if (component.defaultValue === undefined || io === 'output') required.push(name);
    else properties[name]!.default = component.defaultValue;
  }
  return { type: 'object', properties, required, additionalProperties: false };
}

const errorSchema: JsonSchema = {
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: { type: 'string', enum: Object.keys(ERRORS), description: 'Stable error code' },
    message: { type: 'string', description: 'What went wrong, for people' },
    field: { type: 'string', description: 'The input the error is about, when there is one' },
    requestId: { type: 'string', description: 'Quote it when reporting a server-side failure' },
  },
};

function errorResponse(description: string, example: ErrorCode, params: Record<string, string | number>, headers?: JsonSchema) {
  const message = ERRORS[example].message.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? k));
  const body = {
    error: example,
    message,
    ...(typeof params.field === 'string' ? { field: params.field } : {}),
    ...(typeof params.requestId === 'string' ? { requestId: params.requestId } : {}),
  };
  return {
    description,
    ...(headers ? { headers } : {}),
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' }, example: body } },
  };
}

/**
 * The OpenAPI 3.1 document of one mounted interface; paths are relative to `serverUrl`.
 *
 * @example
 * const doc = buildOpenApi(iface, { serverUrl: '/image-effects' });
 */
export function buildOpenApi(iface: VitrineInterface, opts: { serverUrl: string; version?: string; flagging?: boolean }): JsonSchema {
  const o = iface.options;
  const exampleRequest = Object.fromEntries(iface.inputs.map(({ name, component }) => [name, component.exampleWire]));
  const exampleResponse = Object.fromEntries(iface.outputs.map(({ name, component }) => [name, component.exampleWire]));
  const firstInput = iface.inputs[0]!.name;
  const retryAfter = { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } };

  return {
    openapi: '3.1.0',
    info: {
      title: o.title ?? 'Vitrine app',
      version: opts.version ?? '1.0.0',
      ...(o.description ? { description: o.description } : {}),
    },
    servers: [{ url: opts.serverUrl }],
    paths: {
      '/api/predict': {
        post: {
          operationId: 'predict',
          summary: `Run ${o.title ?? 'the app'} on one input`,
          description:
            'Send one key per input as JSON (images as base64 or data: URLs) or one multipart field per input (images as file parts).',
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: objectSchema(iface.inputs, 'input', false), example: exampleRequest },
              'multipart/form-data': { schema: objectSchema(iface.inputs, 'input', true) },
            },
          },
          responses: {
            '200': {
              description:
                'One key per output. A client that sends `Accept: application/json, text/event-stream` gets, once the function reports progress, an event stream instead: `progress` messages ({"progress": 0–1, "desc"}) ending in one `result` (the outputs) or `error` (the error body with its `status`).',
              content: {
                'application/json': { schema: objectSchema(iface.outputs, 'output', false), example: exampleResponse },
                'text/event-stream': {
                  schema: { type: 'string', description: 'Server-sent events: `event: progress|result|error` and one `data:` line of JSON each' },
                  example: `event: progress\ndata: {"progress":0.5,"desc":"halfway"}\n\nevent: result\ndata: ${JSON.stringify(exampleResponse)}\n\n`,
                },
              },
            },
            '400': errorResponse('The request breaks the schema (the message names the field) or an image cannot be decoded', 'MISSING_INPUT', { field: firstInput }),
            '413': errorResponse('The body or an image is too large', 'BODY_TOO_LARGE', { limit: 15728640 }),
            '415': errorResponse('Unsupported content type or image format', 'UNSUPPORTED_MEDIA_TYPE', {
              type: 'text/plain',
              expected: 'application/json or multipart/form-data',
            }),
            '500': errorResponse("The app's own function failed", 'APP_ERROR', { requestId: 'req-1' }),
            '503': errorResponse('The queue is full or the model is not available', 'QUEUE_FULL', { queued: 256, retryAfter: 1 }, retryAfter),
            '504': errorResponse('The app did not answer within its time limit', 'FUNCTION_TIMEOUT', { timeoutMs: iface.options.timeoutMs ?? DEFAULT_TIMEOUT_MS }),
          },
        },
      },
      '/api/config': {
        get: {
          operationId: 'config',
          summary: 'The interface: title, inputs, outputs, examples (what the web page is built from)',
          responses: { '200': { description: 'The interface description', content: { 'application/json': { schema: { type: 'object' } } } } },
        },
      },
      '/healthz': {
        get: {
          operationId: 'health',
          summary: 'Readiness: 200 once the model is loaded',
          responses: {
            '200': { description: 'Ready', content: { 'application/json': { schema: { type: 'object' } } } },
            '503': { description: 'Loading, or the model is not available', content: { 'application/json': { schema: { type: 'object' } } } },
          },
        },
      },
      ...(opts.flagging ? flagPaths(iface) : {}),
    },
    components: {
      schemas: { Error: errorSchema },
      ...(opts.flagging ? { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'The server\'s VITRINE_TOKEN' } } } : {}),
    },
  };
}

/** `api/flag` (anyone may flag) and the two routes that read flags back (bearer token only). */
function flagPaths(iface: VitrineInterface): Record<string, JsonSchema> {
  const outputs = { ...objectSchema(iface.outputs, 'output', false), required: [] };
  const exampleInputs = Object.fromEntries(iface.inputs.map(({ name, component }) => [name, component.exampleWire]));
  const bearerOnly = {
    security: [{ bearer: [] }],
  };
  const tokenErrors = {
    '401': errorResponse('No or a wrong bearer token', 'UNAUTHORIZED', {}),
    '403': errorResponse('The server has no token set, so flags cannot be read over HTTP', 'FORBIDDEN', { reason: 'reading flags needs a bearer token' }),
  };
  return {
    '/api/flag': {
      post: {
        operationId: 'flag',
        summary: 'Store an input (and what the app answered) for review',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['inputs'],
                additionalProperties: false,
                properties: {
                  inputs: objectSchema(iface.inputs, 'input', false),
                  outputs: outputs,
                  reason: { type: ['string', 'null'], maxLength: FLAG_REASON_MAX, description: 'Why it was flagged' },
                  requestId: { type: ['string', 'null'], pattern: '^[A-Za-z0-9-]{1,64}$', description: 'The x-request-id of the prediction' },
                },
              },
              example: { inputs: exampleInputs, reason: 'wrong class' },
            },
          },
        },
        responses: {
          '200': {
            description: 'Stored; the id names the record',
            content: { 'application/json': { schema: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } } } },
          },
          '400': errorResponse('The body breaks the schema (the message names the field)', 'MISSING_INPUT', { field: iface.inputs[0]!.name }),
          '413': errorResponse('The body is too large', 'BODY_TOO_LARGE', { limit: 15728640 }),
          '507': errorResponse('The flag store reached its record or byte limit', 'FLAG_STORE_FULL', { reason: '10000 records' }),
        },
      },
    },
    '/api/flags': {
      get: {
        operationId: 'listFlags',
        summary: 'Flagged records, oldest first',
        ...bearerOnly,
        parameters: [
          { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
        ],
        responses: {
          '200': {
            description: 'One page of records; image values are file names under api/flags/files/',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['total', 'offset', 'limit', 'items'],
                  properties: { total: { type: 'integer' }, offset: { type: 'integer' }, limit: { type: 'integer' }, items: { type: 'array', items: { type: 'object' } } },
                },
              },
            },
          },
          '400': errorResponse('offset or limit out of range', 'INVALID_INPUT', { field: 'limit', reason: 'too big' }),
          ...tokenErrors,
        },
      },
    },
    '/api/flags/files/{name}': {
      get: {
        operationId: 'flagFile',
        summary: 'A file stored with a flag (sent as a download)',
        ...bearerOnly,
        parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': { description: 'The file', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
          '404': errorResponse('No such file', 'NOT_FOUND', { method: 'GET', url: 'api/flags/files/x.png' }),
          ...tokenErrors,
        },
      },
    },
  };
}
