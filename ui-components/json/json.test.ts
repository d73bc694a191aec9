/** `<vt-json>` in Chromium: editing parses JSON, invalid text is flagged, read-only pretty-prints. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openComponentPage, type ComponentPage } from '../../tests/browser/component-page.ts';

let ui: ComponentPage;
beforeAll(async () => {
  ui = await openComponentPage();
});
afterAll(async () => {
  await ui?.close();
});

describe('vt-json', () => {
  it('parses what the user types and flags invalid JSON', async () => {
    await ui.mount('<vt-json name="data" label="Data"></vt-json>');
    const area = ui.page.getByRole('textbox', { name: 'Data' });
    await area.fill('{"a": [1, 2]}');
    expect(await ui.page.$eval('vt-json', (el) => el.value)).toEqual({ a: [1, 2] });
    expect((await ui.events('vt-input')).at(-1)?.detail).toEqual({ name: 'data', value: { a: [1, 2] } });
    await area.fill('{"a": ');
    await expect(area.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(ui.page.locator('vt-json .problem').textContent()).resolves.toMatch(/Not valid JSON/);
    expect(await ui.page.$eval('vt-json', (el) => el.reportValidity())).toBe(false);
    // The last valid value stays.
    expect(await ui.page.$eval('vt-json', (el) => el.value)).toEqual({ a: [1, 2] });
  });

  it('pretty-prints a read-only value set by code, without events', async () => {
    await ui.mount('<vt-json name="out" label="Result" readonly></vt-json>');
    await ui.page.$eval('vt-json', async (el) => {
      el.value = { ok: true, n: [1] };
      await el.updateComplete;
    });
    await expect(ui.page.getByRole('region', { name: 'Result' }).textContent()).resolves.toBe('{\n  "ok": true,\n  "n": [\n    1\n  ]\n}');
    expect(await ui.events()).toEqual([]);
    expect(ui.problems.all()).toEqual([]);
  });
});
