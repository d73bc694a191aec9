/** Basket: a table in (items, prices, quantities — typed, pasted as CSV or edited), the priced table and a summary out. */
import { Dataframe, Interface, Markdown, Slider, type Cell } from 'vitrine';

const money = new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR' });

/**
 * Prices each line, adds the tax, and sorts by line total, largest first.
 *
 * @example
 * price({ headers: ['item', 'price', 'quantity'], data: [['tee', 12, 2]] }, 20).total; // 28.8
 */
export function price(items: { headers: string[]; data: Cell[][] }, taxPercent: number) {
  const lines = items.data
    .filter((row) => row.some((c) => c !== null && c !== ''))
    .map(([item, unit, quantity]) => {
      const subtotal = Number(unit ?? 0) * Number(quantity ?? 1);
      return [String(item ?? ''), Number(unit ?? 0), Number(quantity ?? 1), Math.round(subtotal * 100) / 100] as Cell[];
    })
    .sort((a, b) => (b[3] as number) - (a[3] as number));
  const net = lines.reduce((n, l) => n + (l[3] as number), 0);
  const total = Math.round(net * (1 + taxPercent / 100) * 100) / 100;
  return { lines, net, total };
}

export default Interface({
  fn: ({ items, tax }) => {
    const { lines, net, total } = price(items, tax);
    return {
      priced: { headers: ['item', 'price', 'quantity', 'subtotal'], data: lines },
      summary: `**${lines.length}** lines · net ${money.format(net)} · tax ${tax} % · **total ${money.format(total)}**`,
    };
  },
  inputs: {
    items: Dataframe({
      headers: ['item', 'price', 'quantity'],
      datatype: ['str', 'number', 'number'],
      maxRows: 500,
      value: { headers: ['item', 'price', 'quantity'], data: [['T-shirt', 12.5, 2], ['Sneakers', 79, 1], ['Socks', 3.2, 5]] },
      label: 'Basket',
      info: 'Edit the cells, add rows, or paste CSV with the header item,price,quantity.',
    }),
    tax: Slider({ min: 0, max: 30, step: 0.5, value: 20, label: 'Tax (%)' }),
  },
  outputs: { priced: Dataframe({ label: 'Priced, largest first' }), summary: Markdown({ label: 'Summary' }) },
  title: 'Basket',
  description: 'A table in, a table out: each line priced, sorted by its subtotal, with the tax added to the total.',
  examples: [{ items: { headers: ['item', 'price', 'quantity'], data: [['Coat', 120, 1], ['Scarf', 15, 2]] }, tax: 7 }],
  workers: 0,
});
