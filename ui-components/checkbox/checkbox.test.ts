/** `<vt-checkbox>` in Chromium: Space toggles it, read-only does not flip, code sets are silent. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openComponentPage, type ComponentPage } from '../../tests/browser/component-page.ts';

let ui: ComponentPage;
beforeAll(async () => {
  ui = await openComponentPage();
});
afterAll(async () => {
  await ui?.close();
});

describe('vt-checkbox', () => {
  it('toggles with Space and fires vt-change with a boolean', async () => {
    await ui.mount('<vt-checkbox name="flip" label="Flip horizontally"></vt-checkbox>');
    const box = ui.page.getByRole('checkbox', { name: 'Flip horizontally' });
    await box.focus();
    await ui.page.keyboard.press('Space');
    expect(await ui.page.$eval('vt-checkbox', (el) => el.value)).toBe(true);
    expect((await ui.events('vt-change')).map((e) => e.detail)).toEqual([{ name: 'flip', value: true }]);
  });

  it('does not flip when read-only', async () => {
    await ui.mount('<vt-checkbox name="ok" label="OK" readonly></vt-checkbox>');
    await ui.page.getByRole('checkbox', { name: 'OK' }).click();
    expect(await ui.page.$eval('vt-checkbox', (el) => el.value)).toBe(false);
    await expect(ui.page.getByRole('checkbox', { name: 'OK' }).isChecked()).resolves.toBe(false);
    expect(await ui.events('vt-change')).toEqual([]);
  });

  it('shows a value set by code without firing', async () => {
    await ui.mount('<vt-checkbox name="ok" label="OK"></vt-checkbox>');
    await ui.page.$eval('vt-checkbox', async (el) => {
      el.value = true;
      await el.updateComplete;
    });
    await expect(ui.page.getByRole('checkbox', { name: 'OK' }).isChecked()).resolves.toBe(true);
    expect(await ui.events()).toEqual([]);
    expect(ui.problems.all()).toEqual([]);
  });
});
