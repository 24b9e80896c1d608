import cluster from 'node:cluster';
import type { App } from '../app.js';
import type { ServeOptions } from '../config.js';
import type { IpcChannel } from '../store/changes/IpcChangeFeed.js';
import { workerMetricsRenderer } from './clusterMetrics.js';
import { isReloadTls, type ListeningMessage } from './messages.js';
import { workerCluster } from './workerCluster.js';

/**
 * A worker of `serve --workers N`: the same server as `serve` alone (src/app.ts), on the listening
 * socket the primary shares, with the worker's cluster (IPC invalidations, leadership from the
 * primary). It tells the primary when it listens instead of printing the listening line, reloads
 * TLS when the primary says so, and stops gracefully on SIGTERM (sent by the primary) or when the
 * primary is gone. SIGINT and SIGHUP are the primary's to handle (a terminal sends them to the
 * whole process group).
 */
export async function startWorker(opts: ServeOptions, io: { stderr: NodeJS.WritableStream }): Promise<App> {
  const channel = process as unknown as IpcChannel;
  // The same host and port as its siblings (with --port 0 too: node:cluster hands every worker's
  // first listen(0) the primary's one socket), so a replacement shares their socket.
  const { startApp } = await import('../app.js');
  const app = await startApp(opts, io, {
    cluster: workerCluster(channel),
    id: cluster.worker?.id ?? 0,
    metrics: (registry) => workerMetricsRenderer(registry, channel),
  });
  channel.on('message', (m) => {
    if (isReloadTls(m)) app.reloadTls?.();
  });
  const listening: ListeningMessage = { type: 'sailbucket:listening', url: app.listenUrl, banner: app.banner };
  channel.send?.(listening, undefined, undefined, () => undefined);
  return app;
}

/** Resolves once this worker should stop: SIGTERM from the primary, or the primary gone (IPC closed). */
export function workerStopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const ignore = () => undefined;
    process.on('SIGINT', ignore);
    process.on('SIGHUP', ignore);
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('disconnect', () => resolve('primary gone'));
  });
}
