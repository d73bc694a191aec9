/** Fastify's own errors (and its plugins') as the catalogue's: their messages are safe to send, their stacks never are. */
import type { FastifyError } from 'fastify';
import { VitrineError } from '../errors.ts';

/**
 * Fastify's and its plugins' errors → the catalogue; their messages are safe, stacks are never sent.
 *
 * @example
 * fromFastifyError(err, { requestId: req.id, bodyLimit: 15 << 20 }).toBody(); // { error: 'BODY_TOO_LARGE', … }
 */
export function fromFastifyError(
  err: FastifyError,
  ctx: { requestId?: string; bodyLimit?: number; contentType?: string } = {},
): VitrineError {
  const requestId = ctx.requestId ?? '';
  const unsupported = () =>
    new VitrineError('UNSUPPORTED_MEDIA_TYPE', { type: ctx.contentType ?? '(unknown)', expected: 'application/json or multipart/form-data' });
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new VitrineError('BODY_TOO_LARGE', { limit: ctx.bodyLimit ?? 'the configured' });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return unsupported();
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new VitrineError('INVALID_JSON', { reason: 'the body is empty' });
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new VitrineError('INVALID_JSON', { reason: err.message });
    case 'FST_REQ_FILE_TOO_LARGE':
      return new VitrineError('IMAGE_TOO_LARGE', { field: 'file', reason: 'the file part is larger than the limit' });
    case 'FST_PARTS_LIMIT':
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new VitrineError('TOO_MANY_PARTS', { reason: err.message });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new VitrineError('BAD_REQUEST', { reason: 'the Content-Length does not match the body' });
  }
  if (err.statusCode === 408 || err.code === 'FST_ERR_REQUEST_TIMEOUT') return new VitrineError('REQUEST_TIMEOUT');
  if (err instanceof SyntaxError || (err.statusCode === 400 && /JSON/i.test(err.message))) {
    return new VitrineError('INVALID_JSON', { reason: err.message });
  }
  // busboy's parse errors carry no status: a multipart body without a boundary, or cut short.
  if (err.statusCode === undefined && /multipart|boundary|part header/i.test(err.message)) {
    return new VitrineError('BAD_REQUEST', { reason: `malformed multipart body: ${err.message}` });
  }
  // @fastify/static refuses `..`, encoded separators and dotfiles with a 403.
  if (err.statusCode === 403) return new VitrineError('FORBIDDEN', { reason: 'the path leaves the served folder or names a hidden file' });
  if (err.statusCode === 413) return new VitrineError('BODY_TOO_LARGE', { limit: ctx.bodyLimit ?? 'the configured' });
  if (err.statusCode === 415) return unsupported();
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
    return new VitrineError('BAD_REQUEST', { reason: err.message });
  }
  return new VitrineError('INTERNAL', { requestId });
}
