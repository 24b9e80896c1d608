/**
 * The IPC messages between the primary of `serve --workers N` and its workers (besides the cache
 * invalidations of src/store/changes/IpcChangeFeed.ts and prom-client's own metrics messages).
 */

/** Worker → primary: the listener is up (`url` as bound; `banner` for the primary to print). */
export interface ListeningMessage {
  type: 'sailbucket:listening';
  url: string;
  banner: string[];
}

/** Primary → worker: run the background jobs (`on`), or stop running them. */
export interface LeadMessage {
  type: 'sailbucket:lead';
  on: boolean;
}

/** Worker → primary: a `/-/metrics` scrape wants every worker's figures. */
export interface MetricsRequest {
  type: 'sailbucket:metricsRequest';
  id: number;
}

/** Primary → worker: the aggregated exposition text, or why there is none. */
export interface MetricsReply {
  type: 'sailbucket:metricsReply';
  id: number;
  body?: string;
  contentType?: string;
  error?: string;
}

/** Primary → worker: read the TLS certificate and key again (the primary got SIGHUP). */
export interface ReloadTlsMessage {
  type: 'sailbucket:reloadTls';
}

const typed = (m: unknown, type: string): boolean =>
  typeof m === 'object' && m !== null && (m as { type?: unknown }).type === type;

export const isListening = (m: unknown): m is ListeningMessage =>
  typed(m, 'sailbucket:listening') &&
  typeof (m as ListeningMessage).url === 'string' &&
  Array.isArray((m as ListeningMessage).banner);
export const isLead = (m: unknown): m is LeadMessage =>
  typed(m, 'sailbucket:lead') && typeof (m as LeadMessage).on === 'boolean';
export const isMetricsRequest = (m: unknown): m is MetricsRequest =>
  typed(m, 'sailbucket:metricsRequest') && typeof (m as MetricsRequest).id === 'number';
export const isMetricsReply = (m: unknown): m is MetricsReply =>
  typed(m, 'sailbucket:metricsReply') && typeof (m as MetricsReply).id === 'number';
export const isReloadTls = (m: unknown): m is ReloadTlsMessage => typed(m, 'sailbucket:reloadTls');
