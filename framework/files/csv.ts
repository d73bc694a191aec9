/** CSV (RFC 4180) to rows and back, with no dependencies: the Dataframe kind reads multipart fields with it and its element reads pastes and uploads. */

/**
 * Parses CSV text into rows of strings: quoted fields (`"a, b"`, `""` for a quote), CRLF or LF line
 * ends, a trailing newline ignored. A tab-separated paste (from a spreadsheet) is read with tabs.
 *
 * @example
 * parseCsv('name,size\n"Sneaker, white",42\n'); // [['name', 'size'], ['Sneaker, white', '42']]
 */
export function parseCsv(text: string): string[][] {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const sep = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === sep) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * Rows → CSV text, quoting only the fields that need it.
 *
 * @example
 * toCsv([['a', 'b,c'], [1, null]]); // 'a,"b,c"\n1,\n'
 */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<unknown>>): string {
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return rows.map((r) => `${r.map(cell).join(',')}\n`).join('');
}
