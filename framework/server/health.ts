/** Readiness over HTTP: the body of `/healthz` (one schema), each app's own and the server's, at the root whatever the mounts. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppState } from './app-state.ts';

/** The body of every `healthz` answer: 200 when `status` is `ready`, else 503. */
export const HealthSchema = z
  .object({
    status: z.enum(['loading', 'ready', 'unavailable']),
    reason: z.string().optional().describe('Why the app is unavailable'),
    queued: z.number().int().describe('Requests waiting for the function'),
    inFlight: z.number().int().describe('Requests inside the function'),
  })
  .describe('Readiness: ready once the app can answer');

export type Health = z.infer<typeof HealthSchema>;

/** One app's health now: its state, its queue. */
export type HealthProbe = () => AppState & { queued: number; inFlight: number };

/**
 * The apps of one server, for its root `/healthz`: 200 once every app is ready. A load balancer
 * asks the root, whatever the mounts; each app also answers `{base}/healthz` for itself.
 *
 * @example
 * const board = new HealthBoard();
 * board.add('/shout/', () => ({ status: 'ready', queued: 0, inFlight: 0 }));
 * board.register(app); // GET /healthz
 */
export class HealthBoard {
  readonly #apps = new Map<string, HealthProbe>();

  /** Adds (or replaces) the app mounted at `prefix` (`/` or `/name/`). */
  add(prefix: string, probe: HealthProbe): void {
    this.#apps.set(prefix, probe);
  }

  /**
   * The whole server's health: the worst status of its apps (unavailable, then loading), the
   * first reason (named after its app unless it is mounted at `/`), and the queues added up.
   */
  summary(): Health {
    const apps = [...this.#apps].map(([prefix, probe]) => ({ prefix, ...probe() }));
    const worst = apps.find((a) => a.status === 'unavailable') ?? apps.find((a) => a.status === 'loading');
    const reason = worst?.reason === undefined ? undefined : worst.prefix === '/' ? worst.reason : `${worst.prefix}: ${worst.reason}`;
    return {
      status: worst?.status ?? 'ready',
      ...(reason === undefined ? {} : { reason }),
      queued: apps.reduce((n, a) => n + a.queued, 0),
      inFlight: apps.reduce((n, a) => n + a.inFlight, 0),
    };
  }

  /**
   * Registers `GET /healthz` on `app` (the root instance).
   *
   * @example
   * board.register(app);
   */
  register(app: FastifyInstance): void {
    app.get('/healthz', async (_req, reply) => answerHealth(reply, this.summary()));
  }
}

/**
 * Sends a health body: 200 when ready, 503 otherwise.
 *
 * @example
 * app.get('/healthz', async (_req, reply) => answerHealth(reply, probe()));
 */
export function answerHealth(reply: { code(status: number): unknown }, health: AppState & { queued: number; inFlight: number }): Health {
  if (health.status !== 'ready') reply.code(503);
  return { status: health.status, ...(health.reason ? { reason: health.reason } : {}), queued: health.queued, inFlight: health.inFlight };
}
