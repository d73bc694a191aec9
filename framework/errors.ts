/** The one error catalogue: every error Vitrine answers with has a stable code, a status and a message. */
import { z } from 'zod';

/** Every error code Vitrine can answer with, its HTTP status and its message template. */
export const ERRORS = {
  INVALID_INPUT: { status: 400, message: 'Invalid value for "{field}": {reason}' },
  MISSING_INPUT: { status: 400, message: 'Missing required input "{field}"' },
  UNKNOWN_FIELD: { status: 400, message: 'Unknown field "{field}"; expected {expected}' },
  INVALID_JSON: { status: 400, message: 'The request body is not valid JSON: {reason}' },
  INVALID_IMAGE: { status: 400, message: 'Invalid image for "{field}": {reason}' },
  UNSUPPORTED_IMAGE: { status: 415, message: 'Unsupported image format for "{field}": {reason}' },
  IMAGE_TOO_LARGE: { status: 413, message: 'Image for "{field}" is too large: {reason}' },
  INVALID_FILE: { status: 400, message: 'Invalid file for "{field}": {reason}' },
  UNSUPPORTED_FILE: { status: 415, message: 'Unsupported file type for "{field}": {reason}' },
  FILE_TOO_LARGE: { status: 413, message: 'File for "{field}" is too large: {reason}' },
  BODY_TOO_LARGE: { status: 413, message: 'The request body is larger than the limit of {limit} bytes' },
  TOO_MANY_PARTS: { status: 413, message: 'The multipart body has too many parts or files: {reason}' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Unsupported Content-Type "{type}"; send {expected}' },
  BAD_REQUEST: { status: 400, message: '{reason}' },
  NOT_FOUND: { status: 404, message: 'No route {method} {url}' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'Method {method} is not allowed on {url}' },
  UNAUTHORIZED: { status: 401, message: 'A valid bearer token is required' },
  FORBIDDEN: { status: 403, message: 'Forbidden: {reason}' },
  REQUEST_TIMEOUT: { status: 408, message: 'The request body did not arrive in time' },
  HEADERS_TOO_LARGE: { status: 431, message: 'The request headers are larger than the limit of {limit} bytes' },
  RATE_LIMITED: { status: 429, message: 'Too many requests; retry in {retryAfter} s' },
  FLAG_STORE_FULL: { status: 507, message: 'The flag store is full: {reason}' },
  FILE_STORE_FULL: { status: 507, message: 'The upload store is full: {reason}' },
  QUEUE_FULL: { status: 503, message: 'The server is busy ({queued} requests queued); retry in {retryAfter} s' },
  MODEL_UNAVAILABLE: { status: 503, message: 'The model is not available: {reason}' },
  SHUTTING_DOWN: { status: 503, message: 'The server is shutting down; retry on another replica' },
  RELOADING: { status: 503, message: 'The app is reloading ({reason}); retry in {retryAfter} s' },
  FUNCTION_TIMEOUT: { status: 504, message: 'The app did not answer within {timeoutMs} ms' },
  APP_ERROR: { status: 500, message: 'The app failed while handling this request (request id {requestId})' },
  INVALID_OUTPUT: { status: 500, message: 'The app returned a value that does not match its output "{field}" (request id {requestId})' },
  INTERNAL: { status: 500, message: 'Internal error (request id {requestId})' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** The JSON body of every error response: its type, validation and OpenAPI's `Error` schema all come from here. */
export const ErrorBodySchema = z
  .object({
    error: z.enum(Object.keys(ERRORS) as [ErrorCode, ...ErrorCode[]]).describe('Stable error code'),
    message: z.string().describe('What went wrong, for people'),
    field: z.string().optional().describe('The input the error is about, when there is one'),
    requestId: z.string().optional().describe('Quote it when reporting a server-side failure'),
    detail: z
      .string()
      .optional()
      .describe("Development only (`vitrine serve --reload`, NODE_ENV=development): the app's own error message and stack frames"),
  })
  .describe('An error: never a stack trace in production');

/** The JSON body of every error response. */
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/**
 * An error that knows its HTTP status and public message. Everything else thrown is treated as
 * an internal failure and never shown to the client.
 *
 * @example
 * throw new VitrineError('INVALID_IMAGE', { field: 'image', reason: 'not a PNG, JPEG, WebP or GIF' });
 */
export class VitrineError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly field: string | undefined;
  /** Extra response headers, for example `Retry-After`. */
  readonly headers: Record<string, string>;
  readonly params: Record<string, string | number>;
  /** What a developer needs to fix an app's failure (its message and frames); set only in development. */
  readonly detail: string | undefined;

  constructor(
    code: ErrorCode,
    params: Record<string, string | number> = {},
    headers: Record<string, string> = {},
    detail?: string,
  ) {
    super(formatMessage(ERRORS[code].message, params));
    this.name = 'VitrineError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.field = typeof params.field === 'string' ? params.field : undefined;
    this.headers = headers;
    this.params = params;
    this.detail = detail;
  }

  /** The JSON body sent to the client. */
  toBody(requestId?: string): ErrorBody {
    const body: ErrorBody = { error: this.code, message: this.message };
    if (this.field !== undefined) body.field = this.field;
    if (requestId !== undefined) body.requestId = requestId;
    if (this.detail !== undefined) body.detail = this.detail;
    return body;
  }

  /** A plain object that survives `postMessage` between threads. */
  toTransfer(): TransferredError {
    return { vitrine: true, code: this.code, params: this.params, headers: this.headers };
  }
}

/** The shape of a VitrineError sent across a worker boundary. */
export interface TransferredError {
  vitrine: true;
  code: ErrorCode;
  params: Record<string, string | number>;
  headers: Record<string, string>;
}

/**
 * Rebuilds a VitrineError from its transferred form.
 *
 * @example
 * const err = fromTransfer(new VitrineError('QUEUE_FULL', { queued: 3, retryAfter: 1 }).toTransfer());
 */
export function fromTransfer(t: TransferredError): VitrineError {
  return new VitrineError(t.code, t.params, t.headers);
}

/**
 * Fills `{name}` placeholders; unknown placeholders stay visible so a missing parameter is obvious.
 *
 * @example
 * formatMessage('Missing "{field}"', { field: 'image' }); // 'Missing "image"'
 */
export function formatMessage(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in params ? String(params[key]) : whole,
  );
}

/**
 * True for a VitrineError, including one from another copy of this module.
 *
 * @example
 * if (isVitrineError(err)) reply.code(err.status);
 */
export function isVitrineError(err: unknown): err is VitrineError {
  return err instanceof VitrineError;
}
