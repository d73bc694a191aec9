/** `<vt-textbox>` in Chromium: typing fires vt-input/vt-change, setting `.value` fires nothing, read-only output. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openComponentPage, type ComponentPage } from '../../tests/browser/component-page.ts';

let ui: ComponentPage;
beforeAll(async () => {
  ui = await openComponentPage();
});
afterAll(async () => {
  await ui?.close();
});

describe('vt-textbox', () => {
  it('is labelled, and typing updates .value and fires typed, bubbling, composed events', async () => {
    await ui.mount('<vt-textbox name="prompt" label="Prompt" info="Say something" placeholder="Type here"></vt-textbox>');
    const box = ui.page.getByRole('textbox', { name: 'Prompt' });
    await expect(box.getAttribute('placeholder')).resolves.toBe('Type here');
    await box.fill('hello');
    await box.press('Tab');
    expect(await ui.page.$eval('vt-textbox', (el) => el.value)).toBe('hello');
    const changes = await ui.events('vt-change');
    expect(changes).toEqual([{ type: 'vt-change', target: 'vt-textbox', bubbles: true, composed: true, detail: { name: 'prompt', value: 'hello' } }]);
    expect((await ui.events('vt-input')).at(-1)?.detail).toEqual({ name: 'prompt', value: 'hello' });
    // The help text describes the control for screen readers.
    await expect(box.evaluate((el) => el.getAttribute('aria-describedby'))).resolves.toBe('info');
  });

  it('fires nothing when the owner sets .value, and shows it', async () => {
    await ui.mount('<vt-textbox name="t" label="T"></vt-textbox>');
    await ui.page.$eval('vt-textbox', async (el) => {
      el.value = 'from code';
      await el.updateComplete;
    });
    await expect(ui.page.getByRole('textbox', { name: 'T' }).inputValue()).resolves.toBe('from code');
    expect(await ui.events()).toEqual([]);
  });

  it('uses a textarea for several lines and honours maxLength', async () => {
    await ui.mount('<vt-textbox name="t" label="Essay" lines="4" max-length="5"></vt-textbox>');
    const area = ui.page.locator('vt-textbox textarea');
    await expect(area.getAttribute('rows')).resolves.toBe('4');
    await area.pressSequentially('abcdefgh');
    expect(await ui.page.$eval('vt-textbox', (el) => el.value)).toBe('abcde');
  });

  it('is read-only as an output: not editable, still labelled', async () => {
    await ui.mount('<vt-textbox name="out" label="Answer" readonly value="42"></vt-textbox>');
    const box = ui.page.getByRole('textbox', { name: 'Answer' });
    await expect(box.inputValue()).resolves.toBe('42');
    await expect(box.isEditable()).resolves.toBe(false);
    expect(ui.problems.all()).toEqual([]);
    expect(await ui.cspViolations()).toEqual([]);
  });
});
