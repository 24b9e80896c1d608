/** Parses the raw HTTP request text of the SigV4 test suite into a SigningRequest. */
import type { SigningRequest } from '../../src/sigv4/index.js';

export interface RawRequest extends SigningRequest {
  headers: Record<string, string[]>;
  body: Buffer;
}

export function parseRawRequest(text: string): RawRequest {
  const sep = text.indexOf('\n\n');
  const head = sep < 0 ? text.replace(/\n+$/, '') : text.slice(0, sep);
  const body = sep < 0 ? '' : text.slice(sep + 2);
  const lines = head.split('\n');
  const requestLine = lines.shift()!;
  const firstSpace = requestLine.indexOf(' ');
  const lastSpace = requestLine.lastIndexOf(' ');
  const method = requestLine.slice(0, firstSpace);
  const target = requestLine.slice(firstSpace + 1, lastSpace);
  const q = target.indexOf('?');
  const headers: Record<string, string[]> = {};
  let last: string[] | undefined;
  for (const line of lines) {
    if (/^[ \t]/.test(line) && last) {
      last[last.length - 1] += ' ' + line.trim();
      continue;
    }
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    (headers[name] ??= []).push(value);
    last = headers[name];
  }
  return {
    method,
    path: q < 0 ? target : target.slice(0, q),
    query: q < 0 ? '' : target.slice(q + 1),
    headers,
    body: Buffer.from(body, 'utf8'),
  };
}
