/**
 * SigV4 URI encoding. Unreserved characters (A-Z a-z 0-9 - _ . ~) stay as they are, everything
 * else is %XX with uppercase hex over the UTF-8 bytes.
 */

const HEX = '0123456789ABCDEF';
const PLUS = /\+/g;

function isUnreservedCode(c: number): boolean {
  return (
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x2d ||
    c === 0x5f ||
    c === 0x2e ||
    c === 0x7e
  );
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** The byte of the valid %XX escape at `i`, or -1. */
function escapedByte(s: string, i: number): number {
  const hi = hexValue(s.charCodeAt(i + 1));
  const lo = hexValue(s.charCodeAt(i + 2));
  return hi >= 0 && lo >= 0 ? hi * 16 + lo : -1;
}

const isUpperHex = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46);

function pct(byte: number): string {
  return '%' + HEX[byte >> 4] + HEX[byte & 15];
}

/** Encodes a run of non-ASCII characters as %XX over its UTF-8 bytes. */
function encodeNonAscii(run: string): string {
  let out = '';
  for (const b of Buffer.from(run, 'utf8')) out += pct(b);
  return out;
}

/**
 * Canonical form of an already percent-encoded component as received: valid %XX escapes are
 * decoded and re-encoded canonically (%7e → ~, %2f → %2F), other characters are encoded once,
 * and a '%' that starts no valid escape becomes %25. With keepSlash, a literal '/' stays.
 * This is uriEncode(uriDecode(s)) except that an encoded slash stays encoded. With plusIsSpace
 * (query strings: botocore sends spaces as '+', as HTML forms do) a literal '+' means a space.
 */
export function canonicalizeEncoded(s: string, keepSlash: boolean, plusIsSpace = false): string {
  return encode(s, keepSlash, true, plusIsSpace);
}

/** uriEncode of a literal string (a '%' is data and becomes %25). With keepSlash, '/' stays. */
export function uriEncode(s: string, keepSlash: boolean): string {
  return encode(s, keepSlash, false, false);
}

/**
 * The one encoding loop: unreserved characters (and '/' with keepSlash) pass; with `escapes`,
 * a valid %XX is re-encoded canonically instead of being encoded again; with plusIsSpace, '+' is
 * a space. Returns `s` itself when nothing changes (no allocation on the common path).
 */
function encode(s: string, keepSlash: boolean, escapes: boolean, plusIsSpace: boolean): string {
  let out = '';
  let plainStart = 0;
  const n = s.length;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (isUnreservedCode(c) || (keepSlash && c === 0x2f)) {
      i++;
      continue;
    }
    const escape = escapes && c === 0x25 && i + 2 < n ? escapedByte(s, i) : -1;
    // An escape already in canonical form (upper-case hex of a byte that must stay escaped) is
    // copied as it is, so canonical input comes back as the same string.
    if (
      escape >= 0 &&
      !isUnreservedCode(escape) &&
      isUpperHex(s.charCodeAt(i + 1)) &&
      isUpperHex(s.charCodeAt(i + 2))
    ) {
      i += 3;
      continue;
    }
    if (i > plainStart) out += s.slice(plainStart, i);
    if (escape >= 0) {
      out += isUnreservedCode(escape) ? String.fromCharCode(escape) : pct(escape);
      i += 3;
    } else if (c < 0x80) {
      out += c === 0x2b && plusIsSpace ? '%20' : pct(c);
      i++;
    } else {
      let j = i + 1;
      while (j < n && s.charCodeAt(j) >= 0x80) j++;
      out += encodeNonAscii(s.slice(i, j));
      i = j;
    }
    plainStart = i;
  }
  return plainStart === 0 ? s : out + s.slice(plainStart);
}

/** Removes '.' and '..' segments and empty segments (RFC 3986 style, as AWS SDKs do). */
export function normalizePath(path: string): string {
  const segments: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') segments.pop();
    else segments.push(seg);
  }
  const lead = path.startsWith('/') ? '/' : '';
  const trail = segments.length > 0 && path.endsWith('/') ? '/' : '';
  return lead + segments.join('/') + trail;
}

/**
 * Canonical URI. S3 (`normalize: false`): the path as received, its encoding made canonical, no
 * dot-segment or slash normalization. Other services: normalized, then encoded again (the raw
 * path's '%' becomes %25: "double encoding").
 */
export function canonicalUri(rawPath: string, s3Style: boolean): string {
  const path = rawPath === '' ? '/' : rawPath;
  if (s3Style) return canonicalizeEncoded(path, true);
  const normalized = normalizePath(path);
  return uriEncode(normalized === '' ? '/' : normalized, true);
}

const comparePairs = (a: [string, string], b: [string, string]): number =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;

function inOrder(pairs: Array<[string, string]>): boolean {
  for (let i = 1; i < pairs.length; i++) if (comparePairs(pairs[i - 1], pairs[i]) > 0) return false;
  return true;
}

/**
 * Canonical query string: parameters split on '&', each name and value canonically encoded,
 * sorted by name then value; `exclude` names a parameter to leave out (X-Amz-Signature).
 */
export function canonicalQuery(rawQuery: string, exclude?: string): string {
  if (rawQuery === '') return '';
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = canonicalizeEncoded(eq < 0 ? part : part.slice(0, eq), false, true);
    if (exclude !== undefined && name === exclude) continue;
    const value = eq < 0 ? '' : canonicalizeEncoded(part.slice(eq + 1), false, true);
    pairs.push([name, value]);
  }
  // Clients mostly send the parameters already in order; sort only when they are not.
  if (!inOrder(pairs)) pairs.sort(comparePairs);
  let out = '';
  for (let i = 0; i < pairs.length; i++) {
    if (i > 0) out += '&';
    out += pairs[i][0] + '=' + pairs[i][1];
  }
  return out;
}

/** Percent-decodes a query component ('+' is a space); undefined when malformed. */
export function decodeComponent(s: string): string | undefined {
  const t = s.indexOf('+') < 0 ? s : s.replace(PLUS, ' ');
  if (t.indexOf('%') < 0) return t;
  try {
    return decodeURIComponent(t);
  } catch {
    return undefined;
  }
}
