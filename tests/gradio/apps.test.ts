/**
 * The shipped apps, as `npm start` serves them (Fashion-MNIST at /, image-effects at /image-effects,
 * each in a worker thread), called by the real `@gradio/client` the way a script written for a
 * Gradio Space would call them — only the URL differs.
 */
import { fileURLToPath } from 'node:url';
import { Client, handle_file } from '@gradio/client';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, ready, type Listening } from './helpers.ts';

const FASHION = fileURLToPath(new URL('../../apps/fashion-mnist/app.ts', import.meta.url));
const EFFECTS = fileURLToPath(new URL('../../apps/image-effects/app.ts', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('../../apps/fashion-mnist/examples/', import.meta.url));

type Verdict = { label: string; confidences: Array<{ label: string; confidence: number }> };
type FileData = { path: string; url: string; mime_type: string };

let server: Listening;
beforeAll(async () => {
  server = await listen([
    { prefix: '/', module: FASHION, workers: 1 },
    { prefix: '/image-effects', module: EFFECTS, workers: 1 },
  ]);
  await Promise.all([ready(server.app, '/'), ready(server.app, '/image-effects/')]);
});
afterAll(async () => server?.close());

describe('the Fashion-MNIST classifier through @gradio/client', () => {
  it('classifies the example pictures with handle_file, as on the Space', async () => {
    const client = await Client.connect(server.origin);
    try {
      const api = (await client.view_api()) as unknown as { named_endpoints: Record<string, { parameters: Array<{ parameter_name: string; component: string }> }> };
      expect(api.named_endpoints['/predict']!.parameters.map((p) => [p.parameter_name, p.component])).toEqual([['image', 'Image']]);
      for (const [file, expected] of [['sneaker.png', 'Sneaker'], ['trouser.png', 'Trouser'], ['bag.png', 'Bag']] as const) {
        const result = await client.predict('/predict', { image: handle_file(`${EXAMPLES}${file}`) });
        const [verdict] = result.data as [Verdict];
        expect(verdict.label, file).toBe(expected);
        expect(verdict.confidences).toHaveLength(3);
        expect(verdict.confidences[0]!.label).toBe(expected);
      }
      const positional = await client.predict('/predict', [handle_file(`${EXAMPLES}dress.png`)]);
      expect((positional.data as [Verdict])[0].label).toBe('Dress');
    } finally {
      client.close();
    }
  });
});

describe('the image-effects app through @gradio/client', () => {
  it('returns the result as a FileData whose url serves the processed PNG', async () => {
    const client = await Client.connect(`${server.origin}/image-effects/`);
    try {
      const picture = await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 200, g: 40, b: 10 } } }).png().toBuffer();
      const result = await client.predict('/predict', { image: handle_file(picture), effect: 'invert', strength: 1 });
      const [file] = result.data as [FileData];
      expect(file.mime_type).toBe('image/png');
      expect(file.url).toBe(`${server.origin}/image-effects/gradio_api/file=${file.path}`);
      const res = await fetch(file.url);
      expect(res.headers.get('content-type')).toBe('image/png');
      const { data, info } = await sharp(Buffer.from(await res.arrayBuffer())).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height]).toEqual([40, 30]);
      expect([data[0], data[1], data[2]]).toEqual([55, 215, 245]);
    } finally {
      client.close();
    }
  });

  it('runs the example that view_api shows, whose URL the server reads itself', async () => {
    const client = await Client.connect(`${server.origin}/image-effects/`);
    try {
      const api = (await client.view_api()) as unknown as { named_endpoints: Record<string, { parameters: Array<{ example_input: { url: string } }> }> };
      const example = api.named_endpoints['/predict']!.parameters[0]!.example_input;
      expect(example.url).toBe(`${server.origin}/image-effects/examples/0/landscape.jpg`);
      const result = await client.predict('/predict', { image: handle_file(example.url), effect: 'pixelate' });
      expect((result.data as [FileData])[0].mime_type).toBe('image/png');
    } finally {
      client.close();
    }
  });
});
