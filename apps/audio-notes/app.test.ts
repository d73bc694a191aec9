/** The audio demo: a pure tone's note wins, a chord's three notes lead, the spectrogram has the tone's row; through the JSON API with its example files. */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from 'vitrine';
import { chroma, spectrogram, stft } from './spectrum.ts';

const APP = fileURLToPath(new URL('./app.ts', import.meta.url));
const RATE = 16000;
const tone = (hz: number) => Float32Array.from({ length: RATE }, (_, i) => Math.sin((2 * Math.PI * hz * i) / RATE));

describe('spectrum', () => {
  it('puts a pure tone’s energy in its note', () => {
    const notes = chroma(stft(tone(440)), RATE);
    expect(Object.entries(notes).sort((a, b) => b[1] - a[1])[0]![0]).toBe('A');
    // A 1024-point frame at 16 kHz has 15.6 Hz bins: some energy leaks into the neighbouring notes.
    expect(notes.A).toBeGreaterThan(0.5);
    expect(chroma(stft(tone(261.63)), RATE)["C"]).toBeGreaterThan(0.5);
  });

  it('draws the tone as the brightest row of the spectrogram, at its height', () => {
    const img = spectrogram(stft(tone(2000)), RATE, 128);
    const rowSums = Array.from({ length: img.height }, (_, y) => img.data.subarray(y * img.width, (y + 1) * img.width).reduce((a, b) => a + b, 0));
    const brightest = rowSums.indexOf(Math.max(...rowSums));
    // 2 kHz of 0–8 kHz is a quarter of the way up: row ≈ 127 − 32.
    expect(Math.abs(brightest - (127 - 32))).toBeLessThanOrEqual(2);
  });
});

describe('through the JSON API', () => {
  let app: Awaited<ReturnType<typeof buildApp>>;
  beforeAll(async () => {
    app = await buildApp({ apps: [{ module: APP }], logger: false, flagging: false });
  });
  afterAll(async () => app?.close());

  it('names the chord’s three notes from the example file', async () => {
    const wav = await readFile(new URL('./examples/c-major.wav', import.meta.url));
    const res = await app.inject({ method: 'POST', url: '/api/predict', payload: { sound: `data:audio/wav;base64,${wav.toString('base64')}` } });
    expect(res.statusCode, res.body).toBe(200);
    const { notes, spectrogram: picture } = res.json() as { notes: { confidences: Array<{ label: string }> }; spectrogram: string };
    expect(notes.confidences.map((c) => c.label).sort()).toEqual(['C', 'E', 'G']);
    expect(picture).toMatch(/^data:image\/png;base64,/);
  });

  it('refuses a picture sent as a sound with a 415', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/predict', payload: { sound: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptV' } });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ error: 'UNSUPPORTED_FILE', field: 'sound' });
  });
});
