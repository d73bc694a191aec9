/** The container and Space files say what issue 23 asks, and every file the Dockerfile copies exists and is not ignored (the build itself: `npm run check:docker`). */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFile(ROOT + path, 'utf8');

describe('Dockerfile', () => {
  it('is multi-stage from a base image given as a build argument (default node:24-slim)', async () => {
    const file = await read('Dockerfile');
    expect(file).toMatch(/^ARG BASE_IMAGE=node:24-slim$/m);
    const froms = [...file.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(froms.length).toBeGreaterThanOrEqual(2);
    expect(froms.every((f) => f === '${BASE_IMAGE}')).toBe(true);
  });

  it('installs production dependencies from the lockfile, with onnxruntime-node and without its CUDA download', async () => {
    const file = await read('Dockerfile');
    expect(file).toMatch(/npm ci --omit=dev/);
    expect(file).toMatch(/COPY package\.json package-lock\.json \.\/\n/);
    // ORT's CUDA download: denied by package.json's allowScripts (npm 11.16+), skipped by the variable on older npm.
    expect(JSON.parse(await read('package.json')).allowScripts['onnxruntime-node']).toBe(false);
    expect(file).toMatch(/^ENV ONNXRUNTIME_NODE_INSTALL=skip$/m);
    expect(file).toMatch(/require\('onnxruntime-node'\)/);
  });

  it('runs as uid 1000 on port 7860 with a HEALTHCHECK on /healthz', async () => {
    const file = await read('Dockerfile');
    const final = file.slice(file.lastIndexOf('\nFROM '));
    expect(final).toMatch(/^USER (node|1000)$/m);
    expect(final).toMatch(/^EXPOSE 7860$/m);
    expect(final).toMatch(/PORT=7860/);
    expect(final).toMatch(/HOST=0\.0\.0\.0/);
    expect(final).toMatch(/^HEALTHCHECK [\s\S]*\/healthz/m);
    expect(final).toMatch(/^CMD \["node", "--conditions=vitrine-source", "server\.ts"\]$/m);
  });

  it('copies only files that exist and that .dockerignore keeps', async () => {
    const file = await read('Dockerfile');
    const ignored = (await read('.dockerignore')).split('\n').filter((l) => l.trim() && !l.startsWith('#'));
    expect(ignored).toContain('node_modules');
    const sources = [...file.matchAll(/^COPY (?:--\S+ )*(.+) \S+$/gm)].filter((m) => !m[0].includes('--from=')).flatMap((m) => m[1]!.split(/\s+/));
    expect(sources.length).toBeGreaterThan(3);
    for (const src of sources) {
      expect(existsSync(ROOT + src), src).toBe(true);
      expect(ignored.some((pattern) => src.replace(/\/$/, '') === pattern || src.startsWith(`${pattern}/`)), `${src} is ignored`).toBe(false);
    }
  });
});

describe('Docker Space front matter', () => {
  it('declares a Docker Space on port 7860', async () => {
    const front = /^---\n([\s\S]*?)\n---\n/.exec(await read('deploy/docker-space/README.md'))?.[1] ?? '';
    expect(front).toMatch(/^sdk: docker$/m);
    expect(front).toMatch(/^app_port: 7860$/m);
    expect(front).toMatch(/^title: .+$/m);
  });
});
