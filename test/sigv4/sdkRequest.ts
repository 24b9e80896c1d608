/** Turns a request signed by @smithy/signature-v4 into the SigningRequest a server would see. */
import type { SigningRequest } from '../../src/sigv4/index.js';

export interface SdkLikeRequest {
  method: string;
  path: string;
  query?: Record<string, string | string[] | null | undefined>;
  headers: Record<string, string>;
}

/** The SDK's own query escaping: encodeURIComponent plus !'()* */
export function escapeUri(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

export function buildQuery(query: SdkLikeRequest['query']): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null) continue;
    for (const one of Array.isArray(v) ? v : [v]) parts.push(escapeUri(k) + '=' + escapeUri(one));
  }
  return parts.join('&');
}

export function toSigningRequest(r: SdkLikeRequest): SigningRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) headers[k.toLowerCase()] = v;
  return { method: r.method, path: r.path, query: buildQuery(r.query), headers };
}
