/** OpenAPI 3.1 for one interface, generated from the zod schemas of its components and of every other wire shape — never written by hand. */
import { z } from 'zod';
import { ERRORS, ErrorBodySchema, type ErrorCode } from '../errors.ts';
import { DEFAULT_TIMEOUT_MS, isGeneratorInterface, type NamedComponent, type VitrineInterface } from '../interface.ts';
import { FlagIdSchema, FlagListSchema, FlagPageQuerySchema, flagBodySchema } from './flag-schemas.ts';
import { HealthSchema } from './health.ts';
import { InterfaceConfigSchema } from './interface-config.ts';
import { DEFAULT_BODY_LIMIT_BYTES, DEFAULT_QUEUE_LENGTH, FLAG_LIMITS } from './limits.ts';
import { inputsSchema, outputsSchema } from './wire-reader.ts';

type JsonSchema = Record<string, unknown>;

/**
 * zod → JSON Schema 2020-12 (OpenAPI 3.1's dialect); custom refinements become open schemas.
 *
 * @example
 * jsonSchema(HealthSchema, 'output'); // { type: 'object', properties: { status: … }, … }
 */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const out = z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any', io }) as JsonSchema;
  delete out.$schema;
  return out;
}

/** The predict request as multipart: a file input is the file's own bytes (its JSON description — base64, data: URL — would mislead). */
function multipartSchema(inputs: readonly NamedComponent[]): JsonSchema {
  const json = jsonSchema(inputsSchema(inputs), 'input');
  const properties = { ...(json.properties as Record<string, JsonSchema>) };
  for (const { name, component } of inputs) {
    if (!component.isFile) continue;
    const title = component.label ? { title: component.label } : {};
    properties[name] = { type: 'string', format: 'binary', contentMediaType: 'application/octet-stream', description: `The ${component.kind} file as a file part`, ...title };
  }
  return { ...json, properties };
}

