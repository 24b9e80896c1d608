import cluster from 'node:cluster';
import { tuneHeapGrowth } from './heapGrowth.js';
import type { Io } from './io.js';
import { ConfigError, parseServeOptions, SERVE_USAGE } from '../config.js';

/**
 * `sailbucket serve`: start the server, print the `sailbucket listening on URL` line first on stdout,
 * then a human-readable banner (endpoint, region, data directory, credentials; no secret),
 * log JSON lines on stderr, stop cleanly on SIGTERM/SIGINT. Bad configuration ends start-up with
 * one clear message and exit code 1, never a stack trace.
 *
 * `--workers N` (N > 1): this process becomes the primary (src/workers/primary.ts) and forks N
 * workers that run this same command; a worker (cluster.isWorker) serves and tells the primary,
 * which prints the listening line once all of them listen and relays SIGHUP to them.
 */
export async function runServe(argv: string[], io: Io): Promise<number | undefined> {
  if (argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') {
    io.stdout.write(SERVE_USAGE);
    return 0;
  }
  const fail = (message: string): number => {
    io.stderr.write(`sailbucket: ${message}\n`);
    // A worker that cannot start leaves the IPC channel, or it would keep the process alive.
    if (cluster.isWorker && process.connected) process.disconnect();
    return 1;
  };
  let app: import('../app.js').App;
  try {
    const opts = parseServeOptions(argv, io.env);
    tuneHeapGrowth(process.execArgv, io.env.NODE_OPTIONS);
    if (cluster.isWorker) {
      const { startWorker } = await import('../workers/worker.js');
      app = await startWorker(opts, { stderr: io.stderr });
      return await runWorkerUntilStopped(app);
    } else if (opts.workers > 1) {
      const { startPrimary } = await import('../workers/primary.js');
      app = await startPrimary(opts, { stderr: io.stderr });
    } else {
      const { startApp } = await import('../app.js');
      app = await startApp(opts, { stderr: io.stderr });
    }
  } catch (err) {
    if (err instanceof ConfigError) return fail(err.message);
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE')
      return fail(
        `cannot listen: address ${(e as { address?: string }).address ?? ''}:${(e as { port?: number }).port ?? ''} is already in use`,
      );
    if (e.code === 'EACCES' || e.code === 'EADDRNOTAVAIL')
      return fail(`cannot listen: ${e.code} ${e.message.replace(/^.*?: /, '')}`);
    return fail(`start-up failed: ${e.message ?? String(err)}`);
  }
  // The listening line goes out first: scripts and tests wait for exactly this line. The banner is in
  // the same write (under PIPE_BUF, so one read), so a reader that saw the first line has the banner.
  io.stdout.write(`sailbucket listening on ${app.listenUrl}\n` + app.banner.join('\n') + '\n');
  await new Promise<void>((resolve) => {
    // SIGHUP re-reads the TLS certificate and key; without TLS it keeps its default (the process ends).
    const reloadTls = app.reloadTls;
    const onHup = reloadTls ? () => reloadTls() : undefined;
    const stop = (signal: string) => {
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      if (onHup) process.off('SIGHUP', onHup);
      app.log.info('shutting down', { signal });
      app.close().then(resolve, (err: Error) => {
        app.log.error('shutdown failed', { error: err });
        resolve();
      });
    };
    const onTerm = () => stop('SIGTERM');
    const onInt = () => stop('SIGINT');
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onInt);
    if (onHup) process.on('SIGHUP', onHup);
  });
  return 0;
}

/** A worker serves until the primary stops it (or is gone), then closes and leaves the IPC channel. */
async function runWorkerUntilStopped(app: import('../app.js').App): Promise<number> {
  const { workerStopSignal } = await import('../workers/worker.js');
  const signal = await workerStopSignal();
  app.log.info('shutting down', { signal });
  try {
    await app.close();
  } catch (err) {
    app.log.error('shutdown failed', { error: err as Error });
  }
  if (process.connected) process.disconnect();
  return 0;
}
