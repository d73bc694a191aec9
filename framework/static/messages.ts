/** The messages between a static page and its Web Worker (the page's `api/predict` answered in the browser). */
import type { ErrorBody } from '../errors.ts';

/** Page → worker. */
export type ToWorker = { type: 'load'; app: string; exportName?: string } | { type: 'predict'; id: number; body: unknown };

/** Worker → page. `resources` lists what the worker fetched, so the service worker can keep it for offline use. */
export type FromWorker =
  | { type: 'ready'; ms: number; resources: string[] }
  | { type: 'failed'; error: ErrorBody }
  | { type: 'log'; message: string }
  | { type: 'answer'; id: number; status: number; body: unknown; ms: number };
