/**
 * A request handler for the AWS SDK that sends with XMLHttpRequest instead of fetch, because
 * only XHR reports upload progress. Used for uploads (each file gets its own client, so progress
 * is per file); everything else goes through the SDK's default fetch handler.
 */
interface SdkRequest {
  method: string;
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query?: Record<string, string | (string | null)[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

interface SdkResponse {
  statusCode: number;
  reason?: string;
  headers: Record<string, string>;
  body: Blob;
}

/** Headers the browser sets itself and refuses from scripts. */
const FORBIDDEN = new Set(['host', 'content-length', 'connection', 'expect', 'user-agent']);

const escape = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function queryString(query: SdkRequest['query']): string {
  if (query === undefined) return '';
  const parts: string[] = [];
  for (const key of Object.keys(query).sort()) {
    const value = query[key];
    if (value === null) parts.push(escape(key));
    else if (Array.isArray(value))
      for (const v of value) parts.push(v === null ? escape(key) : `${escape(key)}=${escape(v)}`);
    else parts.push(`${escape(key)}=${escape(value)}`);
  }
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

function parseHeaders(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of raw.trim().split(/[\r\n]+/)) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return out;
}

export class XhrHttpHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };
  /** Bytes sent so far by each request in flight (parts of one upload run in parallel). */
  private readonly sent = new Map<number, number>();
  private done = 0;
  private next = 0;

  /** `onProgress(bytes)`: body bytes the server has received so far, over all finished and running requests. */
  constructor(private readonly onProgress: (bytes: number) => void) {}

  updateHttpClientConfig(): void {}
  httpHandlerConfigs(): Record<string, never> {
    return {};
  }
  destroy(): void {}

  private report(): void {
    let running = 0;
    for (const v of this.sent.values()) running += v;
    this.onProgress(this.done + running);
  }

  handle(request: SdkRequest, options?: { abortSignal?: unknown }): Promise<{ response: SdkResponse }> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      const signal = options?.abortSignal instanceof AbortSignal ? options.abortSignal : undefined;
      if (signal?.aborted === true) {
        reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' }));
        return;
      }
      const xhr = new XMLHttpRequest();
      const port = request.port !== undefined ? `:${request.port}` : '';
      xhr.open(
        request.method,
        `${request.protocol}//${request.hostname}${port}${request.path}${queryString(request.query)}`,
      );
      for (const [name, value] of Object.entries(request.headers)) {
        if (!FORBIDDEN.has(name.toLowerCase())) xhr.setRequestHeader(name, value);
      }
      xhr.responseType = 'blob';
      xhr.upload.onprogress = (e) => {
        this.sent.set(id, e.loaded);
        this.report();
      };
      const finish = (): void => {
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => xhr.abort();
      signal?.addEventListener('abort', onAbort);
      xhr.onload = () => {
        finish();
        const bytes = this.sent.get(id) ?? 0;
        this.sent.delete(id);
        if (xhr.status < 300) this.done += bytes;
        this.report();
        resolve({
          response: {
            statusCode: xhr.status,
            reason: xhr.statusText,
            headers: parseHeaders(xhr.getAllResponseHeaders()),
            body: xhr.response instanceof Blob ? xhr.response : new Blob([]),
          },
        });
      };
      xhr.onerror = () => {
        finish();
        this.sent.delete(id);
        reject(new Error('Network error: the server could not be reached'));
      };
      xhr.onabort = () => {
        finish();
        this.sent.delete(id);
        this.report();
        reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' }));
      };
      xhr.send((request.body ?? null) as XMLHttpRequestBodyInit | null);
    });
  }
}
