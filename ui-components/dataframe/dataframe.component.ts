/** `<vt-dataframe>`: a table — editable cells, rows added or removed, CSV pasted or uploaded (input); a plain table (output). */
import { css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { parseCsv } from '../../framework/files/csv.ts';
import { FieldElement, type ExampleView } from '../internal/field-element.ts';
import { themeStyles } from '../internal/theme.styles.ts';

type Cell = string | number | boolean | null;
/** The wire value: headers and rows of cells. */
export interface Table {
  headers: string[];
  data: Cell[][];
}
type ColumnType = 'str' | 'number' | 'bool' | 'date';

/**
 * @event vt-change - When the user edits a cell, adds or removes a row, or loads CSV.
 * @csspart base - The wrapper. @csspart table - The table. @csspart toolbar - Add row and CSV. @csspart problem - Why CSV was refused.
 */
export class VtDataframe extends FieldElement<Table | null> {
  static override styles = [
    themeStyles,
    css`
      :host { display: block; }
      .scroll { overflow-x: auto; border: 1px solid var(--_border); border-radius: var(--_radius); }
      table { border-collapse: collapse; width: 100%; font-size: 0.875rem; }
      th, td { border-bottom: 1px solid var(--_border); padding: 4px 8px; text-align: left; }
      th { background: var(--_surface); font-weight: 600; }
      td input { font: inherit; width: 100%; min-width: 6ch; border: 1px solid transparent; background: transparent; color: inherit; padding: 2px 4px; }
      td input:focus-visible { border-color: var(--_primary); }
      td.number { text-align: right; }
      .toolbar { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
      .empty { color: var(--_muted); padding: 8px; }
      textarea { min-height: 80px; font-family: ui-monospace, monospace; }
    `,
  ];

  @property({ attribute: false }) value: Table | null = null;
  /** Fixed column names, when the component declares them. */
  @property({ type: Array }) headers: string[] | null = null;
  /** One type per column, or one for all. */
  @property({ attribute: false }) datatype: ColumnType | ColumnType[] = 'str';
  @property({ type: Number }) maxRows = 10_000;
  @state() private problem = '';
  @state() private pasting = false;

  reset(): void {
    this.value = null;
  }

  /** An example table in the gallery: its size and the first cells, not its JSON. */
  override exampleView(value: unknown, base: URL): ExampleView {
    const t = value as Table | null;
    if (!t || !Array.isArray(t.data) || !Array.isArray(t.headers)) return super.exampleView(value, base);
    const first = t.data.map((r) => String(r[0] ?? '')).slice(0, 3).join(', ');
    return { text: `${t.data.length} row${t.data.length === 1 ? '' : 's'}: ${first}${t.data.length > 3 ? '…' : ''}` };
  }

  private get table(): Table {
    const v = this.value;
    if (v && Array.isArray(v.headers) && Array.isArray(v.data)) return v;
    const headers = this.headers ?? ['1'];
    return { headers, data: [] };
  }

  private typeOf(col: number): ColumnType {
    return Array.isArray(this.datatype) ? (this.datatype[col] ?? 'str') : this.datatype;
  }

  private cell(text: string, col: number): Cell {
    if (text === '') return null;
    const type = this.typeOf(col);
    if (type === 'number' && Number.isFinite(Number(text))) return Number(text);
    if (type === 'bool' && /^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
    return text;
  }

  private commit(table: Table): void {
    this.value = table;
    this.emitInput();
    this.emitChange();
  }

  private edit(row: number, col: number, text: string): void {
    const t = this.table;
    this.commit({ headers: t.headers, data: t.data.map((r, i) => (i === row ? r.map((c, j) => (j === col ? this.cell(text, col) : c)) : r)) });
  }

  private addRow(): void {
    const t = this.table;
    if (t.data.length >= this.maxRows) return;
    this.commit({ headers: t.headers, data: [...t.data, t.headers.map(() => null)] });
  }

  private removeRow(row: number): void {
    const t = this.table;
    this.commit({ headers: t.headers, data: t.data.filter((_, i) => i !== row) });
  }

  /** CSV text (pasted or uploaded) → the table, its first row the headers. */
  loadCsv(text: string): void {
    const rows = parseCsv(text);
    if (rows.length === 0) {
      this.problem = 'The CSV is empty.';
      return;
    }
    const [head, ...body] = rows as [string[], ...string[][]];
    if (this.headers !== null && head.join('\u0000') !== this.headers.join('\u0000')) {
      this.problem = `The CSV's first row must be the columns: ${this.headers.join(', ')}.`;
      return;
    }
    this.problem = '';
    this.pasting = false;
    this.commit({ headers: head, data: body.slice(0, this.maxRows).map((r) => head.map((_, c) => this.cell(r[c] ?? '', c))) });
  }

  private async onFile(event: Event): Promise<void> {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (file) this.loadCsv(await file.text());
  }

  override render() {
    const t = this.table;
    const editable = !this.readonly && !this.disabled;
    return html`<div class="field" part="base">
      ${this.renderLabel(false)}
      <div class="scroll">
        <table part="table" aria-labelledby="label" aria-describedby=${this.describedBy}>
          <thead><tr>${t.headers.map((h) => html`<th scope="col">${h}</th>`)}${editable ? html`<th><span class="visually-hidden">Remove</span></th>` : nothing}</tr></thead>
          <tbody>
            ${t.data.length === 0 ? html`<tr><td class="empty" colspan=${t.headers.length + 1}>${this.readonly ? 'No result yet' : 'No rows: add one or load CSV'}</td></tr>` : nothing}
            ${t.data.map(
              (row, r) => html`<tr>
                ${row.map((c, col) =>
                  editable
                    ? html`<td class=${this.typeOf(col)}><input aria-label=${`${t.headers[col]}, row ${r + 1}`} .value=${c === null ? '' : String(c)} @change=${(e: Event) => this.edit(r, col, (e.target as HTMLInputElement).value)} /></td>`
                    : html`<td class=${typeof c === 'number' ? 'number' : ''}>${c === null ? '' : String(c)}</td>`,
                )}
                ${editable ? html`<td><button class="button" type="button" aria-label=${`Remove row ${r + 1}`} @click=${() => this.removeRow(r)}>✕</button></td>` : nothing}
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${editable
        ? html`<div class="toolbar" part="toolbar">
            <button class="button" type="button" @click=${this.addRow}>Add row</button>
            <button class="button" type="button" aria-expanded=${this.pasting ? 'true' : 'false'} @click=${() => (this.pasting = !this.pasting)}>Paste CSV</button>
            <label class="button">Upload CSV<input class="visually-hidden" type="file" accept=".csv,.tsv,text/csv,text/plain" @change=${this.onFile} /></label>
          </div>
          ${this.pasting
            ? html`<textarea class="control" aria-label="CSV, first row the column names" placeholder="name,size&#10;sneaker,42" @change=${(e: Event) => this.loadCsv((e.target as HTMLTextAreaElement).value)}></textarea>`
            : nothing}`
        : nothing}
      ${this.problem ? html`<p class="problem" part="problem" role="alert">${this.problem}</p>` : nothing}
      ${this.renderInfo()}
    </div>`;
  }
}
