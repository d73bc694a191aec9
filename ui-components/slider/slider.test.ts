/** `<vt-slider>` in Chromium: keyboard moves it within min/max by step, events carry numbers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openComponentPage, type ComponentPage } from '../../tests/browser/component-page.ts';

let ui: ComponentPage;
beforeAll(async () => {
  ui = await openComponentPage();
});
afterAll(async () => {
  await ui?.close();
});

describe('vt-slider', () => {
  it('moves by step with the keyboard and reports numbers', async () => {
    await ui.mount('<vt-slider name="s" label="Strength" min="0" max="1" step="0.25" value="0.5"></vt-slider>');
    const slider = ui.page.getByRole('slider', { name: 'Strength' });
    await slider.focus();
    await ui.page.keyboard.press('ArrowRight');
    expect(await ui.page.$eval('vt-slider', (el) => el.value)).toBe(0.75);
    await ui.page.keyboard.press('End');
    expect(await ui.page.$eval('vt-slider', (el) => el.value)).toBe(1);
    const changes = await ui.events('vt-change');
    expect(changes.map((e) => e.detail)).toEqual([
      { name: 's', value: 0.75 },
      { name: 's', value: 1 },
    ]);
    await expect(ui.page.locator('vt-slider output').textContent()).resolves.toBe('1');
  });

  it('shows a value set by code without firing', async () => {
    await ui.mount('<vt-slider name="s" label="Strength" min="0" max="10"></vt-slider>');
    await ui.page.$eval('vt-slider', async (el) => {
      el.value = 3;
      await el.updateComplete;
    });
    await expect(ui.page.getByRole('slider', { name: 'Strength' }).inputValue()).resolves.toBe('3');
    expect(await ui.events()).toEqual([]);
    expect(ui.problems.all()).toEqual([]);
  });
});
