/** Gradio's streaming diffs (gradio/utils.py `diff`): the edits that turn one partial output into the next, as `process_generating` sends them after the first. */

/** One edit: `[op, path, value]`; a path is a list of object keys and list indices from the value's root. */
export type DiffEdit = ['replace' | 'append' | 'add' | 'delete', Array<string | number>, unknown];

/** Python's type of a JSON value, which `diff` compares before anything else (`type(a) != type(b)` → replace). */
function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  return typeof value;
}

/** Deep equality of JSON values (Python's `==` on what `json.loads` gives). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const k = kind(a);
  if (k !== kind(b) || (k !== 'list' && k !== 'object')) return false;
  if (k === 'list') {
    const x = a as unknown[];
    const y = b as unknown[];
    return x.length === y.length && x.every((v, i) => same(v, y[i]));
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  return keys.length === Object.keys(y).length && keys.every((key) => Object.hasOwn(y, key) && same(x[key], y[key]));
}

/**
 * The edits from `previous` to `next`, as Gradio makes them: equal values give none; values of
 * different types, and anything else that differs, a `replace`; a string that extends the old one
 * an `append` of the new part; lists and objects are compared item by item (`delete` for what is
 * gone, `add` for what is new). One departure: a list's `delete`s come last index first, so that a
 * client applying them one by one with `splice` (Gradio's own `apply_diff`) removes the right items
 * — Gradio emits them first index first (docs/decisions/022-streaming.md).
 *
 * @example
 * gradioDiff('Hello', 'Hello, world'); // [['append', [], ', world']]
 * gradioDiff([{ role: 'user', content: 'hi' }], [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'Hel' }]);
 * // [['add', [1], { role: 'assistant', content: 'Hel' }]]
 */
export function gradioDiff(previous: unknown, next: unknown, path: Array<string | number> = []): DiffEdit[] {
  if (same(previous, next)) return [];
  const k = kind(previous);
  if (k !== kind(next)) return [['replace', path, next]];
  if (k === 'string' && (next as string).startsWith(previous as string)) return [['append', path, (next as string).slice((previous as string).length)]];
  if (k === 'list') {
    const old = previous as unknown[];
    const now = next as unknown[];
    const common = Math.min(old.length, now.length);
    const edits: DiffEdit[] = [];
    for (let i = 0; i < common; i++) edits.push(...gradioDiff(old[i], now[i], [...path, i]));
    for (let i = old.length - 1; i >= common; i--) edits.push(['delete', [...path, i], null]);
    for (let i = common; i < now.length; i++) edits.push(['add', [...path, i], now[i]]);
    return edits;
  }
  if (k === 'object') {
    const old = previous as Record<string, unknown>;
    const now = next as Record<string, unknown>;
    const edits: DiffEdit[] = [];
    for (const key of Object.keys(old)) {
      if (Object.hasOwn(now, key)) edits.push(...gradioDiff(old[key], now[key], [...path, key]));
      else edits.push(['delete', [...path, key], null]);
    }
    for (const key of Object.keys(now)) if (!Object.hasOwn(old, key)) edits.push(['add', [...path, key], now[key]]);
    return edits;
  }
  return [['replace', path, next]];
}
