/** Request timestamps: x-amz-date (ISO 8601 basic) and the HTTP Date header. */

export interface RequestTime {
  /** YYYYMMDD'T'HHMMSS'Z' */
  amzDate: string;
  requestTime: Date;
}

/**
 * The decimal number in s[from, to), NaN unless every character is a digit. A module function, not a
 * closure made per call: V8 optimized each per-request closure on its own.
 */
function digitsAt(s: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return v;
}

/** Parses YYYYMMDD'T'HHMMSS'Z'; undefined when malformed or not a real calendar time. */
export function parseAmzDate(s: string): RequestTime | undefined {
  if (s.length !== 16 || s.charCodeAt(8) !== 0x54 /* T */ || s.charCodeAt(15) !== 0x5a /* Z */) return undefined;
  const y = digitsAt(s, 0, 4),
    mo = digitsAt(s, 4, 6),
    d = digitsAt(s, 6, 8),
    h = digitsAt(s, 9, 11),
    mi = digitsAt(s, 11, 13),
    se = digitsAt(s, 13, 15);
  if (Number.isNaN(y + mo + d + h + mi + se)) return undefined;
  const ms = Date.UTC(y, mo - 1, d, h, mi, se);
  const t = new Date(ms);
  if (
    t.getUTCFullYear() !== y ||
    t.getUTCMonth() !== mo - 1 ||
    t.getUTCDate() !== d ||
    t.getUTCHours() !== h ||
    t.getUTCMinutes() !== mi ||
    t.getUTCSeconds() !== se
  )
    return undefined;
  return { amzDate: s, requestTime: t };
}

/** Parses an HTTP date (RFC 7231 IMF-fixdate and the forms Date.parse accepts). */
export function parseHttpDate(s: string): RequestTime | undefined {
  const ms = Date.parse(s);
  if (Number.isNaN(ms)) return undefined;
  const t = new Date(Math.floor(ms / 1000) * 1000);
  return { amzDate: formatAmzDate(t), requestTime: t };
}

const pad2 = (n: number) => (n < 10 ? '0' : '') + n;

export function formatAmzDate(t: Date): string {
  return (
    String(t.getUTCFullYear()).padStart(4, '0') +
    pad2(t.getUTCMonth() + 1) +
    pad2(t.getUTCDate()) +
    'T' +
    pad2(t.getUTCHours()) +
    pad2(t.getUTCMinutes()) +
    pad2(t.getUTCSeconds()) +
    'Z'
  );
}
