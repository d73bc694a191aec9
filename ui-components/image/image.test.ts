/** `<vt-image>` in Chromium: file picker by keyboard, drag and drop, paste, webcam (fake device), clear, output mode. */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_MEDIA_ARGS } from '../../tests/browser/chromium.ts';
import { openComponentPage, type ComponentPage } from '../../tests/browser/component-page.ts';

let ui: ComponentPage;
let png: Buffer;
let bigPng: Buffer;
beforeAll(async () => {
  png = await sharp({ create: { width: 28, height: 28, channels: 3, background: { r: 200, g: 40, b: 40 } } }).png().toBuffer();
  bigPng = await sharp({ create: { width: 300, height: 200, channels: 3, background: { r: 40, g: 90, b: 200 } } }).png().toBuffer();
  ui = await openComponentPage({ extraArgs: FAKE_MEDIA_ARGS });
});
afterAll(async () => {
  await ui?.close();
});

const dataUrl = (bytes: Buffer, type = 'image/png') => `data:${type};base64,${bytes.toString('base64')}`;

describe('vt-image (input)', () => {
  it('opens the file picker from the keyboard and keeps the file bytes untouched', async () => {
    await ui.mount('<vt-image name="image" label="Image" width="28" height="28" mode="L"></vt-image>');
    const zone = ui.page.getByRole('button', { name: /^Image: no image chosen/ });
    await zone.focus();
    const [chooser] = await Promise.all([ui.page.waitForEvent('filechooser'), ui.page.keyboard.press('Enter')]);
    await chooser.setFiles({ name: 'shirt.png', mimeType: 'image/png', buffer: png });
    await ui.page.waitForFunction(() => document.querySelector('vt-image')?.value !== null);
    expect(await ui.page.$eval('vt-image', (el) => el.value)).toBe(dataUrl(png));
    const changes = await ui.events('vt-change');
    expect(changes).toEqual([{ type: 'vt-change', target: 'vt-image', bubbles: true, composed: true, detail: { name: 'image', value: dataUrl(png) } }]);
    // The small image is previewed scaled up without smoothing, and the zone says an image is chosen.
    await expect.poll(() => ui.page.locator('vt-image img.pixelated').count()).toBe(1);
    await expect(ui.page.getByRole('button', { name: /^Image: an image is chosen/ }).count()).resolves.toBe(1);
    await expect(ui.page.locator('vt-image .prompt .sub').allTextContents()).resolves.toEqual([]);
  });

  it("says what the server does to a picture before the app gets it, not what a model sees", async () => {
    await ui.mount('<vt-image name="a" label="A" width="112" height="112" fit="inside"></vt-image><vt-image name="b" label="B" width="28" height="28" mode="L"></vt-image>');
    const hints = (await ui.page.locator('vt-image .prompt .sub').allTextContents()).filter((t) => t.startsWith('The app'));
    expect(hints).toEqual([
      'The app gets it scaled down to fit 112×112.',
      'The app gets it resized to 28×28, in grayscale.',
    ]);
  });

  it('takes a dropped image file', async () => {
    await ui.mount('<vt-image name="image" label="Image"></vt-image>');
    await ui.page.$eval(
      'vt-image',
      (el, b64) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const dt = new DataTransfer();
        dt.items.add(new File(['not an image'], 'notes.txt', { type: 'text/plain' }));
        dt.items.add(new File([bytes], 'photo.png', { type: 'image/png' }));
        const frame = el.shadowRoot?.querySelector('.frame');
        frame?.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
        frame?.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      },
      bigPng.toString('base64'),
    );
    await ui.page.waitForFunction(() => document.querySelector('vt-image')?.value !== null);
    expect(await ui.page.$eval('vt-image', (el) => el.value)).toBe(dataUrl(bigPng));
    // A photo-sized image keeps smooth scaling.
    await ui.page.waitForFunction(() => document.querySelector('vt-image')?.shadowRoot?.querySelector('img')?.naturalWidth === 300);
    expect(await ui.page.locator('vt-image img').getAttribute('class')).toBe('');
    expect((await ui.events('vt-change')).length).toBe(1);
  });

  it('takes an image pasted while the drop zone has focus', async () => {
    await ui.mount('<vt-image name="image" label="Image"></vt-image>');
    await ui.page.getByRole('button', { name: /^Image: no image chosen/ }).focus();
    await ui.page.evaluate((b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], 'clip.png', { type: 'image/png' }));
      const active = document.querySelector('vt-image')?.shadowRoot?.activeElement;
      active?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true, composed: true }));
    }, png.toString('base64'));
    await ui.page.waitForFunction(() => document.querySelector('vt-image')?.value !== null);
    expect(await ui.page.$eval('vt-image', (el) => el.value)).toBe(dataUrl(png));
  });

  it('captures a photo from the (fake) webcam', async () => {
    await ui.mount('<vt-image name="image" label="Image"></vt-image>');
    await ui.page.getByRole('button', { name: 'Webcam photo for Image' }).click();
    const capture = ui.page.getByRole('button', { name: 'Capture a photo for Image' });
    await expect.poll(() => capture.isEnabled()).toBe(true);
    await ui.page.waitForFunction(() => (document.querySelector('vt-image')?.shadowRoot?.querySelector('video')?.videoWidth ?? 0) > 0);
    await capture.click();
    await ui.page.waitForFunction(() => document.querySelector('vt-image')?.value !== null);
    expect(await ui.page.$eval('vt-image', (el) => el.value)).toMatch(/^data:image\/png;base64,/);
    // The camera is released after the capture.
    await expect.poll(() => ui.page.locator('vt-image video').count()).toBe(0);
    expect((await ui.events('vt-change')).length).toBe(1);
  });

  it('clears from the keyboard, firing vt-change with null, and focus returns to the drop zone', async () => {
    await ui.mount('<vt-image name="image" label="Image"></vt-image>');
    await ui.page.$eval(
      'vt-image',
      async (el, v) => {
        el.value = v;
        await el.updateComplete;
      },
      dataUrl(png),
    );
    expect(await ui.events()).toEqual([]);
    await ui.page.getByRole('button', { name: 'Remove the image from Image' }).press('Enter');
    expect(await ui.page.$eval('vt-image', (el) => el.value)).toBeNull();
    expect((await ui.events('vt-change')).map((e) => e.detail)).toEqual([{ name: 'image', value: null }]);
    await ui.page.waitForFunction(() => document.querySelector('vt-image')?.shadowRoot?.activeElement?.id === 'control');
  });

  it('keeps a file it cannot preview (the server judges it) and says so', async () => {
    await ui.mount('<vt-image name="image" label="Image"></vt-image>');
    const [chooser] = await Promise.all([ui.page.waitForEvent('filechooser'), ui.page.getByRole('button', { name: /^Image:/ }).click()]);
    await chooser.setFiles({ name: 'broken.png', mimeType: 'image/png', buffer: png.subarray(0, 40) });
    await expect.poll(() => ui.page.locator('vt-image .broken').count()).toBe(1);
    expect(await ui.page.$eval('vt-image', (el) => el.value)).toBe(dataUrl(png.subarray(0, 40)));
  });

  it('offers only the sources it is given', async () => {
    await ui.mount(`<vt-image name="image" label="Image" sources='["upload"]'></vt-image>`);
    await expect(ui.page.getByRole('button', { name: /Webcam|Paste/ }).count()).resolves.toBe(0);
    await expect(ui.page.getByRole('button', { name: /^Image: no image chosen\. Press Enter to choose a file\.$/ }).count()).resolves.toBe(1);
  });
});

describe('vt-image (output)', () => {
  it('shows the returned data URL with a download link and no pickers', async () => {
    await ui.mount('<vt-image name="result" label="Result" readonly></vt-image>');
    await expect(ui.page.locator('vt-image .empty').textContent()).resolves.toBe('No image yet');
    await ui.page.$eval(
      'vt-image',
      async (el, v) => {
        el.value = v;
        await el.updateComplete;
      },
      dataUrl(bigPng),
    );
    await expect(ui.page.getByRole('img', { name: 'Result' }).getAttribute('src')).resolves.toBe(dataUrl(bigPng));
    await expect(ui.page.getByRole('link', { name: 'Download Result' }).getAttribute('download')).resolves.toBe('result.png');
    await expect.poll(() => ui.page.locator('vt-image input[type=file]').count()).toBe(0);
    expect(await ui.events()).toEqual([]);
    expect(ui.problems.all()).toEqual([]);
    expect(await ui.cspViolations()).toEqual([]);
  });
});
