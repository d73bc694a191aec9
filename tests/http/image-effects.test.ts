/** The second, non-ML app answers its own predict route: an image in, an image data URL out, JSON and multipart. */
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from 'vitrine';
import imageEffects from '../../apps/image-effects/app.ts';
import { dataUrl, decodeDataUrl, noise, pngOf, solidPng } from '../fixtures/images.ts';
import { postJson, postMultipart, settled } from './helpers.ts';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function inline() {
  app = await buildApp({ apps: [{ prefix: '/image-effects', interface: imageEffects, workers: 0 }], logger: false });
  return app;
}

describe('image-effects', () => {
  it('answers JSON with 200 and a PNG data URL of the effect', async () => {
    const a = await inline();
    const res = await postJson(a, '/image-effects/api/predict', { image: dataUrl(await solidPng(600, 300, '#ff0000')), effect: 'invert', strength: 1 });
    expect(res.statusCode, res.body).toBe(200);
    const { result } = res.json();
    expect(result).toMatch(/^data:image\/png;base64,/);
    const out = decodeDataUrl(result);
    // Scaled into 512 × 512 first, keeping the aspect ratio.
    expect([out.width, out.height, out.channels]).toEqual([512, 256, 3]);
    expect([...out.data.subarray(0, 3)]).toEqual([0, 255, 255]);
  });

  it('answers multipart with a file part the same way, and uses the defaults left out', async () => {
    const a = await inline();
    const png = await pngOf(noise(40, 30, 3));
    const form = await postMultipart(a, '/image-effects/api/predict', { image: { file: png } });
    expect(form.statusCode, form.body).toBe(200);
    const json = await postJson(a, '/image-effects/api/predict', { image: dataUrl(png), effect: 'sepia', strength: 0.7 });
    expect(form.json()).toEqual(json.json());
  });

  it.each(['blur', 'pixelate', 'sepia', 'grayscale', 'invert', 'posterize'])('applies %s without failing', async (effect) => {
    const a = await inline();
    const res = await postMultipart(a, '/image-effects/api/predict', { image: { file: await pngOf(noise(33, 17, 3)) }, effect, strength: '0.5' });
    expect(res.statusCode, res.body).toBe(200);
    expect(decodeDataUrl(res.json().result).channels).toBe(3);
  });

  it('refuses an effect it does not offer, naming the field and the choices', async () => {
    const res = await postJson(await inline(), '/image-effects/api/predict', { image: dataUrl(await solidPng(4, 4)), effect: 'glow' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'INVALID_INPUT', field: 'effect' });
    expect(res.json().message).toContain('sepia');
  });

  it('serves its example pictures listed in its config', async () => {
    const a = await inline();
    const config = (await a.inject({ method: 'GET', url: '/image-effects/api/config' })).json();
    expect(config.examples.length).toBeGreaterThan(0);
    for (const ex of config.examples as Array<{ image: string }>) {
      const res = await a.inject({ method: 'GET', url: `/image-effects/${ex.image}` });
      expect(res.statusCode, ex.image).toBe(200);
      expect(res.headers['content-type']).toMatch(/^image\//);
    }
    const first = config.examples[0] as { image: string; effect: string; strength: number };
    const bytes = await readFile(new URL('../../apps/image-effects/examples/landscape.jpg', import.meta.url));
    const res = await postJson(a, '/image-effects/api/predict', { ...first, image: dataUrl(bytes, 'image/jpeg') });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('runs in a worker thread when mounted by module path, as npm start does', async () => {
    app = await buildApp({ apps: [{ prefix: '/image-effects', module: 'apps/image-effects/app.ts' }], logger: false });
    expect(await settled(app, '/image-effects/')).toBe('ready');
    const res = await postMultipart(app, '/image-effects/api/predict', { image: { file: await solidPng(8, 8, '#00ff00') }, effect: 'invert', strength: '1' });
    expect(res.statusCode, res.body).toBe(200);
    expect([...decodeDataUrl(res.json().result).data.subarray(0, 3)]).toEqual([255, 0, 255]);
  });
});
