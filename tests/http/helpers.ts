/** Shared pieces of the HTTP suites: multipart bodies built by the platform's FormData, and waiting for an app to load. */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/** A multipart field: text, or a file with its bytes. */
export type Field = string | { file: Uint8Array; name?: string; type?: string };

/**
 * Serialises fields as `multipart/form-data` exactly as a browser would (the global FormData and
 * Request), for `app.inject`.
 *
 * @example
 * const res = await postMultipart(app, '/api/predict', { image: { file: png }, effect: 'blur' });
 */
export async function multipartBody(fields: Record<string, Field | Field[]>): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  for (const [name, values] of Object.entries(fields)) {
    for (const v of Array.isArray(values) ? values : [values]) {
      if (typeof v === 'string') form.append(name, v);
      else form.append(name, new Blob([new Uint8Array(v.file)], { type: v.type ?? 'image/png' }), v.name ?? 'upload.png');
    }
  }
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return {
    payload: Buffer.from(await request.arrayBuffer()),
    headers: { 'content-type': request.headers.get('content-type')! },
  };
}

/** POSTs a multipart body built from `fields`. */
export async function postMultipart(app: FastifyInstance, url: string, fields: Record<string, Field | Field[]>): Promise<LightMyRequestResponse> {
  const { payload, headers } = await multipartBody(fields);
  return app.inject({ method: 'POST', url, payload, headers });
}

/** POSTs a JSON body (a string is sent as it is, for malformed bodies). */
export function postJson(app: FastifyInstance, url: string, body: unknown): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json' },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/**
 * Polls `{base}healthz` until the app has finished loading (ready or unavailable); worker threads
 * take a second or two to start. Bounded: fails after `timeoutMs`.
 *
 * @example
 * expect(await settled(app, '/')).toBe('ready');
 */
export async function settled(app: FastifyInstance, base = '/', timeoutMs = 20_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await app.inject({ method: 'GET', url: `${base}healthz` });
    const status = (res.json() as { status: string }).status;
    if (status !== 'loading') return status;
    if (Date.now() > until) throw new Error(`${base} still loading after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A promise with its resolve function outside, to hold an app's function until a test lets it go. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}
