/** `<vt-progress>` in Chromium: an accessible progress bar whose width, value and text follow its properties. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openComponentPage, type ComponentPage } from '../../tests/browser/component-page.ts';

let ui: ComponentPage;
beforeAll(async () => {
  ui = await openComponentPage();
});
afterAll(async () => {
  await ui?.close();
});

describe('vt-progress', () => {
  it('is a progressbar whose value and text say how far the job is', async () => {
    await ui.mount('<vt-progress value="0.25" description="Reading the picture"></vt-progress>');
    const bar = ui.page.getByRole('progressbar', { name: 'Progress' });
    await expect(bar.getAttribute('aria-valuenow')).resolves.toBe('25');
    await expect(bar.getAttribute('aria-valuetext')).resolves.toBe('Reading the picture, 25%');
    const widths = await ui.page.$eval('vt-progress', (el) => {
      const track = el.shadowRoot!.querySelector('[part="track"]')!.getBoundingClientRect().width;
      const fill = el.shadowRoot!.querySelector('[part="indicator"]')!.getBoundingClientRect().width;
      return { track, fill };
    });
    expect(widths.fill / widths.track).toBeCloseTo(0.25, 2);
  });

  it('follows a value set by code, clamped to 0–100 %, without firing events', async () => {
    await ui.mount('<vt-progress></vt-progress>');
    await ui.page.$eval('vt-progress', async (el) => {
      el.value = 3;
      el.description = '';
      await el.updateComplete;
    });
    const bar = ui.page.getByRole('progressbar', { name: 'Progress' });
    await expect(bar.getAttribute('aria-valuenow')).resolves.toBe('100');
    await expect(bar.getAttribute('aria-valuetext')).resolves.toBe('100%');
    expect(await ui.events()).toEqual([]);
    expect(ui.problems.all()).toEqual([]);
    expect(await ui.cspViolations()).toEqual([]);
  });
});
