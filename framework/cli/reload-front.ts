/** The address `vitrine serve --reload` listens on: forwards to the current server, holds or refuses (503 + Retry-After) while none can answer, and serves the pages' live-reload stream. */

// A restart never refuses a connection: the server that runs the apps is a child process on a
// private port, and this process keeps the public one.
import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VitrineError } from '../errors.ts';
import { LIVE_RELOAD_EVENTS, LIVE_RELOAD_SCRIPT, RELOAD_SCRIPT, RETRY_MS, placeholderPage, type ReloadState } from './reload-page.ts';

/** Longest a request waits for a server that is starting: an app with a model loads in a few seconds. */
export const DEFAULT_WAIT_MS = 15_000;
/** What a refused request is told to wait before trying again (seconds). */
const RETRY_AFTER_S = 1;

/** The server the requests go to now: its private port and its id (the one its pages carry). */
interface Target {
  port: number;
  server: string;
}

/**
 * Listens on the public address and forwards to the current server.
 *
 * @example
 * const front = new ReloadFront();
 * const origin = await front.listen(7860, '127.0.0.1');
 * front.ready(child port, 'server-1'); // requests go through from now on
 */
export class ReloadFront {
  readonly #http: Server;
  readonly #agent = new Agent({ keepAlive: true });
  readonly #streams = new Set<ServerResponse>();
  readonly #waiting = new Set<() => void>();
  readonly #waitMs: number;
  #target: Target | undefined;
  #state: ReloadState = { state: 'starting' };

  constructor(opts: { waitMs?: number } = {}) {
    this.#waitMs = opts.waitMs ?? DEFAULT_WAIT_MS;
    this.#http = createServer((req, res) => void this.#answer(req, res));
  }

  /** Listens; resolves with the origin (`http://127.0.0.1:7860`) or rejects as `listen` does (EADDRINUSE…). */
  listen(port: number, host: string): Promise<string> {
    return new Promise((resolveOrigin, reject) => {
      this.#http.once('error', reject);
      this.#http.listen(port, host, () => {
        this.#http.off('error', reject);
        const { address, family, port: bound } = this.#http.address() as AddressInfo;
        resolveOrigin(`http://${family === 'IPv6' ? `[${address}]` : address}:${bound}`);
      });
    });
  }

  /** A server answers at `port`: requests go there from now on, and pages from another server reload. */
  ready(port: number, server: string): void {
    this.#target = { port, server };
    this.#publish({ state: 'ready', server });
  }

  /** A change is being picked up: pages show a banner; requests still go to the current server, if any. */
  restarting(changed: string): void {
    this.#publish({ state: 'restarting', changed });
  }

  /** The new server failed to load the apps: pages show `error`; the last good server, if any, keeps answering. */
  failed(error: string): void {
    this.#publish({ state: 'failed', error });
  }

  /** The server with this id has stopped: nothing to forward to until the next one is ready. */
  gone(server: string): void {
    if (this.#target?.server === server) this.#target = undefined;
  }

  get state(): ReloadState {
    return this.#state;
  }

  /** Stops listening and ends the open event streams. */
  async close(): Promise<void> {
    for (const res of this.#streams) res.end();
    for (const wake of this.#waiting) wake();
    this.#agent.destroy();
    this.#http.closeAllConnections();
    await new Promise<void>((r) => this.#http.close(() => r()));
  }

  #publish(state: ReloadState): void {
    this.#state = state;
    for (const res of this.#streams) res.write(stateEvent(state));
    if (state.state === 'ready' || state.state === 'failed') for (const wake of this.#waiting) wake();
  }

  async #answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path === LIVE_RELOAD_SCRIPT) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
      return void res.end(RELOAD_SCRIPT);
    }
    if (path === LIVE_RELOAD_EVENTS) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      res.write(`retry: ${RETRY_MS}\n\n${stateEvent(this.#state)}`);
      this.#streams.add(res);
      res.once('close', () => this.#streams.delete(res));
      return;
    }
    const target = await this.#targetWithin(this.#waitMs);
    if (!target) return this.#refuse(req, res);
    this.#forward(req, res, target);
  }

  /** The current server; while one is starting (and none answers), wait for it up to `ms`. */
  async #targetWithin(ms: number): Promise<Target | undefined> {
    if (this.#target || this.#state.state === 'failed') return this.#target;
    let wake!: () => void;
    const woken = new Promise<void>((r) => (wake = r));
    this.#waiting.add(wake);
    const timer = setTimeout(wake, ms);
    await woken;
    clearTimeout(timer);
    this.#waiting.delete(wake);
    return this.#target;
  }

  #forward(req: IncomingMessage, res: ServerResponse, target: Target): void {
    const upstream = request(
      { host: '127.0.0.1', port: target.port, method: req.method, path: req.url, headers: req.headers, agent: this.#agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
        answer.pipe(res);
      },
    );
    // A client that goes away takes its request with it (a queued prediction is dropped).
    res.once('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    // The server stopped while answering (it was replaced, or crashed): a clean 503, never a reset.
    upstream.once('error', () => {
      if (!res.headersSent) this.#refuse(req, res);
      else res.destroy();
    });
    req.pipe(upstream);
  }

  #refuse(req: IncomingMessage, res: ServerResponse): void {
    if (res.headersSent || res.destroyed) return;
    const s = this.#state;
    const reason = s.state === 'failed' ? `it failed to load: ${s.error.split('\n')[0]}` : s.state === 'restarting' ? `${s.changed} changed` : 'it is starting';
    if (req.method === 'GET' && /text\/html/.test(req.headers.accept ?? '')) {
      res.writeHead(503, {
        'content-type': 'text/html; charset=utf-8',
        'retry-after': String(RETRY_AFTER_S),
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'self'",
      });
      return void res.end(placeholderPage());
    }
    const err = new VitrineError('RELOADING', { reason, retryAfter: RETRY_AFTER_S }, { 'retry-after': String(RETRY_AFTER_S) });
    res.writeHead(err.status, { 'content-type': 'application/json; charset=utf-8', ...err.headers });
    res.end(JSON.stringify(err.toBody()));
  }
}

function stateEvent(state: ReloadState): string {
  return `event: state\ndata: ${JSON.stringify(state)}\n\n`;
}
