/** Security for every route: headers with a CSP the page works under, a CORS allow-list, an optional bearer token and rate limit. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';
import { VitrineError } from '../errors.ts';

/** What `buildApp({ security })` accepts; every field has a default, and the environment fills some. */
export interface SecurityOptions {
  /**
   * Bearer token required on the API routes (`{base}/api/*` except `api/config`, and `/metrics`).
   * Default: `VITRINE_TOKEN` from the environment; unset or empty = the API is open. `false` turns
   * it off even when the variable is set.
   */
  token?: string | false;
  /**
   * Origins (`https://host[:port]`) whose pages may call the API from the browser; `'*'` = any.
   * Default: `VITRINE_CORS_ORIGINS` (comma-separated), else none: same-origin only.
   */
  corsOrigins?: readonly string[];
  /**
   * Who may show the page in a frame: CSP `frame-ancestors` sources. Default
   * `VITRINE_FRAME_ANCESTORS` (space-separated), else `'self'`.
   */
  frameAncestors?: readonly string[];
  /**
   * Requests per client IP and window on the API routes, answered 429 + `Retry-After` beyond it.
   * Default: `VITRINE_RATE_LIMIT` as `<max>/<window>` (`60/1m`, `10/30s`), else off.
   */
  rateLimit?: RateLimitOptions | false;
}

/** A fixed-window request budget per client IP. */
export interface RateLimitOptions {
  max: number;
  windowMs: number;
}

/** The options once defaults and the environment are applied. */
export interface ResolvedSecurity {
  token: string | undefined;
  corsOrigins: readonly string[];
  frameAncestors: readonly string[];
  rateLimit: RateLimitOptions | undefined;
}

/**
 * Fills the defaults of the security options from the environment (explicit options win).
 *
 * @example
 * resolveSecurity({}, { VITRINE_TOKEN: 's3cret', VITRINE_RATE_LIMIT: '60/1m' });
 * // { token: 's3cret', corsOrigins: [], frameAncestors: ["'self'"], rateLimit: { max: 60, windowMs: 60000 } }
 */
export function resolveSecurity(opts: SecurityOptions = {}, env: NodeJS.ProcessEnv = process.env): ResolvedSecurity {
  const token = opts.token === false ? undefined : (opts.token ?? env.VITRINE_TOKEN ?? '').trim() || undefined;
  // RFC 6750 §2.1 b64token: anything else could never be sent in an Authorization header.
  if (token !== undefined && !/^[A-Za-z0-9\-._~+/]+=*$/.test(token)) {
    throw new Error('VITRINE_TOKEN may hold only letters, digits and - . _ ~ + / (then = padding), as RFC 6750 requires');
  }
  const corsOrigins = opts.corsOrigins ?? splitList(env.VITRINE_CORS_ORIGINS, ',');
  for (const o of corsOrigins) {
    if (o !== '*' && !/^https?:\/\/[^/\s]+$/i.test(o)) {
      throw new Error(`CORS origin "${o}" must be scheme://host[:port] (no path), or '*'`);
    }
  }
  const frameAncestors = opts.frameAncestors ?? (splitList(env.VITRINE_FRAME_ANCESTORS, ' ').length ? splitList(env.VITRINE_FRAME_ANCESTORS, ' ') : ["'self'"]);
  for (const s of frameAncestors) {
    if (/[;,\s]/.test(s)) throw new Error(`frame-ancestors source "${s}" must not contain spaces, commas or semicolons`);
  }
  let limit: RateLimitOptions | undefined;
  if (opts.rateLimit !== undefined) limit = opts.rateLimit === false ? undefined : opts.rateLimit;
  else if (env.VITRINE_RATE_LIMIT?.trim()) limit = parseRateLimit(env.VITRINE_RATE_LIMIT);
  if (limit && (!Number.isInteger(limit.max) || limit.max < 1 || !(limit.windowMs >= 1))) {
    throw new Error('rateLimit needs an integer max ≥ 1 and windowMs ≥ 1');
  }
  return { token, corsOrigins, frameAncestors, rateLimit: limit };
}

/**
 * Parses `<max>/<window>` with the window in ms, s, m or h (`60/1m`, `5/10s`, `100/500ms`).
 *
 * @example
 * parseRateLimit('60/1m'); // { max: 60, windowMs: 60000 }
 */