const json = (schema: JsonSchema, example?: unknown) => ({ 'application/json': { schema, ...(example === undefined ? {} : { example }) } });

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
export function buildOpenApi(iface: VitrineInterface, opts: { serverUrl: string; version?: string; flagging?: boolean; exampleRequest?: Record<string, unknown> | undefined }): JsonSchema {
  const o = iface.options;
  // The app's own first example when it has one (a real picture in /docs, not a 1×1 sample).
  const exampleRequest = opts.exampleRequest ?? Object.fromEntries(iface.inputs.map(({ name, component }) => [name, component.exampleWire]));
  const exampleResponse = Object.fromEntries(iface.outputs.map(({ name, component }) => [name, component.exampleWire]));
  const firstInput = iface.inputs[0]!.name;
  const retryAfter = { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } };
  const streams = isGeneratorInterface(iface);

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
              ...json(jsonSchema(inputsSchema(iface.inputs), 'input'), exampleRequest),
              'multipart/form-data': { schema: multipartSchema(iface.inputs) },
            },
          },
          responses: {
            '200': {
              description:
                `One key per output${streams ? ' (the last outputs the function streamed)' : ''}. A client that sends \`Accept: text/event-stream\` (with or without \`application/json\`) gets, once the function reports progress or yields a partial output, an event stream instead: \`progress\` messages ({"progress": 0–1, "desc"}) and \`partial\` messages (one key per output, each partial of a function that streams, in order), ending in one \`complete\` (the outputs) or \`error\` (the error body with its \`status\`). Closing the connection stops a streaming function.`,
              content: {
                'application/json': { schema: jsonSchema(outputsSchema(iface.outputs), 'output'), example: exampleResponse },
                'text/event-stream': {
                  schema: { type: 'string', description: 'Server-sent events: `event: progress|partial|complete|error` and one `data:` line of JSON each' },
                  example: streams
                    ? `event: partial\ndata: ${JSON.stringify(exampleResponse)}\n\nevent: complete\ndata: ${JSON.stringify(exampleResponse)}\n\n`
                    : `event: progress\ndata: {"progress":0.5,"desc":"halfway"}\n\nevent: complete\ndata: ${JSON.stringify(exampleResponse)}\n\n`,
                },
              },
            },
            '400': errorResponse('The request breaks the schema (the message names the field) or an image cannot be decoded', 'MISSING_INPUT', { field: firstInput }),
            '413': errorResponse('The body or an image is too large', 'BODY_TOO_LARGE', { limit: DEFAULT_BODY_LIMIT_BYTES }),
            '415': errorResponse('Unsupported content type or image format', 'UNSUPPORTED_MEDIA_TYPE', {
              type: 'text/plain',
              expected: 'application/json or multipart/form-data',
            }),
            '500': errorResponse("The app's own function failed", 'APP_ERROR', { requestId: 'req-1' }),
            '503': errorResponse('The queue is full or the model is not available', 'QUEUE_FULL', { queued: DEFAULT_QUEUE_LENGTH, retryAfter: 1 }, retryAfter),
            '504': errorResponse('The app did not answer within its time limit', 'FUNCTION_TIMEOUT', { timeoutMs: iface.options.timeoutMs ?? DEFAULT_TIMEOUT_MS }),
          },
        },
      },
      '/api/config': {
        get: {
          operationId: 'config',
          summary: 'The interface: title, inputs, outputs, examples (what the web page is built from)',
          responses: { '200': { description: 'The interface description', content: json(jsonSchema(InterfaceConfigSchema, 'output')) } },
        },
      },
      '/healthz': {
        get: {
          operationId: 'health',
          summary: 'Readiness: 200 once the model is loaded',
          responses: {
            '200': { description: 'Ready', content: json(jsonSchema(HealthSchema, 'output')) },
            '503': { description: 'Loading, or the model is not available', content: json(jsonSchema(HealthSchema, 'output')) },
          },
        },
      },
      ...(opts.flagging ? flagPaths(iface) : {}),
    },
    components: {
      schemas: { Error: jsonSchema(ErrorBodySchema, 'output') },
      ...(opts.flagging ? { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'The server\'s VITRINE_TOKEN' } } } : {}),
    },
  };
}

/** `api/flag` (anyone may flag) and the two routes that read flags back (bearer token only). */
function flagPaths(iface: VitrineInterface): Record<string, JsonSchema> {
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
              schema: jsonSchema(flagBodySchema(iface, FLAG_LIMITS.maxReasonLength), 'input'),
              example: { inputs: exampleInputs, reason: 'wrong class' },
            },
          },
        },
        responses: {
          '200': {
            description: 'Stored; the id names the record',
            content: json(jsonSchema(FlagIdSchema, 'output')),
          },
          '400': errorResponse('The body breaks the schema (the message names the field)', 'MISSING_INPUT', { field: iface.inputs[0]!.name }),
          '413': errorResponse('The body is too large', 'BODY_TOO_LARGE', { limit: DEFAULT_BODY_LIMIT_BYTES }),
          '507': errorResponse('The flag store reached its record or byte limit', 'FLAG_STORE_FULL', { reason: `the limit of ${FLAG_LIMITS.maxRecords} records is reached` }),
        },
      },
    },
    '/api/flags': {
      get: {
        operationId: 'listFlags',
        summary: 'Flagged records, oldest first',
        ...bearerOnly,
        parameters: queryParameters(FlagPageQuerySchema),
        responses: {
          '200': {
            description: 'One page of records; image values are file names under api/flags/files/',
            content: json(jsonSchema(FlagListSchema, 'output')),
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

/** An object schema of query values → OpenAPI parameters, `in: query`, one per key. */
function queryParameters(schema: z.ZodObject): JsonSchema[] {
  const { properties = {}, required = [] } = jsonSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(properties).map(([name, s]) => ({ name, in: 'query', ...(required.includes(name) ? { required: true } : {}), schema: s }));
}
