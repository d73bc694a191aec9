/** Faults: a throwing function is a generic 500 with a request id (details only in the log); a dying worker is replaced. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from 'vitrine';
import { failingApp, SECRET_DETAIL } from './fixtures/apps.ts';
import { expectError, waitHealthy } from './helpers.ts';

const logLines: string[] = [];
let app: FastifyInstance;

function logsOf(reqId: string): Array<Record<string, unknown>> {
  return logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.reqId === reqId);
}

beforeAll(async () => {
  app = await buildApp({
    apps: [
      { prefix: '/', interface: failingApp(), workers: 0 },
      { prefix: '/crashy', module: 'tests/reliability/fixtures/crashy-app.ts', workers: 1 },
    ],
    logger: { level: 'info', stream: { write: (line: string) => void logLines.push(line) } },
    flagging: false,
    security: { token: false },
  });
  await waitHealthy(app, ['/healthz', '/crashy/healthz']);
});

afterAll(async () => {
  await app?.close();
});

const ask = (url: string, text: string) => app.inject({ method: 'POST', url, payload: { textbox: text } });

/** While a dead worker is being replaced the pool answers a clean 503 + Retry-After; retry until it is back. */
async function askUntilServed(url: string, text: string) {
  const until = Date.now() + 15_000;
  for (;;) {
    const res = await ask(url, text);
    if (res.statusCode !== 503 || Date.now() > until) return res;
    expectError(res, 503, 'MODEL_UNAVAILABLE', /restarting/);
    expect(res.headers['retry-after']).toBeDefined();
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('an app function that throws', () => {
  it('answers 500 APP_ERROR with a generic message and the request id; the details go to the log only', async () => {
    const res = await ask('/api/predict', 'throw');
    const body = expectError(res, 500, 'APP_ERROR', /request id/);
    expect(body.requestId).toBe(res.headers['x-request-id']);
    expect(body.message).toContain(String(body.requestId));
    expect(res.body).not.toContain('hunter2');
    expect(res.body).not.toContain('secret.ts');
    // Structured JSON log lines carry the request id and the real error.
    const lines = logsOf(String(body.requestId));
    expect(lines.length).toBeGreaterThan(0);
    expect(JSON.stringify(lines)).toContain(SECRET_DETAIL);
    expect(lines.some((l) => l.level === 50)).toBe(true);
  });

  it('a result that breaks the output schema is 500 INVALID_OUTPUT, also with the request id', async () => {
    const res = await ask('/api/predict', 'bad-output');
    const body = expectError(res, 500, 'INVALID_OUTPUT', /"textbox"/);
    expect(body.requestId).toBe(res.headers['x-request-id']);
  });

  it('the server keeps answering', async () => {
    const res = await ask('/api/predict', 'fine');
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ textbox: 'fine' });
  });
});

describe('a worker that dies', () => {
  it('process.exit in the worker: that request gets a 500, the worker is replaced, the next request works', async () => {
    expect((await ask('/crashy/api/predict', 'warm')).statusCode).toBe(200);
    const res = await ask('/crashy/api/predict', 'exit');
    const body = expectError(res, 500, 'APP_ERROR');
    expect(body.requestId).toBe(res.headers['x-request-id']);
    const after = await askUntilServed('/crashy/api/predict', 'hello');
    expect(after.statusCode, after.body).toBe(200);
    expect(JSON.parse(after.body)).toEqual({ textbox: 'echo:hello' });
    await expect.poll(() => logLines.some((l) => /worker 0 replaced/.test(l))).toBe(true);
  });

  it('an uncaught throw in the worker: the same, and a request in flight on it gets a 500 too', async () => {
    expect((await askUntilServed('/crashy/api/predict', 'warm')).statusCode).toBe(200);
    const inFlight = ask('/crashy/api/predict', 'sleep:400');
    await new Promise((r) => setTimeout(r, 50));
    const res = await ask('/crashy/api/predict', 'throw-async');
    expectError(res, 500, 'APP_ERROR');
    expectError(await inFlight, 500, 'APP_ERROR');
    const after = await askUntilServed('/crashy/api/predict', 'again');
    expect(after.statusCode, after.body).toBe(200);
    expect(logLines.some((l) => /uncaught in the worker/.test(l))).toBe(true);
  });

  it('many deaths in a row never take the server down', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await askUntilServed('/crashy/api/predict', 'exit');
      expectError(res, 500, 'APP_ERROR');
    }
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => askUntilServed('/crashy/api/predict', `n${i}`)));
    expect(results.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    expect((await app.inject({ method: 'GET', url: '/crashy/healthz' })).statusCode).toBe(200);
  });
});
