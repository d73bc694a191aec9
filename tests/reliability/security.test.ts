/** Security: headers and a CSP the real page works under (in Chromium), the bearer token, the rate limit, the CORS allow-list, logs with request ids. */
import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from 'vitrine';
import { cspDirectives, parseRateLimit, resolveSecurity, type SecurityOptions } from '../../framework/server/security.ts';
import effects from '../../apps/image-effects/app.ts';
import { writeUiBundle } from '../browser/bundle.ts';
import { launchChromium, watchPage } from '../browser/chromium.ts';
import { failingApp } from './fixtures/apps.ts';
import { expectError, waitHealthy } from './helpers.ts';

let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'vitrine-security-'));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function textApp(security: SecurityOptions, extra: { logs?: string[] } = {}): Promise<FastifyInstance> {
  const app = await buildApp({
    apps: [{ interface: failingApp(), workers: 0 }],
    flagging: { dir: join(tmp, 'flags') },
    security,
    ...(extra.logs ? { logger: { level: 'info', stream: { write: (l: string) => void extra.logs!.push(l) } } } : {}),
  });
  await waitHealthy(app, ['/healthz']);
  return app;
}

const predict = (app: FastifyInstance, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/api/predict', payload: { textbox: 'hi' }, headers });

describe('options', () => {
  it('come from the environment when not given, explicit ones win', () => {
    expect(resolveSecurity({}, {})).toEqual({ token: undefined, corsOrigins: [], frameAncestors: ["'self'"], rateLimit: undefined });
    expect(
      resolveSecurity({}, { VITRINE_TOKEN: ' t0k ', VITRINE_CORS_ORIGINS: 'https://a.example, http://b.example:8080', VITRINE_FRAME_ANCESTORS: "'self' https://hf.space", VITRINE_RATE_LIMIT: '60/1m' }),
    ).toEqual({ token: 't0k', corsOrigins: ['https://a.example', 'http://b.example:8080'], frameAncestors: ["'self'", 'https://hf.space'], rateLimit: { max: 60, windowMs: 60_000 } });
    expect(resolveSecurity({ token: false, rateLimit: false }, { VITRINE_TOKEN: 'x', VITRINE_RATE_LIMIT: '1/1s' })).toMatchObject({ token: undefined, rateLimit: undefined });
    expect(parseRateLimit('5/500ms')).toEqual({ max: 5, windowMs: 500 });
    expect(() => parseRateLimit('lots')).toThrow(/60\/1m/);
    expect(() => resolveSecurity({ corsOrigins: ['https://a.example/path'] }, {})).toThrow(/no path/);
    expect(() => resolveSecurity({ frameAncestors: ["'self'; script-src *"] }, {})).toThrow(/frame-ancestors/);
    expect(() => resolveSecurity({ token: 'has spaces in it' }, {})).toThrow(/RFC 6750/);
  });
});

describe('security headers', () => {
  it('every answer — page, API, error, 404 — carries them; the CSP is the page policy', async () => {
    const app = await textApp({ token: false });
    try {
      const csp =
        "default-src 'self';base-uri 'self';script-src 'self';script-src-attr 'none';style-src 'self' 'unsafe-inline';img-src 'self' data: blob:;" +
        "media-src 'self' blob:;font-src 'self' data:;connect-src 'self';object-src 'none';form-action 'self';frame-ancestors 'self'";
      for (const res of [
        await app.inject({ method: 'GET', url: '/' }),
        await predict(app),
        await app.inject({ method: 'POST', url: '/api/predict', payload: { textbox: 'throw' } }),
        await app.inject({ method: 'GET', url: '/nope' }),
      ]) {
        expect(res.headers['content-security-policy']).toBe(csp);
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
        expect(res.headers['referrer-policy']).toBe('no-referrer');
        expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
        expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
        expect(res.headers['permissions-policy']).toMatch(/camera=\(self\)/);
        expect(res.headers['x-powered-by']).toBeUndefined();
        expect(res.headers['strict-transport-security']).toBeUndefined();
        expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      }
    } finally {
      await app.close();
    }
  });

  it('frame-ancestors and connect-src follow the options', async () => {
    const app = await textApp({ token: false, frameAncestors: ["'self'", 'https://huggingface.co'], corsOrigins: ['https://good.example'] });
    try {
      const res = await app.inject({ method: 'GET', url: '/' });
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'self' https://huggingface.co");
      expect(res.headers['content-security-policy']).toContain("connect-src 'self' https://good.example");
      // X-Frame-Options cannot say "these origins"; the CSP decides alone.
      expect(res.headers['x-frame-options']).toBeUndefined();
    } finally {
      await app.close();
    }
    expect(cspDirectives({ corsOrigins: ['*'], frameAncestors: ["'none'"] })['connect-src']).toEqual(["'self'"]);
  });
});

describe('bearer token', () => {
  it('guards the API routes and /metrics; the page, config, docs and health stay open', async () => {
    const app = await textApp({ token: 'Zx8-correct.horse_battery~staple' });
    try {
      const none = await predict(app);
      expectError(none, 401, 'UNAUTHORIZED');
      expect(none.headers['www-authenticate']).toBe('Bearer realm="vitrine"');
      const wrong = await predict(app, { authorization: 'Bearer Zx8-correct.horse' });
      expectError(wrong, 401, 'UNAUTHORIZED');
      expect(wrong.headers['www-authenticate']).toContain('error="invalid_token"');
      expectError(await predict(app, { authorization: 'Basic WnNvcnJ5' }), 401, 'UNAUTHORIZED');
      expectError(await predict(app, { authorization: 'Bearer Zx8-correct.horse_battery~staple extra' }), 401, 'UNAUTHORIZED');
      // The scheme is case-insensitive (RFC 7235 §2.1); the token is not.
      expect((await predict(app, { authorization: 'bearer Zx8-correct.horse_battery~staple' })).statusCode).toBe(200);
      expect((await predict(app, { authorization: 'Bearer zx8-correct.horse_battery~staple' })).statusCode).toBe(401);
      expectError(await app.inject({ method: 'POST', url: '/api/flag', payload: { inputs: { textbox: 'x' } } }), 401, 'UNAUTHORIZED');
      expectError(await app.inject({ method: 'GET', url: '/metrics' }), 401, 'UNAUTHORIZED');
      for (const url of ['/', '/api/config', '/docs', '/openapi.json', '/healthz']) expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
    } finally {
      await app.close();
    }
    const spaced = await textApp({ token: 's3cret-token' });
    try {
      const res = await predict(spaced, { authorization: 'Bearer s3cret-token' });
      expect(res.statusCode).toBe(200);
      expect((await spaced.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer s3cret-token' } })).statusCode).toBe(200);
      expect((await spaced.inject({ method: 'POST', url: '/api/flag', payload: { inputs: { textbox: 'x' } }, headers: { authorization: 'Bearer s3cret-token' } })).statusCode).toBe(200);
    } finally {
      await spaced.close();
    }
  });
});

describe('rate limit', () => {
  it('answers 429 RATE_LIMITED with Retry-After past the budget, on API routes only', async () => {
    const app = await textApp({ token: false, rateLimit: { max: 3, windowMs: 60_000 } });
    try {
      for (let i = 0; i < 3; i++) {
        const res = await predict(app);
        expect(res.statusCode).toBe(200);
        expect(res.headers['x-ratelimit-remaining']).toBe(String(2 - i));
      }
      const limited = await predict(app);
      expectError(limited, 429, 'RATE_LIMITED', /retry in \d+ s/);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
      expectError(await app.inject({ method: 'POST', url: '/api/flag', payload: { inputs: { textbox: 'x' } } }), 429, 'RATE_LIMITED');
      // The page and its config are not API calls and are never limited.
      for (let i = 0; i < 5; i++) expect((await app.inject({ method: 'GET', url: '/api/config' })).statusCode).toBe(200);
      // Another client has its own budget.
      expect((await app.inject({ method: 'POST', url: '/api/predict', payload: { textbox: 'hi' }, remoteAddress: '10.0.0.9' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('CORS', () => {
  it('is same-origin only by default: no CORS headers for a foreign origin', async () => {
    const app = await textApp({ token: false });
    try {
      const res = await predict(app, { origin: 'https://evil.example' });
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      const pre = await app.inject({ method: 'OPTIONS', url: '/api/predict', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
      expect(pre.headers['access-control-allow-origin']).toBeUndefined();
      expect(pre.statusCode).toBeGreaterThanOrEqual(400);
    } finally {
      await app.close();
    }
  });

  it('answers listed origins (with preflight) and nobody else', async () => {
    const app = await textApp({ token: 'tok', corsOrigins: ['https://good.example'] });
    try {
      const pre = await app.inject({
        method: 'OPTIONS',
        url: '/api/predict',
        headers: { origin: 'https://good.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
      });
      expect(pre.statusCode).toBe(204);
      expect(pre.headers['access-control-allow-origin']).toBe('https://good.example');
      expect(String(pre.headers['access-control-allow-headers'])).toMatch(/authorization/);
      expect(String(pre.headers['access-control-allow-methods'])).toMatch(/POST/);
      const res = await predict(app, { origin: 'https://good.example', authorization: 'Bearer tok' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe('https://good.example');
      expect(String(res.headers['access-control-expose-headers'])).toMatch(/retry-after/);
      const evil = await predict(app, { origin: 'https://evil.example', authorization: 'Bearer tok' });
      expect(evil.headers['access-control-allow-origin']).toBeUndefined();
      const evilPre = await app.inject({ method: 'OPTIONS', url: '/api/predict', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
      expect(evilPre.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await app.close();
    }
  });
});

describe('logs', () => {
  it('are JSON lines with the request id; errors in responses never show stacks or paths', async () => {
    const logs: string[] = [];
    const app = await textApp({ token: false }, { logs });
    try {
      const res = await app.inject({ method: 'POST', url: '/api/predict', payload: { textbox: 'throw' } });
      const id = String(res.headers['x-request-id']);
      const parsed = logs.map((l) => JSON.parse(l) as { reqId?: string; msg?: string; level?: number; time?: number });
      const mine = parsed.filter((l) => l.reqId === id);
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.every((l) => typeof l.level === 'number' && typeof l.time === 'number')).toBe(true);
      expect(res.body).not.toMatch(/at .*\.ts:\d+/);
      // A client cannot choose its request id (no header trust): log lines stay attributable.
      const spoof = await app.inject({ method: 'GET', url: '/api/config', headers: { 'request-id': 'forged', 'x-request-id': 'forged' } });
      expect(spoof.headers['x-request-id']).not.toBe('forged');
    } finally {
      await app.close();
    }
  });
});

describe('the real page in Chromium under this CSP', () => {
  it('loads, runs an example, flags the result: no CSP violation, no console error; the flag is on disk', async () => {
    const ui = join(tmp, 'ui');
    await mkdir(ui, { recursive: true });
    await writeUiBundle(ui);
    const flags = join(tmp, 'page-flags');
    const app = await buildApp({ apps: [{ interface: effects, workers: 0 }], uiDir: ui, flagging: { dir: flags }, security: { token: false } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    await waitHealthy(app, ['/healthz']);
    const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      await page.addInitScript(() => {
        const w = window as unknown as { cspViolations: string[] };
        w.cspViolations = [];
        document.addEventListener('securitypolicyviolation', (e) => w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
      });
      const problems = watchPage(page);
      await page.goto(`${origin}/`);
      await page.getByRole('button', { name: /^Run example 1/ }).click();
      await page.waitForFunction(() => {
        const out = document.querySelector('vt-interface')?.shadowRoot?.querySelectorAll('vt-image');
        return Array.from(out ?? []).some((el) => typeof (el as HTMLElement & { value?: unknown }).value === 'string' && String((el as HTMLElement & { value?: string }).value).startsWith('data:image/png'));
      });
      await page.getByRole('textbox', { name: 'Why flag this result? (optional)' }).fill('too pixelated');
      await page.getByRole('button', { name: 'Flag' }).click();
      await page.getByText('Flagged. Thank you.').waitFor();
      await page.goto(`${origin}/docs`);
      await page.goto(`${origin}/?webcam`);
      const violations = await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
      expect(violations).toEqual([]);
      expect(problems.all()).toEqual([]);
      const index = (await readFile(join(flags, 'root', 'index.jsonl'), 'utf8')).trim().split('\n');
      expect(index).toHaveLength(1);
      expect(JSON.parse(index[0]!)).toMatchObject({ reason: 'too pixelated', inputs: { effect: 'pixelate' } });
    } finally {
      await browser.close();
      await app.close();
    }
  });

  it('a page that tries inline script is blocked (the policy is really enforced)', async () => {
    const app = await buildApp({ apps: [{ interface: effects, workers: 0 }], flagging: false, security: { token: false } });
    app.get('/inline-test', async (_req, reply) => reply.type('text/html').send('<!doctype html><script>window.ran = true</script><img src="https://example.invalid/x.png">'));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      await page.goto(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/inline-test`);
      expect(await page.evaluate(() => (window as unknown as { ran?: boolean }).ran)).toBeUndefined();
    } finally {
      await browser.close();
      await app.close();
    }
  });
});

describe('behind a proxy', () => {
  it('the rate limit keys on X-Forwarded-For only when trustProxy says so', async () => {
    const build = (trustProxy: boolean) =>
      buildApp({ apps: [{ interface: failingApp(), workers: 0 }], flagging: false, trustProxy, security: { token: false, rateLimit: { max: 1, windowMs: 60_000 } } });
    const trusting = await build(true);
    const naive = await build(false);
    try {
      await waitHealthy(trusting, ['/healthz']);
      await waitHealthy(naive, ['/healthz']);
      const from = (app: FastifyInstance, ip: string) => app.inject({ method: 'POST', url: '/api/predict', payload: { textbox: 'x' }, headers: { 'x-forwarded-for': ip } });
      expect((await from(trusting, '203.0.113.1')).statusCode).toBe(200);
      expect((await from(trusting, '203.0.113.2')).statusCode).toBe(200);
      expect((await from(naive, '203.0.113.1')).statusCode).toBe(200);
      // Without trustProxy the header is ignored: both come from the same (balancer) address.
      expect((await from(naive, '203.0.113.2')).statusCode).toBe(429);
    } finally {
      await trusting.close();
      await naive.close();
    }
  });
});
