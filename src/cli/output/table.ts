/**
 * `--output table`: boxed tables in the AWS CLI's style — a title row, scalar members of a
 * structure as key | value rows, lists of structures as one header row and one row per item,
 * nested members as indented sub-tables.
 */
import { pyStr } from './text.js';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNested = (v: unknown): boolean => Array.isArray(v) || isObj(v);

interface Style { bold(s: string): string }

export function formatTable(title: string, data: unknown, color: boolean): string {
  const style: Style = { bold: (s) => (color ? `\x1b[1m${s}\x1b[0m` : s) };
  const lines: string[] = [];
  section(title, data, lines, style);
  const width = Math.max(...lines.map((l) => visible(l).length), title.length + 4);
  return frame(title, lines, width, style);
}

const visible = (s: string): string => s.replace(/\x1b\[[0-9;]*m/g, '');

/** Lines of a section, each a bare row (without the outer `|`); '=' lines are separators. */
function section(title: string, data: unknown, out: string[], style: Style): void {
  if (isObj(data)) {
    const scalars = Object.entries(data).filter(([, v]) => !isNested(v));
    if (scalars.length) grid(scalars.map(([k]) => k), [scalars.map(([, v]) => pyStr(v))], out, style, true);
    for (const [k, v] of Object.entries(data).filter(([, v]) => isNested(v))) sub(k, v, out, style);
  } else if (Array.isArray(data)) {
    if (data.length === 0) return;
    if (data.every(isObj)) {
      const keys = [...new Set(data.flatMap((d) => Object.keys(d as object).filter((k) => !isNested((d as Record<string, unknown>)[k]))))];
      if (keys.length) grid(keys, data.map((d) => keys.map((k) => (k in (d as object) ? pyStr((d as Record<string, unknown>)[k]) : ''))), out, style, false);
      data.forEach((d) => {
        for (const [k, v] of Object.entries(d as object).filter(([, v]) => isNested(v))) sub(k, v, out, style);
      });
    } else {
      for (const v of data) {
        if (isNested(v)) sub(title, v, out, style);
        else out.push(pyStr(v));
      }
    }
  } else {
    out.push(pyStr(data));
  }
}

function sub(title: string, v: unknown, out: string[], style: Style): void {
  const inner: string[] = [];
  section(title, v, inner, style);
  if (inner.length === 0) return;
  const width = Math.max(...inner.map((l) => visible(l).length), title.length + 4);
  for (const l of frame(title, inner, width, style).trimEnd().split('\n')) out.push(l);
}

function grid(headers: string[], rows: string[][], out: string[], style: Style, keyValue: boolean): void {
  if (keyValue && headers.length > 0) {
    const kw = Math.max(...headers.map((h) => h.length));
    const vw = Math.max(...rows[0]!.map((v) => v.length));
    headers.forEach((h, i) => out.push(` ${h.padEnd(kw)} | ${rows[0]![i]!.padEnd(vw)} `));
    return;
  }
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  out.push(headers.map((h, i) => ` ${style.bold(h.padEnd(widths[i]!))} `).join('|'));
  out.push('=' + widths.map((w) => '-'.repeat(w + 2)).join('+'));
  for (const r of rows) out.push(r.map((c, i) => ` ${c.padEnd(widths[i]!)} `).join('|'));
}

function frame(title: string, lines: string[], width: number, style: Style): string {
  const rule = '-'.repeat(width + 4);
  const left = Math.floor((width - title.length) / 2);
  const head = `|${' '.repeat(left + 1)}${style.bold(title)}${' '.repeat(width - left - title.length + 1)}|`;
  const body = lines.map((l) => (l.startsWith('=') ? `+${l.slice(1).padEnd(width + 2, '-')}+` : `|${l}${' '.repeat(width - visible(l).length + 2)}|`));
  return [rule, head, `+${'-'.repeat(width + 2)}+`, ...body, rule].join('\n') + '\n';
}
