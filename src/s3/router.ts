/**
 * Request → S3Endpoint. Finds the bucket (virtual-hosted `<bucket>.<base-domain>[:port]` or
 * path-style), keeps the key byte-exact (percent-escapes of the raw path decoded exactly once:
 * `%2F`, `//`, a trailing `/`, dots, unicode and spaces survive), parses the query, and names the
 * operation (endpoints.ts). Runs before authentication; throws S3Error for what it cannot parse.
 */
import { S3Error } from './errors.js';
import { operationFor } from './endpoints.js';
import type { S3Endpoint, S3Query } from './types.js';

export interface RouterConfig {
  /** Domains under which `<bucket>.<domain>` is virtual-hosted addressing (lowercase). */
  readonly baseDomains: readonly string[];
}

export interface RouteInput {
  method: string;
  /** req.url as received: raw path and query. */
  url: string;
  host: string | undefined;
  /** Whether an `x-amz-copy-source` header is present (CopyObject / UploadPartCopy). */
  hasCopySource: boolean;
}

export type Router = (input: RouteInput) => S3Endpoint;

/** Decodes percent-escapes once; a broken escape or invalid UTF-8 is InvalidURI naming the text. */
function decodeOnce(raw: string, what: string): string {
  if (raw.indexOf('%') === -1) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new S3Error(
      'InvalidURI',
      `Couldn't parse the specified URI: the ${what} '${raw}' has an invalid percent-encoding.`,
    );
  }
}

/** Query parameters, form-decoded ('+' is a space), first value of a repeated name wins. */
export function parseQuery(raw: string): S3Query {
  const out = new Map<string, string>();
  if (raw === '') return out;
  let start = 0;
  while (start <= raw.length) {
    let end = raw.indexOf('&', start);
    if (end === -1) end = raw.length;
    if (end > start) {
      const pair = raw.slice(start, end);
      const eq = pair.indexOf('=');
      const rawName = eq === -1 ? pair : pair.slice(0, eq);
      const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
      const name = decodeOnce(
        rawName.indexOf('+') === -1 ? rawName : rawName.replaceAll('+', ' '),
        'query parameter name',
      );
      if (!out.has(name)) {
        out.set(
          name,
          decodeOnce(
            rawValue.indexOf('+') === -1 ? rawValue : rawValue.replaceAll('+', ' '),
            `value of query parameter '${name}'`,
          ),
        );
      }
    }
    start = end + 1;
  }
  return out;
}

/** The bucket named by the Host header, or undefined when the host is not `<bucket>.<base-domain>`. */
export function virtualHostBucket(host: string | undefined, baseDomains: readonly string[]): string | undefined {
  if (host === undefined || host === '') return undefined;
  let h = host;
  if (h.charCodeAt(0) === 91 /* [ */) return undefined; // IPv6 literal
  const colon = h.lastIndexOf(':');
  if (colon !== -1) h = h.slice(0, colon);
  h = h.toLowerCase();
  for (const domain of baseDomains) {
    if (
      h.length > domain.length + 1 &&
      h.endsWith(domain) &&
      h.charCodeAt(h.length - domain.length - 1) === 46 /* . */
    ) {
      return h.slice(0, h.length - domain.length - 1);
    }
  }
  return undefined;
}

export function createRouter(config: RouterConfig): Router {
  const domains = config.baseDomains.map((d) => d.toLowerCase());
  return (input) => {
    const url = input.url;
    const q = url.indexOf('?');
    const rawPath = q === -1 ? url : url.slice(0, q);
    const rawQuery = q === -1 ? '' : url.slice(q + 1);
    if (rawPath.charCodeAt(0) !== 47 /* / */) {
      throw new S3Error(
        'InvalidURI',
        `Couldn't parse the specified URI: the path '${rawPath}' does not start with '/'.`,
      );
    }
    const query = parseQuery(rawQuery);
    let bucket: string | undefined;
    let key: string | undefined;
    const vhost = virtualHostBucket(input.host, domains);
    if (vhost !== undefined) {
      bucket = vhost;
      if (rawPath.length > 1) key = decodeOnce(rawPath.slice(1), 'object key');
    } else if (rawPath.length > 1) {
      const slash = rawPath.indexOf('/', 1);
      bucket = decodeOnce(slash === -1 ? rawPath.slice(1) : rawPath.slice(1, slash), 'bucket name');
      if (slash !== -1 && slash < rawPath.length - 1) key = decodeOnce(rawPath.slice(slash + 1), 'object key');
    }
    const operation = operationFor(input.method, bucket !== undefined, key !== undefined, query, input.hasCopySource);
    return {
      operation,
      method: input.method,
      bucket,
      key,
      query,
      addressing: vhost !== undefined ? 'virtual' : 'path',
      rawPath,
      rawQuery,
    };
  };
}
