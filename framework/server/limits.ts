/** The server's default limits, named once: the server, the multipart parser, flagging and OpenAPI all read them from here. */
import { DEFAULT_IMAGE_LIMITS } from '../image/types.ts';

/** Largest request body (bytes): a 10 MiB image as base64 (×4/3) plus room for the other inputs. */
export const DEFAULT_BODY_LIMIT_BYTES = 15 * 1024 * 1024;

/** Longest a whole request (headers and body) may take to arrive before it is cut off with 408 (ms). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** Largest request head Node accepts by default (`--max-http-header-size`); echoed in 431 answers. */
export const MAX_HEADER_BYTES = 16 * 1024;

/** Largest file part when a file input sets no limit of its own: an image's default encoded size. */
export const DEFAULT_FILE_PART_BYTES = DEFAULT_IMAGE_LIMITS.maxBytes;

/** Largest multipart text field, before the body limit (which is usually lower) applies. */
export const MAX_FIELD_BYTES = 16 * 1024 * 1024;

/** Most header lines in one multipart part (busboy's default is 2 000). */
export const MAX_PART_HEADER_PAIRS = 50;

/** Requests that may wait for the function per interface unless `queue.maxLength` says otherwise. */
export const DEFAULT_QUEUE_LENGTH = 256;

/** Longest URL path parameter the router matches (an example's or a stored flag's file name). */
export const MAX_PARAM_LENGTH = 200;

/** Longest URL path echoed back in a 404 or 405 message. */
export const MAX_ECHOED_PATH = 200;

/** Flagging: what one interface's store may hold and what one flag may say. */
export const FLAG_LIMITS = Object.freeze({
  /** Most records per interface; one more answers 507. */
  maxRecords: 10_000,
  /** Most bytes on disk per interface, index and files (1 GiB). */
  maxBytes: 1024 ** 3,
  /** Longest reason, in characters. */
  maxReasonLength: 1_000,
  /** Most records in one page of `GET api/flags`. */
  maxPageSize: 500,
  /** Records in a page of `GET api/flags` when `limit` is left out. */
  defaultPageSize: 50,
});

/** An `x-request-id` as the server makes them (a UUID) or a client may quote one: letters, digits and `-`. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9-]{1,64}$/;
