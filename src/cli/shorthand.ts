/**
 * The AWS CLI shorthand syntax: `key=photos,value=team`, `names=a,b,c`, `names=[a,b]`,
 * `rules={id=r1,maxAgeSeconds=10}`, quoted values `'a,b'` or `"a=b"`. Produces strings,
 * lists and maps; `paramValue.ts` then coerces them to the member's shape.
 */
import { UsageError } from './errors.js';

export type Shorthand = string | Shorthand[] | { [k: string]: Shorthand };

const KEY = /^[A-Za-z0-9_\-.#/:]+/;
const STOP = new Set([',', '=', '[', ']', '{', '}']);

export function parseShorthand(text: string, flag: string): { [k: string]: Shorthand } {
  const p = new Parser(text, flag);
  const out = p.keyvals(false);
  if (p.i < text.length) p.fail(`unexpected '${text[p.i]}'`);
  return out;
}

class Parser {
  i = 0;
  constructor(
    readonly s: string,
    readonly flag: string,
  ) {}

  fail(why: string): never {
    throw new UsageError(
      `Error parsing parameter '${this.flag}': ${why} at position ${this.i} of shorthand value: ${this.s}`,
    );
  }

  keyvals(inHash: boolean): { [k: string]: Shorthand } {
    const out: { [k: string]: Shorthand } = {};
    for (;;) {
      this.ws();
      const m = KEY.exec(this.s.slice(this.i));
      if (!m) this.fail('expected a key');
      this.i += m[0].length;
      this.ws();
      if (this.s[this.i] !== '=') this.fail(`expected '=' after key '${m[0]}'`);
      this.i++;
      out[m[0]] = this.values();
      this.ws();
      if (this.s[this.i] === ',') {
        this.i++;
        continue;
      }
      if (inHash && this.s[this.i] === '}') return out;
      if (this.i >= this.s.length) return out;
      this.fail(`unexpected '${this.s[this.i]}'`);
    }
  }

  values(): Shorthand {
    this.ws();
    const c = this.s[this.i];
    if (c === '[') return this.list();
    if (c === '{') {
      this.i++;
      this.ws();
      if (this.s[this.i] === '}') {
        this.i++;
        return {};
      }
      const h = this.keyvals(true);
      this.i++;
      return h;
    }
    const first = this.value();
    const rest: string[] = [];
    // csv list: `k=a,b,c` until the next `key=`
    while (this.s[this.i] === ',' && !this.nextIsKey()) {
      this.i++;
      rest.push(this.value());
    }
    return rest.length ? [first, ...rest] : first;
  }

  list(): Shorthand[] {
    this.i++; // [
    const out: Shorthand[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      const c = this.s[this.i];
      if (c === '[') out.push(this.list());
      else if (c === '{') {
        this.i++;
        out.push(this.keyvals(true));
        this.i++;
      } else out.push(this.value());
      this.ws();
      if (this.s[this.i] === ',') {
        this.i++;
        continue;
      }
      if (this.s[this.i] === ']') {
        this.i++;
        return out;
      }
      this.fail("expected ',' or ']'");
    }
  }

  value(): string {
    this.ws();
    const q = this.s[this.i];
    if (q === '"' || q === "'") {
      const end = this.s.indexOf(q, this.i + 1);
      if (end < 0) this.fail(`unterminated ${q}`);
      const v = this.s.slice(this.i + 1, end);
      this.i = end + 1;
      return v;
    }
    const start = this.i;
    while (this.i < this.s.length && !STOP.has(this.s[this.i])) this.i++;
    return this.s.slice(start, this.i).trim();
  }

  nextIsKey(): boolean {
    const m = KEY.exec(this.s.slice(this.i + 1).trimStart());
    if (!m) return false;
    const after = this.s
      .slice(this.i + 1)
      .trimStart()
      .slice(m[0].length)
      .trimStart();
    return after.startsWith('=');
  }

  ws(): void {
    while (this.s[this.i] === ' ') this.i++;
  }
}
