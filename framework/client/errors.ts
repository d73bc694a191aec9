/** The client's one error type: the server's error code from the catalogue, or the client's own reason. */
import { ERRORS, formatMessage, type ErrorBody, type ErrorCode } from '../errors.ts';

/** Errors the client finds itself: no answer, or an answer that is not Vitrine's. */
export type ClientOnlyCode = 'NETWORK_ERROR' | 'BAD_RESPONSE' | 'ABORTED';

export type ClientErrorCode = ErrorCode | ClientOnlyCode;

/**
 * A failed call. `code` is the server's (`QUEUE_FULL`, `INVALID_INPUT` …, see the error catalogue)
 * or the client's own; `status` is the HTTP status, undefined when the request was refused before
 * it was sent (an input checked against the server's description) or never answered.
 *
 * @example
 * try { await client.predict({ image }); }
 * catch (err) { if (err instanceof VitrineClientError && err.code === 'INVALID_IMAGE') console.warn(err.field); }
 */
export class VitrineClientError extends Error {
  readonly code: ClientErrorCode;
  readonly status: number | undefined;
  readonly field: string | undefined;
  readonly requestId: string | undefined;
  /** Seconds the server asked to wait (`Retry-After`), when it did. */
  readonly retryAfter: number | undefined;

  constructor(
    code: ClientErrorCode,
    message: string,
    details: { status?: number | undefined; field?: string | undefined; requestId?: string | undefined; retryAfter?: number | undefined; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'VitrineClientError';
    this.code = code;
    this.status = details.status;
    this.field = details.field;
    this.requestId = details.requestId;
    this.retryAfter = details.retryAfter;
  }
}

/**
 * A mistake found before sending, worded as the server would word it (same code and message).
 *
 * @example
 * throw localError('UNKNOWN_FIELD', { field: 'imgae', expected: '"image"' });
 */
export function localError(code: 'INVALID_INPUT' | 'MISSING_INPUT' | 'UNKNOWN_FIELD', params: Record<string, string>): VitrineClientError {
  return new VitrineClientError(code, formatMessage(ERRORS[code].message, params), { field: params.field });
}

/**
 * The error for a non-2xx answer: the server's JSON error body when it sent one.
 *
 * @example
 * if (!res.ok) throw await errorFromResponse(res);
 */
export async function errorFromResponse(res: Response): Promise<VitrineClientError> {
  const retryAfter = parseRetryAfter(res.headers.get('retry-after'));
  const text = await res.text().catch(() => '');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return new VitrineClientError('BAD_RESPONSE', `HTTP ${res.status} without a Vitrine error body: ${text.slice(0, 200)}`, { status: res.status, retryAfter });
  }
  return errorFromBody(body, res.status, retryAfter);
}

/**
 * The error for a parsed error body (an error response's, or an event stream's `error` message).
 *
 * @example
 * throw errorFromBody({ error: 'APP_ERROR', message: 'The app failed …', requestId: 'req-1' }, 500);
 */
export function errorFromBody(body: unknown, status: number, retryAfter?: number): VitrineClientError {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Partial<ErrorBody>;
  if (typeof b.error === 'string' && b.error in ERRORS && typeof b.message === 'string') {
    return new VitrineClientError(b.error, b.message, { status, field: b.field, requestId: b.requestId, retryAfter });
  }
  return new VitrineClientError('BAD_RESPONSE', `HTTP ${status} without a Vitrine error body: ${JSON.stringify(body).slice(0, 200)}`, { status, retryAfter });
}

/**
 * `Retry-After` in seconds: a number of seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable.
 *
 * @example
 * parseRetryAfter('2'); // 2
 */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}