export function parseRateLimit(text: string): RateLimitOptions {
  const m = /^\s*(\d+)\s*\/\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!m) throw new Error(`VITRINE_RATE_LIMIT must look like 60/1m or 10/30s; got "${text}"`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[3] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return { max: Number(m[1]), windowMs: Number(m[2]) * unit };
}

/**
 * The Content-Security-Policy directives the demo page runs under: its own scripts only, inline
 * styles (Lit's adopted style sheets and style attributes), images and media from `data:`/`blob:`
 * (uploads, the webcam and PNG results are shown that way), API calls to itself and the CORS origins.
 *
 * @example
 * cspDirectives({ corsOrigins: [], frameAncestors: ["'self'"] })['script-src']; // ["'self'"]
 */
export function cspDirectives(sec: Pick<ResolvedSecurity, 'corsOrigins' | 'frameAncestors'>): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'media-src': ["'self'", 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", ...sec.corsOrigins.filter((o) => o !== '*')],
    'object-src': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': [...sec.frameAncestors],
  };
}

/**
 * API routes are the ones the token and the rate limit guard; the page, docs, config, health and
 * assets stay open. Of Gradio's protocol, the routes that take work count: `upload`, `queue/join`
 * and the two-step `call` POST (its readers check the token themselves: gradio/plugin.ts), and
 * the MCP endpoint (`gradio_api/mcp/`; its `schema` stays open, like `api/config`).
 *
 * @example
 * isApiRoute('/image-effects/api/predict'); // true
 * isApiRoute('/gradio_api/queue/join'); // true
 * isApiRoute('/api/config'); // false
 */
export function isApiRoute(routeUrl: string | undefined): boolean {
  if (routeUrl === undefined) return false;
  return /(^|\/)api\/(?!config$)[^/]/.test(routeUrl) || /(^|\/)gradio_api\/(upload|queue\/join|call\/:api_name|mcp\/?)$/.test(routeUrl);
}

/**
 * Compares a request's `Authorization: Bearer …` with the token in constant time (both are hashed
 * first, so neither their length nor their content leaks through timing). Gradio's Python client
 * sends its `token` as `X-HF-Authorization: Bearer …` (it keeps `Authorization` for the Hub), so
 * that header counts too when `Authorization` is absent.
 *
 * @example
 * if (!hasBearer(req, token)) throw unauthorized(req);
 */
export function hasBearer(req: Pick<FastifyRequest, 'headers'>, token: string): boolean {
  const header = req.headers.authorization ?? req.headers['x-hf-authorization'];
  const m = typeof header === 'string' ? /^Bearer[ \t]+(\S+)\s*$/i.exec(header) : null;
  if (!m) return false;
  const a = createHash('sha256').update(m[1]!).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

/**
 * The 401 for a missing or wrong token, with the RFC 6750 §3 challenge.
 *
 * @example
 * throw unauthorized(req);
 */
export function unauthorized(req: Pick<FastifyRequest, 'headers'>): VitrineError {
  const sent = typeof req.headers.authorization === 'string';
  return new VitrineError('UNAUTHORIZED', {}, { 'www-authenticate': sent ? 'Bearer realm="vitrine", error="invalid_token"' : 'Bearer realm="vitrine"' });
}

/** The webcam source needs the camera on this origin; nothing else is asked for. */
const PERMISSIONS_POLICY = 'camera=(self), microphone=(), geolocation=(), payment=(), usb=()';

/**
 * The headers every answer carries: helmet's, with the page's CSP, and the Permissions-Policy.
 *
 * @example
 * securityHeaders(resolveSecurity({}))['x-frame-options']; // 'SAMEORIGIN'
 */
export function securityHeaders(sec: Pick<ResolvedSecurity, 'corsOrigins' | 'frameAncestors'>): Record<string, string> {
  const framing = sec.frameAncestors;
  const middleware = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: cspDirectives(sec) },
    // X-Frame-Options only knows SAMEORIGIN and DENY; other frame-ancestors lists rely on the CSP.
    xFrameOptions:
      framing.length === 1 && framing[0] === "'self'" ? { action: 'sameorigin' } : framing.length === 1 && framing[0] === "'none'" ? { action: 'deny' } : false,
    // HSTS belongs to whoever terminates TLS; sent from a plain-HTTP demo it would pin a whole domain.
    strictTransportSecurity: false,
    // Other sites may load the examples and assets only if they are allowed to call the API.
    crossOriginResourcePolicy: { policy: sec.corsOrigins.length > 0 ? 'cross-origin' : 'same-origin' },
  });
  // None of these directives is a function of the request, so one recorded run gives every header.
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: () => {},
  };
  middleware({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
  });
  headers['permissions-policy'] = PERMISSIONS_POLICY;
  return headers;
}

