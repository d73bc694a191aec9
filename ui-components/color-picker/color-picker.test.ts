/** `<vt-color-picker>` in Chromium: a picked colour is the value and fires vt-change; set by code, it fires nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openComponentPage, type ComponentPage } from '../../tests/browser/component-page.ts';

let ui: ComponentPage;
beforeAll(async () => {
  ui = await openComponentPage();
});
afterAll(async () => ui?.close());

describe('vt-color-picker', () => {
  it('takes a picked colour and shows its code', async () => {
    await ui.mount('<vt-color-picker name="tint" label="Tint"></vt-color-picker>');
    await ui.page.getByLabel('Tint').fill('#ff8800');
    await expect.poll(() => ui.page.$eval('vt-color-picker', (el) => el.value)).toBe('#ff8800');
    expect((await ui.events('vt-change')).map((e) => e.detail)).toEqual([{ name: 'tint', value: '#ff8800' }]);
    expect(await ui.page.locator('vt-color-picker code').textContent()).toBe('#ff8800');
  });

  it('shows a colour set by code without firing', async () => {
    await ui.mount('<vt-color-picker name="tint" label="Tint"></vt-color-picker>');
    await ui.page.$eval('vt-color-picker', async (el) => {
      el.value = '#00aa00';
      await el.updateComplete;
    });
    expect(await ui.page.getByLabel('Tint').inputValue()).toBe('#00aa00');
    expect(await ui.events()).toEqual([]);
  });
});
