/** `<vt-dataframe>` in Chromium: cells edited from the keyboard keep their column's type, CSV pasted replaces the table, wrong headers are refused. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openComponentPage, type ComponentPage } from '../../tests/browser/component-page.ts';

let ui: ComponentPage;
beforeAll(async () => {
  ui = await openComponentPage();
});
afterAll(async () => ui?.close());

const mount = () =>
  ui.mount('<vt-dataframe name="items" label="Items"></vt-dataframe>').then(() =>
    ui.page.$eval('vt-dataframe', async (el) => {
      el.headers = ['item', 'price'];
      el.datatype = ['str', 'number'];
      el.value = { headers: ['item', 'price'], data: [['tee', 12]] };
      await el.updateComplete;
    }),
  );

describe('vt-dataframe', () => {
  it('edits a number cell from the keyboard and fires vt-change with a number', async () => {
    await mount();
    const cell = ui.page.getByRole('textbox', { name: 'price, row 1' });
    await cell.fill('15.5');
    await cell.press('Tab');
    expect(await ui.page.$eval('vt-dataframe', (el) => el.value)).toEqual({ headers: ['item', 'price'], data: [['tee', 15.5]] });
    expect((await ui.events('vt-change')).length).toBe(1);
  });

  it('adds and removes rows', async () => {
    await mount();
    await ui.page.getByRole('button', { name: 'Add row' }).click();
    expect(await ui.page.$eval('vt-dataframe', (el) => el.value?.data)).toEqual([['tee', 12], [null, null]]);
    await ui.page.getByRole('button', { name: 'Remove row 1' }).click();
    expect(await ui.page.$eval('vt-dataframe', (el) => el.value?.data)).toEqual([[null, null]]);
  });

  it('loads pasted CSV, typed by column, and refuses CSV with other columns', async () => {
    await mount();
    await ui.page.getByRole('button', { name: 'Paste CSV' }).click();
    const box = ui.page.getByRole('textbox', { name: 'CSV, first row the column names' });
    await box.fill('item,price\n"Scarf, wool",15\nsocks,3\n');
    await box.blur();
    expect(await ui.page.$eval('vt-dataframe', (el) => el.value)).toEqual({ headers: ['item', 'price'], data: [['Scarf, wool', 15], ['socks', 3]] });
    await ui.page.getByRole('button', { name: 'Paste CSV' }).click();
    await box.fill('name,cost\na,1\n');
    await box.blur();
    await expect.poll(() => ui.page.getByRole('alert').textContent()).toContain('item, price');
    expect(ui.problems.all()).toEqual([]);
  });

  it('shows a read-only table as an output', async () => {
    await ui.mount('<vt-dataframe name="out" label="Out" readonly></vt-dataframe>');
    await ui.page.$eval('vt-dataframe', async (el) => {
      el.value = { headers: ['a', 'b'], data: [[1, 'x']] };
      await el.updateComplete;
    });
    expect(await ui.page.getByRole('table', { name: 'Out' }).locator('td').allTextContents()).toEqual(['1', 'x']);
    expect(await ui.page.getByRole('button', { name: 'Add row' }).count()).toBe(0);
  });
});
