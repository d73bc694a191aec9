/** `<vt-dropdown>` in Chromium: picking a choice, code-set values, unknown values shown as unset. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openComponentPage, type ComponentPage } from '../../tests/browser/component-page.ts';

let ui: ComponentPage;
beforeAll(async () => {
  ui = await openComponentPage();
});
afterAll(async () => {
  await ui?.close();
});

describe('vt-dropdown', () => {
  it('starts unset and takes the user pick', async () => {
    await ui.mount(`<vt-dropdown name="effect" label="Effect" choices='["blur","sepia","invert"]'></vt-dropdown>`);
    const select = ui.page.getByRole('combobox', { name: 'Effect' });
    expect(await ui.page.$eval('vt-dropdown', (el) => el.value)).toBeNull();
    await select.selectOption('sepia');
    expect(await ui.page.$eval('vt-dropdown', (el) => el.value)).toBe('sepia');
    expect((await ui.events('vt-change')).map((e) => e.detail)).toEqual([{ name: 'effect', value: 'sepia' }]);
  });

  it('shows a value set by code, silently, even right after the choices arrive', async () => {
    await ui.mount('<vt-dropdown name="effect" label="Effect"></vt-dropdown>');
    await ui.page.$eval('vt-dropdown', async (el) => {
      el.choices = ['a', 'b', 'c'];
      el.value = 'c';
      await el.updateComplete;
    });
    await expect(ui.page.getByRole('combobox', { name: 'Effect' }).inputValue()).resolves.toBe('c');
    expect(await ui.events()).toEqual([]);
    expect(ui.problems.all()).toEqual([]);
  });
});
