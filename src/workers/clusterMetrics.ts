/**
 * `/-/metrics` with `serve --workers N`: whichever worker gets the scrape asks the primary, which
 * collects every worker's registry with prom-client's AggregatorRegistry (counters and histograms
 * summed, gauges by each metric's `aggregator`, src/metrics/serverMetrics.ts) and answers with the
 * whole server's figures.
 */
import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';
import type { IpcChannel } from '../store/changes/IpcChangeFeed.js';
import { isMetricsReply, isMetricsRequest, type MetricsReply, type MetricsRequest } from './messages.js';

/** A scrape waits this long for the primary (prom-client itself gives up on a worker after 5 s). */
const REPLY_TIMEOUT_MS = 8_000;

/** In the primary: answers the workers' metrics requests. */
export function answerMetricsRequests(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message) => {
    if (!isMetricsRequest(message)) return;
    const reply = (r: Omit<MetricsReply, 'type' | 'id'>) => {
      if (worker.isConnected())
        worker.send({ type: 'sailbucket:metricsReply', id: message.id, ...r }, undefined, () => undefined);
    };
    aggregator.clusterMetrics().then(
      (body) => reply({ body, contentType: aggregator.contentType }),
      (err: unknown) => reply({ error: err instanceof Error ? err.message : String(err) }),
    );
  });
}

/**
 * In a worker: hands `registry` to prom-client's cluster listener (the primary collects it) and
 * returns the `/-/metrics` renderer, which asks the primary for every worker's figures.
 */
export function workerMetricsRenderer(
  registry: Registry,
  channel: IpcChannel,
): () => Promise<{ contentType: string; body: string }> {
  AggregatorRegistry.setRegistries([registry]);
  // Constructing one installs prom-client's listener that answers the primary's collection requests.
  new AggregatorRegistry();
  let next = 0;
  const waiting = new Map<number, (reply: MetricsReply) => void>();
  channel.on('message', (message) => {
    if (isMetricsReply(message)) waiting.get(message.id)?.(message);
  });
  return () =>
    new Promise((resolve, reject) => {
      const id = next++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error('the primary did not answer the metrics request in time'));
      }, REPLY_TIMEOUT_MS);
      waiting.set(id, (reply) => {
        clearTimeout(timer);
        waiting.delete(id);
        if (reply.body !== undefined) resolve({ contentType: reply.contentType ?? 'text/plain', body: reply.body });
        else reject(new Error(`collecting the workers' metrics failed: ${reply.error ?? 'no answer'}`));
      });
      const request: MetricsRequest = { type: 'sailbucket:metricsRequest', id };
      channel.send?.(request, undefined, undefined, (err) => {
        if (!err) return;
        clearTimeout(timer);
        waiting.delete(id);
        reject(err);
      });
    });
}
