/**
 * Every kind this round added, through every door: the JSON API (values and clear 4xx errors),
 * multipart, @gradio/client, flagging, OpenAPI and the page in Chromium (tests/fixtures/kinds-app.ts).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, handle_file } from '@gradio/client';
import decode from 'audio-decode';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav } from '../../framework/media/wav.ts';
import { openRealDemo, type RealDemo } from '../browser/real-app.ts';
import { multipartBody } from '../http/helpers.ts';

const APP = fileURLToPath(new URL('../fixtures/kinds-app.ts', import.meta.url));
const RATE = 8000;
const tone = new Float32Array(RATE / 4).map((_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / RATE));
const wav = encodeWav([tone], RATE);
// An MP4's first box (ftyp, isom): the container check needs nothing more.
const mp4 = new Uint8Array([0, 0, 0, 20, 102, 116, 121, 112, 105, 115, 111, 109, 0, 0, 2, 0, 105, 115, 111, 109, 0, 0, 0, 8, 102, 114, 101, 101]);
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
let png: Buffer;
let demo: RealDemo;
let origin: string;

function inputs(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    size: 'L',
    toppings: ['cheese', 'basil'],
    sound: `data:audio/wav;base64,${b64(wav)}`,
    table: { headers: ['item', 'price'], data: [['tee', 12], ['cap', 8.5]] },
    files: [{ name: 'a.txt', data: `data:text/plain;base64,${b64(new TextEncoder().encode('hello'))}` }],
    clip: `data:video/mp4;base64,${b64(mp4)}`,
    picture: `data:image/png;base64,${png.toString('base64')}`,
    chat: [{ role: 'user', content: 'Hi' }],
    ...overrides,
  };
}

async function predict(body: unknown) {
  const res = await fetch(`${origin}/api/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

beforeAll(async () => {
  png = await sharp({ create: { width: 6, height: 4, channels: 3, background: '#336699' } }).png().toBuffer();
  demo = await openRealDemo([{ module: APP, workers: 1 }], { waitForHealthy: true });
  origin = demo.running.origin;
});
afterAll(async () => demo?.close());

describe('the JSON API', () => {
  it('takes every kind and answers every kind', async () => {
    const { status, body } = await predict(inputs());
    expect(status).toBe(200);
    expect(body.size).toBe('You chose **L**');
    expect(body.toppings).toEqual([
      { token: 'cheese', class_or_confidence: 'TOPPING' },
      { token: ' basil', class_or_confidence: 'TOPPING' },
    ]);
    expect(body.sound).toMatch(/^data:audio\/wav;base64,/);
    const back = await decode(Buffer.from(body.sound.split(',')[1], 'base64'));
    expect(back.sampleRate).toBe(RATE);
    expect(back.channelData[0]!.length).toBe(tone.length);
    expect(Math.abs(back.channelData[0]![100]! - tone[100]!)).toBeLessThan(1e-3);
    expect(body.seconds).toContain('0.25 s</b> at 8000 Hz');
    expect(body.table).toEqual({ headers: ['item', 'price'], data: [['tee', 12], ['cap', 8.5], ['total', 20.5]] });
    expect(body.files).toEqual([{ name: 'echo-a.txt', data: `data:text/plain;base64,${b64(new TextEncoder().encode('hello'))}` }]);
    expect(body.clip).toBe(`data:video/mp4;base64,${b64(mp4)}`);
    expect(body.gallery.map((g: { caption: string | null }) => g.caption)).toEqual(['as sent', null]);
    expect(body.gallery[0].image).toMatch(/^data:image\/png;base64,/);
    expect(body.found.annotations).toEqual([{ label: 'whole', box: [0, 0, 6, 4] }]);
    expect(body.chat).toEqual([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'You said: Hi' },
    ]);
  });

  it.each([
    ['size', { size: 'XL' }, 400, 'INVALID_INPUT'],
    ['toppings', { toppings: ['cheese', 'cheese'] }, 400, 'INVALID_INPUT'],
    ['sound', { sound: `data:audio/wav;base64,${b64(new TextEncoder().encode('not a sound at all'))}` }, 415, 'UNSUPPORTED_FILE'],
    ['sound', { sound: `data:text/plain;base64,${b64(wav)}` }, 400, 'INVALID_FILE'],
    ['table', { table: { headers: ['item', 'price'], data: [['tee', 'cheap']] } }, 400, 'INVALID_INPUT'],
    ['table', { table: { headers: ['name'], data: [] } }, 400, 'INVALID_INPUT'],
    ['files', { files: [{ name: 'run.exe', data: b64(new Uint8Array([1, 2, 3])) }] }, 415, 'UNSUPPORTED_FILE'],
    ['files', { files: [{ name: 'big.txt', data: b64(new Uint8Array(4096)) }] }, 413, 'FILE_TOO_LARGE'],
    ['files', { files: [] }, 400, 'INVALID_INPUT'],
    ['clip', { clip: `data:video/mp4;base64,${b64(new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82]))}` }, 415, 'UNSUPPORTED_FILE'],
    ['picture', { picture: 'bm90IGFuIGltYWdl' }, 400, 'INVALID_IMAGE'],
    ['chat', { chat: [{ role: 'robot', content: 'x' }] }, 400, 'INVALID_INPUT'],
  ])('refuses a bad %s with a clear %i', async (field, override, status, code) => {
    const res = await predict(inputs(override));
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ error: code, field });
    expect(res.body.message).toContain(`"${field}"`);
  });

  it('refuses a sound longer than maxDuration after decoding it, with a 413', async () => {
    const long = encodeWav([new Float32Array(RATE * 11)], RATE);
    const res = await predict(inputs({ sound: b64(long) }));
    expect(res.status).toBe(413);
    expect(res.body.message).toMatch(/lasts 11\.0 s; the limit is 10 s/);
  });

  it('takes multipart: sound and files as file parts (several for a list), the table as CSV', async () => {
    const { payload, headers } = await multipartBody({
      size: 'S',
      toppings: 'olives,basil',
      sound: { file: Buffer.from(wav), name: 'tone.wav', type: 'audio/wav' },
      table: 'item,price\nsocks,3\nhat,4.5\n',
      files: [
        { file: Buffer.from('one'), name: 'one.txt', type: 'text/plain' },
        { file: Buffer.from('a,b'), name: 'two.csv', type: 'text/csv' },
      ],
      clip: { file: Buffer.from(mp4), name: 'clip.mp4', type: 'video/mp4' },
      picture: { file: png, name: 'p.png', type: 'image/png' },
      chat: JSON.stringify([{ role: 'user', content: 'multipart' }]),
    });
    const res = await fetch(`${origin}/api/predict`, { method: 'POST', headers, body: new Uint8Array(payload) });
    const body = (await res.json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.size).toBe('You chose **S**');
    expect(body.table.data.at(-1)).toEqual(['total', 7.5]);
    expect(body.files.map((f: { name: string }) => f.name)).toEqual(['echo-one.txt', 'echo-two.csv']);
    expect(body.files[1].data).toMatch(/^data:text\/csv;base64,/);
    expect(body.chat.at(-1).content).toBe('You said: multipart');
  });
});

describe('@gradio/client', () => {
  it('describes each kind by its Gradio name and round-trips files as FileData', async () => {
    const client = await Client.connect(origin);
    try {
      const api = (await client.view_api()) as unknown as { named_endpoints: Record<string, { parameters: Array<{ component: string }>; returns: Array<{ component: string }> }> };
      const endpoint = api.named_endpoints['/predict']!;
      expect(endpoint.parameters.map((p) => p.component)).toEqual(['Radio', 'CheckboxGroup', 'Audio', 'Dataframe', 'File', 'Video', 'Image', 'Chatbot']);
      expect(endpoint.returns.map((p) => p.component)).toEqual(['Markdown', 'HighlightedText', 'Audio', 'HTML', 'Dataframe', 'File', 'Video', 'Gallery', 'AnnotatedImage', 'Chatbot']);
      const result = await client.predict('/predict', {
        size: 'M',
        toppings: ['olives'],
        sound: handle_file(new Blob([wav as Uint8Array<ArrayBuffer>], { type: 'audio/wav' })),
        table: { headers: ['item', 'price'], data: [['tee', 2]], metadata: null },
        files: [handle_file(new File([new TextEncoder().encode('from gradio')], 'note.txt', { type: 'text/plain' }))],
        clip: handle_file(new Blob([mp4], { type: 'video/mp4' })),
        picture: handle_file(new Blob([new Uint8Array(png)], { type: 'image/png' })),
        chat: [{ role: 'user', content: 'from gradio', metadata: null, options: null }],
      });
      const [size, toppings, sound, , table, files, clip, gallery, found, chat] = result.data as any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(size).toBe('You chose **M**');
      expect(toppings).toEqual([{ token: 'olives', class_or_confidence: 'TOPPING' }]);
      expect(sound.mime_type).toBe('audio/wav');
      const played = await fetch(sound.url);
      expect(played.headers.get('content-type')).toBe('audio/wav');
      expect((await decode(new Uint8Array(await played.arrayBuffer()))).sampleRate).toBe(RATE);
      expect(table.data.at(-1)).toEqual(['total', 2]);
      expect(files).toHaveLength(1);
      expect(await (await fetch(files[0].url)).text()).toBe('from gradio');
      expect(clip.mime_type).toBe('video/mp4');
      expect(new Uint8Array(await (await fetch(clip.url)).arrayBuffer())).toEqual(mp4);
      expect(gallery).toHaveLength(2);
      expect(gallery[0].image.mime_type).toBe('image/png');
      expect(gallery[0].caption).toBe('as sent');
      expect(found.image.url).toMatch(/gradio_api\/file=/);
      expect(found.annotations[0]).toMatchObject({ label: 'whole', box: [0, 0, 6, 4] });
      expect(chat.at(-1)).toEqual({ role: 'assistant', content: 'You said: from gradio' });
    } finally {
      client.close();
    }
  });
});

describe('flagging and OpenAPI', () => {
  it('stores each file of a flag as a file (sound, every file of a list, gallery pictures) and the rest as JSON', async () => {
    const { body } = await predict(inputs());
    const res = await fetch(`${origin}/api/flag`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputs: inputs(), outputs: { gallery: body.gallery, table: body.table } }) });
    expect(res.status).toBe(200);
    const index = await readFile(join(demo.running.dir, 'flagged', 'root', 'index.jsonl'), 'utf8');
    const record = JSON.parse(index.trim().split('\n').pop()!);
    expect(record.files.map((f: { field: string; type: string }) => `${f.field} ${f.type}`).sort()).toEqual(
      ['clip video/mp4', 'files text/plain', 'gallery image/png', 'gallery image/png', 'picture image/png', 'sound audio/wav'].sort(),
    );
    expect(record.inputs.sound).toMatch(/^files\/.+\.input\.sound\.wav$/);
    expect(record.inputs.files[0]).toMatch(/\.input\.files\.txt$/);
    expect(record.outputs.gallery[1].image).toMatch(/\.output\.gallery-1\.png$/);
    expect(record.inputs.table).toEqual(inputs().table);
    const stored = await readFile(join(demo.running.dir, 'flagged', 'root', record.inputs.sound));
    expect(new Uint8Array(stored)).toEqual(wav);
  });

  it('describes every kind in OpenAPI', async () => {
    const spec = JSON.stringify(await (await fetch(`${origin}/openapi.json`)).json());
    for (const text of ['A sound: base64', 'A table: column names', 'Up to 10 files', 'A video: base64', 'A conversation', 'Pictures, each', 'Spans of text', 'Markdown text', 'HTML markup']) {
      expect(spec, text).toContain(text);
    }
  });
});

describe('the page in Chromium', () => {
  it('loads each kind’s own element and shows every output, the HTML sanitised', async () => {
    await demo.open();
    const page = demo.page;
    const tags = await page.evaluate(() => [...(document.querySelector('vt-interface')!.shadowRoot!.querySelectorAll('[part="input"], [part="output"]'))].map((e) => e.localName));
    expect(tags).toEqual([
      'vt-radio', 'vt-checkbox-group', 'vt-audio', 'vt-dataframe', 'vt-file', 'vt-video', 'vt-image', 'vt-chatbot',
      'vt-markdown', 'vt-highlighted-text', 'vt-audio', 'vt-html', 'vt-dataframe', 'vt-file', 'vt-video', 'vt-gallery', 'vt-annotated-image', 'vt-chatbot',
    ]);
    // Keyboard: the radio group moves with the arrows, a checkbox ticks with Space.
    await page.getByRole('radio', { name: 'M' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByRole('radio', { name: 'L' }).isChecked()).toBe(true);
    await page.getByRole('checkbox', { name: 'olives' }).focus();
    await page.keyboard.press('Space');
    // Files the browser test cannot pick through a dialog are set as the page would after a pick.
    const values = inputs();
    await page.evaluate((v) => {
      const root = document.querySelector('vt-interface')!.shadowRoot!;
      for (const name of ['sound', 'files', 'clip', 'picture', 'chat']) {
        (root.querySelector(`[part="input"][name="${name}"]`) as HTMLElement & { value: unknown }).value = v[name];
      }
    }, values);
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByText('You said: Hi').waitFor();
    await expect.poll(() => page.getByRole('region', { name: 'Size' }).locator('strong').textContent()).toBe('L');
    expect(await page.locator('vt-highlighted-text mark').allTextContents()).toEqual(['cheeseTOPPING', ' olivesTOPPING']);
    expect(await page.locator('vt-audio[part="output"] audio').getAttribute('src')).toMatch(/^blob:/);
    expect(await page.locator('vt-dataframe[part="output"] tbody tr').last().textContent()).toContain('total');
    expect(await page.locator('vt-gallery img').count()).toBe(2);
    expect(await page.locator('vt-annotated-image .box').count()).toBe(1);
    expect(await page.locator('vt-file[part="output"] a').first().getAttribute('download')).toBe('echo-a.txt');
    // The HTML output: its text shown; its script and handler removed before they reach the page.
    const htmlOut = page.locator('vt-html .content');
    await expect.poll(() => htmlOut.textContent()).toContain('0.25 s');
    expect(await htmlOut.locator('script').count()).toBe(0);
    expect(await htmlOut.locator('img').getAttribute('onerror')).toBeNull();
    expect(await page.evaluate(() => (window as unknown as { pwned?: boolean }).pwned)).toBeUndefined();
    // The one expected console line: the sanitised HTML keeps <img src="x">, which the server answers 404.
    expect(demo.problems.all().filter((p) => !/Failed to load resource: .*\/x\)$/.test(p))).toEqual([]);
  });
});