/**
 * Registers, on the root instance and before any route: security headers (helmet's) with
 * the page's CSP, CORS for the allow-listed origins only, the bearer-token check and the rate limit
 * on API routes, and drops Fastify's `text/plain` parser so the API speaks only JSON and multipart
 * (anything else is a 415).
 *
 * @example
 * await app.register(securityPlugin, resolveSecurity({ token: 's3cret' }));
 */
export const securityPlugin: FastifyPluginAsync<ResolvedSecurity> = fp(
  async function security(app: FastifyInstance, sec: ResolvedSecurity) {
    // The headers depend only on these options, so they are worked out once. @fastify/helmet built
    // helmet's middleware anew on every request (its options parsed, the CSP joined again) in two
    // hooks: ~9 % of the server thread at 8 connections (docs/decisions: perf-framework-overhead).
    const headers = securityHeaders(sec);
    app.addHook('onRequest', function setSecurityHeaders(_req, reply, done) {
      reply.headers(headers);
      done();
    });

    // CORS and the rate limit are loaded only when configured (~50 ms of start-up otherwise).
    if (sec.corsOrigins.length > 0) {
      const { default: cors } = await import('@fastify/cors');
      await app.register(cors, {
        origin: sec.corsOrigins.includes('*') ? '*' : [...sec.corsOrigins],
        methods: ['GET', 'POST'],
        allowedHeaders: ['content-type', 'authorization'],
        exposedHeaders: ['retry-after', 'x-request-id', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'],
        maxAge: 600,
        strictPreflight: true,
      });
    }

    const token = sec.token;
    if (token !== undefined) {
      app.addHook('onRequest', async (req) => {
        const url = req.routeOptions.url;
        if ((isApiRoute(url) || url === '/metrics') && req.method !== 'OPTIONS' && !hasBearer(req, token)) throw unauthorized(req);
      });
    }

    if (sec.rateLimit) {
      const { default: rateLimit } = await import('@fastify/rate-limit');
      await app.register(rateLimit, {
        global: true,
        max: sec.rateLimit.max,
        timeWindow: sec.rateLimit.windowMs,
        allowList: (req) => req.method === 'OPTIONS' || !isApiRoute(req.routeOptions.url),
        errorResponseBuilder: (_req, ctx) => {
          const retryAfter = Math.max(1, Math.ceil(ctx.ttl / 1000));
          return new VitrineError('RATE_LIMITED', { retryAfter }, { 'retry-after': String(retryAfter) });
        },
      });
    }

    app.removeContentTypeParser('text/plain');
  },
  { name: 'vitrine-security', fastify: '5.x' },
);

/**
 * Answers what Node's HTTP parser refuses before Fastify sees a request (a body that did not
 * arrive within `requestTimeout`, oversized headers, malformed HTTP) in the catalogue's JSON shape,
 * then closes the connection.
 *
 * @example
 * Fastify({ clientErrorHandler: answerClientError(16384) });
 */
export function answerClientError(maxHeaderBytes: number) {
  return function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    let status: number;
    let error: VitrineError;
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      status = 408;
      error = new VitrineError('REQUEST_TIMEOUT');
    } else if (err.code === 'HPE_HEADER_OVERFLOW') {
      status = 431;
      error = new VitrineError('HEADERS_TOO_LARGE', { limit: maxHeaderBytes });
    } else {
      status = 400;
      error = new VitrineError('BAD_REQUEST', { reason: 'malformed HTTP request' });
    }
    const body = JSON.stringify(error.toBody());
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${status} ${status === 408 ? 'Request Timeout' : status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
          `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}

function splitList(value: string | undefined, sep: string): string[] {
  return (value ?? '').split(sep).map((s) => s.trim()).filter((s) => s !== '');
}
