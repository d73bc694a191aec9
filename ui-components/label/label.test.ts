/** `<vt-label>` in Chromium: the top class, one bar per class sorted by confidence, top-K, empty state. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openComponentPage, type ComponentPage } from '../../tests/browser/component-page.ts';

let ui: ComponentPage;
beforeAll(async () => {
  ui = await openComponentPage();
});
afterAll(async () => {
  await ui?.close();
});

const VALUE = {
  label: 'Sneaker',
  confidences: [
    { label: 'Sandal', confidence: 0.02 },
    { label: 'Sneaker', confidence: 0.9712 },
    { label: 'Ankle boot', confidence: 0.0088 },
  ],
};

describe('vt-label', () => {
  it('says there is no result before a value arrives', async () => {
    await ui.mount('<vt-label name="label" label="Class"></vt-label>');
    await expect(ui.page.getByRole('status', { name: 'Class' }).textContent()).resolves.toContain('No result yet');
  });

  it('shows the top class and sorted bars with percentages, widths matching', async () => {
    await ui.mount('<vt-label name="label" label="Class"></vt-label>');
    await ui.page.$eval(
      'vt-label',
      async (el, v) => {
        el.value = v;
        await el.updateComplete;
      },
      VALUE,
    );
    await expect(ui.page.locator('vt-label .top').textContent()).resolves.toBe('Sneaker');
    const rows = await ui.page.locator('vt-label li').evaluateAll((lis) =>
      lis.map((li) => ({
        name: li.querySelector('.name')?.textContent,
        pct: li.querySelector('.pct')?.textContent,
        width: (li.querySelector('.fill') as HTMLElement).style.width,
      })),
    );
    expect(rows).toEqual([
      { name: 'Sneaker', pct: '97.1%', width: '97.12%' },
      { name: 'Sandal', pct: '2.0%', width: '2%' },
      { name: 'Ankle boot', pct: '0.9%', width: '0.88%' },
    ]);
    // Bars are decoration; the numbers are text.
    expect(await ui.page.locator('vt-label .track').first().getAttribute('aria-hidden')).toBe('true');
    expect(await ui.events()).toEqual([]);
  });

  it('keeps only the top K', async () => {
    await ui.mount('<vt-label name="label" label="Class" top-k="2"></vt-label>');
    await ui.page.$eval(
      'vt-label',
      async (el, v) => {
        el.value = v;
        await el.updateComplete;
      },
      VALUE,
    );
    await expect(ui.page.locator('vt-label li .name').allTextContents()).resolves.toEqual(['Sneaker', 'Sandal']);
    expect(ui.problems.all()).toEqual([]);
    expect(await ui.cspViolations()).toEqual([]);
  });
});
