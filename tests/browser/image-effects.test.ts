/**
 * End to end in Chromium against the real server running the image-effects app (Image + Dropdown +
 * Slider → Image): upload and run, an example, a corrupt file, keyboard only, no console errors or
 * CSP violations, and screenshots at 375 px and desktop in light and dark.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagFolderFor } from '../../framework/server/flagging.ts';
import type { PageProblems } from './chromium.ts';
import { openRealDemo, tabTo, unnamedControls, type RealDemo, type RunningApp } from './real-app.ts';

const APP = fileURLToPath(new URL('../../apps/image-effects/app.ts', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('../../apps/image-effects/examples/', import.meta.url));
const execFileAsync = promisify(execFile);

let demo: RealDemo;
let running: RunningApp;
let page: Page;
let problems: PageProblems;
let photo: Buffer;

beforeAll(async () => {
  photo = await sharp({
    create: { width: 96, height: 64, channels: 3, background: { r: 30, g: 120, b: 200 } },
  })
    .composite([{ input: { create: { width: 40, height: 30, channels: 3, background: { r: 240, g: 200, b: 40 } } }, left: 10, top: 10 }])
    .png()
    .toBuffer();
  demo = await openRealDemo([{ module: APP, workers: 0 }]);
  ({ running, page, problems } = demo);
});

afterAll(async () => {
  await demo?.close();
});

const openDemo = () => demo.open();

const resultSrc = () => page.locator('vt-interface vt-image[readonly] img').getAttribute('src');
const valueOf = (selector: string) => page.locator(selector).evaluate((el: HTMLElement & { value?: unknown }) => el.value);

async function upload(buffer: Buffer, name: string): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: /^Picture:/ }).click()]);
  await chooser.setFiles({ name, mimeType: 'image/png', buffer });
  await page.waitForFunction(() => document.querySelector('vt-interface')?.shadowRoot?.querySelector<HTMLElement & { value?: unknown }>('vt-image:not([readonly])')?.value != null);
}

describe('image effects, end to end', () => {
  it('builds the demo from the real /api/config with the declared defaults', async () => {
    await openDemo();
    await expect(page.title()).resolves.toBe('Image effects');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Image effects');
    await expect(page.getByRole('combobox', { name: 'Effect' }).inputValue()).resolves.toBe('sepia');
    await expect(page.getByRole('slider', { name: 'Strength' }).inputValue()).resolves.toBe('0.7');
    await expect(page.locator('vt-interface .example').count()).resolves.toBe(2);
  });

  it('uploads a picture, runs it and shows the returned PNG', async () => {
    await openDemo();
    await upload(photo, 'photo.png');
    await page.getByRole('combobox', { name: 'Effect' }).selectOption('pixelate');
    await page.getByRole('button', { name: 'Submit' }).click();
    await expect.poll(resultSrc, { timeout: 20_000 }).toMatch(/^data:image\/png;base64,/);
    const png = Buffer.from((await resultSrc())!.split(',')[1]!, 'base64');
    const meta = await sharp(png).metadata();
    expect(meta.format).toBe('png');
    expect(meta.width! / meta.height!).toBeCloseTo(96 / 64, 1);
    await expect(page.getByRole('link', { name: 'Download Result' }).count()).resolves.toBe(1);
  });

  it('flags a result: the record lands in the real flag store with its reason and request id', async () => {
    await openDemo();
    await page.getByRole('button', { name: /^Run example 1:/ }).click();
    await expect.poll(resultSrc, { timeout: 20_000 }).toMatch(/^data:image\/png;base64,/);
    await page.getByRole('textbox', { name: 'Why flag this result? (optional)' }).fill('too blocky');
    await page.getByRole('button', { name: 'Flag' }).click();
    await expect.poll(() => page.getByText('Flagged. Thank you.').count(), { timeout: 10_000 }).toBe(1);
    const index = await readFile(join(running.dir, 'flagged', flagFolderFor('/'), 'index.jsonl'), 'utf8');
    const records = index.trim().split('\n').map((line) => JSON.parse(line) as { reason: string; requestId: string | null; inputs: Record<string, unknown> });
    expect(records).toHaveLength(1);
    expect(records[0]?.reason).toBe('too blocky');
    expect(records[0]?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(records[0]?.inputs).toMatchObject({ effect: 'pixelate', strength: 0.5 });
  });

  it('runs an example from the gallery', async () => {
    await openDemo();
    await page.getByRole('button', { name: /^Run example 1:/ }).click();
    await expect.poll(resultSrc, { timeout: 20_000 }).toMatch(/^data:image\/png;base64,/);
    await expect(page.getByRole('combobox', { name: 'Effect' }).inputValue()).resolves.toBe('pixelate');
    expect(await valueOf('vt-interface vt-image:not([readonly])')).toMatch(/^data:image\/jpeg;base64,/);
  });

  it("shows the API's own message for a corrupt file", async () => {
    await openDemo();
    const corrupt = Buffer.concat([photo.subarray(0, 60), Buffer.alloc(40, 0)]);
    const expected = await running.app.inject({
      method: 'POST',
      url: '/api/predict',
      payload: { image: `data:image/png;base64,${corrupt.toString('base64')}`, effect: 'sepia', strength: 0.7 },
    });
    expect(expected.statusCode).toBe(400);
    const message = (expected.json() as { message: string }).message;
    await upload(corrupt, 'corrupt.png');
    await page.getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 20_000 }).toBe(message);
  });

  it('works with the keyboard alone', async () => {
    await openDemo();
    await page.locator('body').focus();
    expect(await tabTo(page, /^Picture:/)).toMatch(/^Picture: no image chosen/);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Enter')]);
    await chooser.setFiles({ name: 'photo.png', mimeType: 'image/png', buffer: photo });
    await page.waitForFunction(() => document.querySelector('vt-interface')?.shadowRoot?.querySelector<HTMLElement & { value?: unknown }>('vt-image:not([readonly])')?.value != null);
    // Choose an effect with the arrow keys, nudge the slider, then Submit with Enter.
    expect(await tabTo(page, /^(Choose…|blur|sepia|pixelate)/)).not.toBe('');
    await page.keyboard.press('ArrowDown');
    const effect = await page.getByRole('combobox', { name: 'Effect' }).inputValue();
    expect(effect).not.toBe('sepia');
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByRole('slider', { name: 'Strength' }).inputValue()).resolves.toBe('0.65');
    expect(await tabTo(page, /^Submit$/)).toBe('Submit');
    await page.keyboard.press('Enter');
    await expect.poll(resultSrc, { timeout: 20_000 }).toMatch(/^data:image\/png;base64,/);
  });

  it('labels every control for screen readers', async () => {
    await openDemo();
    await page.getByRole('button', { name: /^Run example 1:/ }).click();
    await expect.poll(resultSrc, { timeout: 20_000 }).toMatch(/^data:image\/png;base64,/);
    await page.getByText('Use via API').click();
    expect(await unnamedControls(page)).toEqual([]);
    // The check itself catches an unnamed control.
    await page.evaluate(() => document.body.append(Object.assign(document.createElement('button'), { id: 'unnamed' })));
    expect(await unnamedControls(page)).toEqual(['- button']);
  });

  it('gives a curl snippet that works as printed', async () => {
    await openDemo();
    await page.getByText('Use via API').click();
    const curl = (await page.locator('vt-interface .snippet pre').first().textContent()) ?? '';
    expect(curl).toMatch(/^curl -X POST/);
    // It names the first example's file; run it from the examples folder with the shell.
    const { stdout } = await execFileAsync('sh', ['-c', `${curl} -sS`], { cwd: EXAMPLES });
    const body = JSON.parse(stdout) as { result?: string };
    expect(body.result).toMatch(/^data:image\/png;base64,/);
  });

  it('writes screenshots at 375 px and desktop, light and dark', async () => {
    await demo.screenshots('image-effects', async () => {
      await page.getByRole('button', { name: /^Run example 2:/ }).click();
      await expect.poll(resultSrc, { timeout: 20_000 }).toMatch(/^data:image\/png;base64,/);
      await page.waitForFunction(() => {
        const imgs = [...(document.querySelector('vt-interface')?.shadowRoot?.querySelectorAll('vt-image') ?? [])].map((el) => el.shadowRoot?.querySelector('img'));
        return imgs.every((img) => img?.complete && img.naturalWidth > 0);
      });
    });
  });

  it('logged no console errors and no CSP violations', async () => {
    // Chromium notes the corrupt file's 400 answer itself; that line is the expected one.
    const unexpected = problems.all().filter((p) => !/Failed to load resource: the server responded with a status of 400/.test(p));
    expect(unexpected).toEqual([]);
  });
});
