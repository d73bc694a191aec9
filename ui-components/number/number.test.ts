/** `<vt-number>` in Chromium: typed numbers, empty → null, range hints, silence on programmatic sets. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openComponentPage, type ComponentPage } from '../../tests/browser/component-page.ts';

let ui: ComponentPage;
beforeAll(async () => {
  ui = await openComponentPage();
});
afterAll(async () => {
  await ui?.close();
});

describe('vt-number', () => {
  it('reads typed numbers and empties as null, firing vt-change on commit', async () => {
    await ui.mount('<vt-number name="n" label="Count" min="0" max="10" step="0.5"></vt-number>');
    const box = ui.page.getByRole('spinbutton', { name: 'Count' });
    await box.fill('2.5');
    await box.press('Enter');
    await box.blur();
    expect(await ui.page.$eval('vt-number', (el) => el.value)).toBe(2.5);
    expect((await ui.events('vt-change')).at(-1)?.detail).toEqual({ name: 'n', value: 2.5 });
    await box.fill('');
    await box.blur();
    expect(await ui.page.$eval('vt-number', (el) => el.value)).toBeNull();
  });

  it('steps with the arrow keys within min and max', async () => {
    await ui.mount('<vt-number name="n" label="Count" min="0" max="2" step="1" value="1"></vt-number>');
    const box = ui.page.getByRole('spinbutton', { name: 'Count' });
    await box.press('ArrowUp');
    await box.press('ArrowUp');
    expect(await ui.page.$eval('vt-number', (el) => el.value)).toBe(2);
    expect((await ui.events('vt-input')).length).toBeGreaterThan(0);
  });

  it('reports an out-of-range number as invalid', async () => {
    await ui.mount('<vt-number name="n" label="Count" max="5"></vt-number>');
    const box = ui.page.getByRole('spinbutton', { name: 'Count' });
    await box.fill('9');
    expect(await ui.page.$eval('vt-number', (el) => el.reportValidity())).toBe(false);
    await expect(box.getAttribute('aria-invalid')).resolves.toBe('true');
  });

  it('fires nothing when .value is set by code', async () => {
    await ui.mount('<vt-number name="n" label="Count"></vt-number>');
    await ui.page.$eval('vt-number', async (el) => {
      el.value = 7;
      await el.updateComplete;
    });
    await expect(ui.page.getByRole('spinbutton', { name: 'Count' }).inputValue()).resolves.toBe('7');
    expect(await ui.events()).toEqual([]);
    expect(ui.problems.all()).toEqual([]);
  });
});
