/** A tiny HTTP server for the browser tests: fixed routes, a strict CSP on every answer, port 0. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The policy the page must work under (issue: no inline scripts, no eval, no inline handlers). */
export function pageCsp(connectSrc: string[] = []): string {
  return [
    "default-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    `connect-src 'self' ${connectSrc.join(' ')}`.trim(),
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** One answer. */
export interface Reply {
  status?: number;
  type?: string;
  body: string | Uint8Array;
  headers?: Record<string, string>;
}

/** A route handler gets the request and its whole body. */
export type Handler = (req: IncomingMessage, body: Buffer) => Reply | Promise<Reply>;

export interface TestServer {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  origin: string;
  /** Every request seen, as `METHOD /path`. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * Serves `routes` (exact paths, query ignored; `'METHOD /path'` keys restrict the method) and
 * answers 404 JSON otherwise. Every response carries `csp` when given, plus `extraHeaders`.
 *
 * @example
 * const server = await serveRoutes({ '/': () => ({ type: 'text/html', body: '<p>hi</p>' }) });
 */
export async function serveRoutes(
  routes: Record<string, Handler>,
  opts: { csp?: string; extraHeaders?: Record<string, string>; host?: string } = {},
): Promise<TestServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      requests.push(`${req.method} ${path}`);
      const handler = routes[`${req.method} ${path}`] ?? routes[path];
      const headers: Record<string, string> = { ...opts.extraHeaders, 'cache-control': 'no-store' };
      if (opts.csp) headers['content-security-policy'] = opts.csp;
      if (req.method === 'OPTIONS' && handler === undefined) {
        res.writeHead(204, headers).end();
        return;
      }
      Promise.resolve(handler ? handler(req, Buffer.concat(chunks)) : notFound(path))
        .then((reply) => {
          res.writeHead(reply.status ?? 200, { ...headers, 'content-type': reply.type ?? 'text/plain', ...reply.headers });
          res.end(reply.body);
        })
        .catch((err: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, opts.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function notFound(path: string): Reply {
  return { status: 404, type: 'application/json', body: JSON.stringify({ error: 'NOT_FOUND', message: `No route ${path}` }) };
}

/**
 * A JSON reply.
 *
 * @example
 * '/api/config': () => json(config)
 */
export function json(value: unknown, status = 200): Reply {
  return { status, type: 'application/json; charset=utf-8', body: JSON.stringify(value) };
}
