/** Request timestamps: x-amz-date (ISO 8601 basic) and the HTTP Date header. */

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

export interface RequestTime {
  /** YYYYMMDD'T'HHMMSS'Z' */
  amzDate: string;
  requestTime: Date;
}

/** Parses YYYYMMDD'T'HHMMSS'Z'; undefined when malformed or not a real calendar time. */
export function parseAmzDate(s: string): RequestTime | undefined {
  const m = AMZ_DATE.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, se] = m.map(Number) as [number, number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, se);
  const t = new Date(ms);
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d
    || t.getUTCHours() !== h || t.getUTCMinutes() !== mi || t.getUTCSeconds() !== se) return undefined;
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
  return String(t.getUTCFullYear()).padStart(4, '0') + pad2(t.getUTCMonth() + 1) + pad2(t.getUTCDate())
    + 'T' + pad2(t.getUTCHours()) + pad2(t.getUTCMinutes()) + pad2(t.getUTCSeconds()) + 'Z';
}
