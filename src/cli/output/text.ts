/** `--output text`: the AWS CLI's tab-separated layout (awscli/text.py), rule for rule. */

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNested = (v: unknown): boolean => Array.isArray(v) || isObj(v);

/** Python's str() of a JSON scalar, as the AWS CLI prints it. */
export function pyStr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  // Callers lay out objects and lists themselves and pass only JSON scalars, so this is not reached.
  return JSON.stringify(v);
}

export function formatText(data: unknown): string {
  const out: string[] = [];
  item(data, out, undefined, undefined);
  return out.join('');
}

function item(v: unknown, out: string[], identifier: string | undefined, scalarKeys: string[] | undefined): void {
  if (isObj(v)) return dict(v, out, identifier, scalarKeys);
  if (Array.isArray(v)) return list(v, out, identifier);
  out.push(pyStr(v) + '\n');
}

function list(v: unknown[], out: string[], identifier: string | undefined): void {
  if (v.length === 0) return;
  if (v.some(isObj)) {
    const keys = allScalarKeys(v);
    for (const el of v) item(el, out, identifier, keys);
  } else if (v.some(Array.isArray)) {
    const scalars = v.filter((x) => !isNested(x));
    if (scalars.length) scalarList(scalars, out, identifier);
    for (const x of v.filter(isNested)) item(x, out, identifier, undefined);
  } else {
    scalarList(v, out, identifier);
  }
}

function scalarList(v: unknown[], out: string[], identifier: string | undefined): void {
  if (identifier !== undefined) for (const x of v) out.push(`${identifier.toUpperCase()}\t${pyStr(x)}\n`);
  else out.push(v.map(pyStr).join('\t') + '\n');
}

function allScalarKeys(v: unknown[]): string[] {
  const keys = new Set<string>();
  for (const d of v) if (isObj(d)) for (const [k, x] of Object.entries(d)) if (!isNested(x)) keys.add(k);
  return [...keys].sort();
}

function dict(
  d: Record<string, unknown>,
  out: string[],
  identifier: string | undefined,
  scalarKeys: string[] | undefined,
): void {
  const scalars: string[] = [];
  const nested: [string, unknown][] = [];
  if (scalarKeys === undefined) {
    for (const k of Object.keys(d).sort()) {
      if (isNested(d[k])) nested.push([k, d[k]]);
      else scalars.push(pyStr(d[k]));
    }
  } else {
    for (const k of scalarKeys) scalars.push(k in d ? pyStr(d[k]) : '');
    for (const k of Object.keys(d)
      .filter((k) => !scalarKeys.includes(k))
      .sort())
      nested.push([k, d[k]]);
  }
  if (scalars.length) {
    if (identifier !== undefined) scalars.unshift(identifier.toUpperCase());
    out.push(scalars.join('\t') + '\n');
  }
  for (const [k, x] of nested) item(x, out, k, undefined);
}
