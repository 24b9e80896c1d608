/**
 * `--output table`: boxed tables in the AWS CLI's style. A structure's scalar members are
 * key | value rows, a list of structures is one header row and one row per item, nested members
 * are sub-tables drawn inside their parent; every table is stretched to the widest one.
 */
import { pyStr } from './text.js';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNested = (v: unknown): boolean => Array.isArray(v) || isObj(v);

interface Block {
  title: string;
  kv: [string, string][];
  grid?: { headers: string[]; rows: string[][] };
  scalars: string[];
  children: Block[];
}

function build(title: string, data: unknown): Block {
  const b: Block = { title, kv: [], scalars: [], children: [] };
  if (isObj(data)) {
    for (const [k, v] of Object.entries(data)) {
      if (isNested(v)) b.children.push(build(k, v));
      else b.kv.push([k, pyStr(v)]);
    }
  } else if (Array.isArray(data) && data.length > 0 && data.every((r) => Array.isArray(r) && !r.some(isNested))) {
    // rows of scalars (e.g. --query 'items[].[a,b]'): one table row each, no header
    const n = Math.max(...data.map((r) => (r as unknown[]).length));
    b.grid = {
      headers: [],
      rows: data.map((r) =>
        Array.from({ length: n }, (_x, i) => (i < (r as unknown[]).length ? pyStr((r as unknown[])[i]) : '')),
      ),
    };
  } else if (Array.isArray(data)) {
    const objs = data.filter(isObj);
    const headers = [...new Set(objs.flatMap((d) => Object.keys(d).filter((k) => !isNested(d[k]))))];
    if (headers.length) b.grid = { headers, rows: objs.map((d) => headers.map((h) => (h in d ? pyStr(d[h]) : ''))) };
    for (const d of objs) for (const [k, v] of Object.entries(d)) if (isNested(v)) b.children.push(build(k, v));
    for (const v of data) {
      if (Array.isArray(v)) b.children.push(build(title, v));
      else if (!isObj(v)) b.scalars.push(pyStr(v));
    }
  } else {
    b.scalars.push(pyStr(data));
  }
  return b;
}

function gridWidth(g: NonNullable<Block['grid']>): number[] {
  const n = Math.max(g.headers.length, ...g.rows.map((r) => r.length));
  return Array.from({ length: n }, (_x, i) =>
    Math.max((g.headers[i] ?? '').length, ...g.rows.map((r) => (r[i] ?? '').length)),
  );
}

/** Width of the whole box, borders included. */
function natural(b: Block): number {
  const inner = [b.title.length + 2];
  if (b.kv.length)
    inner.push(Math.max(...b.kv.map(([k]) => k.length)) + Math.max(...b.kv.map(([, v]) => v.length)) + 5);
  if (b.grid) inner.push(gridWidth(b.grid).reduce((a, w) => a + w + 3, -1));
  for (const s of b.scalars) inner.push(s.length + 2);
  for (const c of b.children) inner.push(natural(c));
  return Math.max(...inner) + 2;
}

function render(b: Block, w: number, bold: (s: string) => string): string[] {
  const inner = w - 2;
  const left = Math.floor((inner - b.title.length) / 2);
  const out = ['-'.repeat(w), `|${' '.repeat(left)}${bold(b.title)}${' '.repeat(inner - left - b.title.length)}|`];
  if (b.kv.length || b.grid || b.scalars.length) out.push(`+${'-'.repeat(inner)}+`);
  if (b.kv.length) {
    const kw = Math.max(...b.kv.map(([k]) => k.length));
    for (const [k, v] of b.kv) out.push(`| ${k.padEnd(kw)} | ${v.padEnd(inner - kw - 5)} |`);
  }
  if (b.grid) {
    const widths = gridWidth(b.grid);
    widths[widths.length - 1] += inner - widths.reduce((a, x) => a + x + 3, -1);
    const row = (cells: string[], style: (s: string) => string) =>
      `|${cells.map((c, i) => ` ${style(c.padEnd(widths[i]))} `).join('|')}|`;
    if (b.grid.headers.length)
      out.push(row(b.grid.headers, bold), `+${widths.map((x) => '-'.repeat(x + 2)).join('+')}+`);
    for (const r of b.grid.rows) out.push(row(r, (s) => s));
  }
  for (const s of b.scalars) out.push(`| ${s.padEnd(inner - 1)}|`);
  for (const c of b.children) for (const l of render(c, inner, bold)) out.push(`|${l}|`);
  out.push('-'.repeat(w));
  return out;
}

export function formatTable(title: string, data: unknown, color: boolean): string {
  const bold = (s: string) => (color ? `\x1b[1m${s}\x1b[0m` : s);
  const b = build(title, data);
  return render(b, natural(b), bold).join('\n') + '\n';
}
