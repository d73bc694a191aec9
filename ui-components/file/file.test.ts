/** `<vt-file>` and `<vt-audio>` in Chromium: picked files become `{ name, data }` values, the type filter and size cap refuse with a message, sounds play from blob: URLs. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav } from '../../framework/media/wav.ts';
import { openComponentPage, type ComponentPage } from '../../tests/browser/component-page.ts';

let ui: ComponentPage;
beforeAll(async () => {
  ui = await openComponentPage();
});
afterAll(async () => ui?.close());

describe('vt-file', () => {
  it('takes several picked files as a list and fires vt-change once', async () => {
    await ui.mount('<vt-file name="docs" label="Documents"></vt-file>');
    await ui.page.$eval('vt-file', async (el) => {
      el.fileCount = 'multiple';
      el.fileTypes = ['.txt'];
      await el.updateComplete;
    });
    await ui.page.getByLabel('Documents').setInputFiles([
      { name: 'a.txt', mimeType: 'text/plain', buffer: Buffer.from('one') },
      { name: 'b.txt', mimeType: 'text/plain', buffer: Buffer.from('two') },
    ]);
    await expect.poll(() => ui.page.$eval('vt-file', (el) => (Array.isArray(el.value) ? el.value.map((f) => f.name) : null))).toEqual(['a.txt', 'b.txt']);
    expect(await ui.page.$eval('vt-file', (el) => (el.value as Array<{ data: string }>)[0]!.data)).toBe(`data:text/plain;base64,${Buffer.from('one').toString('base64')}`);
    expect((await ui.events('vt-change')).length).toBe(1);
    await ui.page.getByRole('button', { name: 'Remove a.txt' }).click();
    expect(await ui.page.$eval('vt-file', (el) => (el.value as Array<{ name: string }>).map((f) => f.name))).toEqual(['b.txt']);
  });

  it('refuses a file of another type or over the size cap, saying why', async () => {
    await ui.mount('<vt-file name="doc" label="Document"></vt-file>');
    await ui.page.$eval('vt-file', async (el) => {
      el.fileTypes = ['.pdf'];
      el.maxBytes = 10;
      await el.updateComplete;
    });
    await ui.page.getByLabel('Document').setInputFiles({ name: 'x.txt', mimeType: 'text/plain', buffer: Buffer.from('hi') });
    await expect.poll(() => ui.page.getByRole('alert').textContent()).toBe('x.txt is not one of .pdf.');
    await ui.page.getByLabel('Document').setInputFiles({ name: 'big.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(20) });
    await expect.poll(() => ui.page.getByRole('alert').textContent()).toMatch(/big\.pdf is 20 bytes; the limit is 10 bytes/);
    expect(await ui.page.$eval('vt-file', (el) => el.value)).toBeNull();
  });
});

describe('vt-audio', () => {
  it('takes an uploaded sound and plays it from a blob: URL (the CSP allows no data: media)', async () => {
    await ui.mount('<vt-audio name="sound" label="Sound"></vt-audio>');
    const wav = Buffer.from(encodeWav([new Float32Array(800).fill(0.1)], 8000));
    await ui.page.getByLabel('Upload a sound').setInputFiles({ name: 'a.wav', mimeType: 'audio/wav', buffer: wav });
    await expect.poll(() => ui.page.$eval('vt-audio', (el) => el.value?.slice(0, 22))).toBe('data:audio/wav;base64,');
    expect(await ui.page.locator('vt-audio audio').getAttribute('src')).toMatch(/^blob:/);
    await expect.poll(() => ui.page.locator('vt-audio audio').evaluate((a: HTMLAudioElement) => a.duration)).toBeCloseTo(0.1, 2);
    expect(await ui.page.getByRole('button', { name: 'Record from microphone' }).count()).toBe(1);
    expect(await ui.cspViolations()).toEqual([]);
  });
});

describe('vt-audio recording', () => {
  let mic: ComponentPage;
  beforeAll(async () => {
    // Chromium's fake microphone (a beep), granted without a prompt.
    mic = await openComponentPage({ extraArgs: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] });
  });
  afterAll(async () => mic?.close());

  it('records from the microphone and sends the recording as WAV', async () => {
    await mic.mount('<vt-audio name="voice" label="Voice"></vt-audio>');
    const button = mic.page.getByRole('button', { name: 'Record from microphone' });
    await button.click();
    await expect.poll(() => mic.page.getByRole('button', { name: 'Stop recording' }).getAttribute('aria-pressed')).toBe('true');
    await mic.page.waitForTimeout(700);
    await mic.page.getByRole('button', { name: 'Stop recording' }).click();
    await expect.poll(() => mic.page.$eval('vt-audio', (el) => el.value?.slice(0, 22)), { timeout: 10_000 }).toBe('data:audio/wav;base64,');
    const bytes = Buffer.from((await mic.page.$eval('vt-audio', (el) => el.value!)).split(',')[1]!, 'base64');
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('RIFF');
    // About 0.7 s of 16-bit sound at the recorder's rate: well over a few kilobytes.
    expect(bytes.length).toBeGreaterThan(10_000);
    expect((await mic.events('vt-change')).length).toBe(1);
  });
});
