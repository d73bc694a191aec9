/** The table demo: lines priced and sorted, the tax in the total; a typed column refuses text; CSV in multipart. */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from 'vitrine';
import { postMultipart } from '../../tests/http/helpers.ts';
import { price } from './app.ts';

const APP = fileURLToPath(new URL('./app.ts', import.meta.url));

describe('price', () => {
  it('prices each line, sorts by subtotal and adds the tax to the total', () => {
    const { lines, net, total } = price({ headers: ['item', 'price', 'quantity'], data: [['socks', 3, 4], ['coat', 100, 1], [null, null, null]] }, 10);
    expect(lines).toEqual([['coat', 100, 1, 100], ['socks', 3, 4, 12]]);
    expect([net, total]).toEqual([112, 123.2]);
  });
});

describe('through the JSON API', () => {
  let app: Awaited<ReturnType<typeof buildApp>>;
  beforeAll(async () => {
    app = await buildApp({ apps: [{ module: APP }], logger: false, flagging: false });
  });
  afterAll(async () => app?.close());

  it('answers a table with a table and a summary', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/predict', payload: { items: { headers: ['item', 'price', 'quantity'], data: [['tee', 10, 3]] }, tax: 0 } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ priced: { headers: ['item', 'price', 'quantity', 'subtotal'], data: [['tee', 10, 3, 30]] }, summary: '**1** lines · net €30.00 · tax 0 % · **total €30.00**' });
  });

  it('refuses text in a number column, naming the cell', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/predict', payload: { items: { headers: ['item', 'price', 'quantity'], data: [['tee', 'ten', 3]] } } });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/"items".*column "price" is number: expected a number, got "ten" \(at data\.0\.1\)/);
  });

  it('takes the table as CSV in multipart', async () => {
    const res = await postMultipart(app, '/api/predict', { items: 'item,price,quantity\n"Scarf, wool",15,2\n', tax: '0' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().priced.data).toEqual([['Scarf, wool', 15, 2, 30]]);
  });
});
