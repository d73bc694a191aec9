/**
 * The wire shapes the page reads, as types only: `/api/config` and the error body are declared
 * once, as zod schemas on the server (framework/server/interface-config.ts, framework/errors.ts),
 * and nothing of zod reaches the bundle.
 */
import type { Label } from '../../framework/components/label.ts';
import type { WireOf } from '../../framework/components/base.ts';
import type { ErrorBody } from '../../framework/errors.ts';

export type { ComponentConfig, InterfaceConfig } from '../../framework/server/interface-config.ts';

/** A Label wire value, typed from the Label component's zod schema. */
export type LabelValue = WireOf<ReturnType<typeof Label>>;

/** The JSON body of every API error, as the server's error catalogue defines it. */
export type ApiErrorBody = ErrorBody;

/**
 * The interface's base URL as an absolute URL ending in `/`, so relative config URLs resolve under
 * it: `http://host:7860` → `http://host:7860/`, `''` → the directory of the page itself.
 *
 * @example
 * resolveBase('http://host:7860/image-effects', 'http://page/'); // → URL http://host:7860/image-effects/
 */
export function resolveBase(src: string | null | undefined, pageUrl: string): URL {
  const trimmed = (src ?? '').trim();
  if (trimmed === '') return new URL('.', pageUrl);
  const url = new URL(trimmed, pageUrl);
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/**
 * True when a parsed JSON body has the API's error shape: what the page shows of an answer that
 * is not a 2xx, which may come from a proxy rather than the server.
 *
 * @example
 * if (!response.ok && isApiError(body)) show(body.message);
 */
export function isApiError(v: unknown): v is ApiErrorBody {
  return typeof v === 'object' && v !== null && typeof (v as { error?: unknown }).error === 'string' && typeof (v as { message?: unknown }).message === 'string';
}
