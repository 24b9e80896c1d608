import { resolve } from 'node:path';
import type { App } from '../app.js';
import { ConfigError, type ServeOptions } from '../config.js';
import { loadIdentity, prepareDataDir } from '../identity.js';
import { createBufferedSink, createLogger } from '../log.js';
import { loadTlsFiles, TlsFileError } from '../http/tlsFiles.js';
import { buildServices, MasterKeyMismatch } from '../services.js';
import { DataDirLocked, lockDataDir, type DataDirLock } from '../store/dataDirLock.js';
import { DiskReserve } from '../store/diskReserve.js';
import { dataDirBackends, openBlobStore, openMetadataStore } from '../store/factory.js';
import { WorkerSupervisor } from './supervisor.js';

/** Workers get this long to finish their requests and stop (their own grace is 10 s) before SIGKILL. */
const WORKER_STOP_GRACE_MS = 15_000;

/**
 * The primary of `serve --workers N` on the embedded store: takes the data directory's exclusive
 * lock (held for every worker until it stops), does the start-up work once (migrations, the
 * operator account, the master key check, temporary files of interrupted writes, generated
 * identity files), then forks the workers (src/workers/supervisor.ts) and answers, like startApp,
 * once every worker listens. It serves no request itself.
 */
export async function startPrimary(opts: ServeOptions, io: { stderr: NodeJS.WritableStream }): Promise<App> {
  const sink = createBufferedSink(io.stderr);
  process.on('exit', sink.flush);
  const log = createLogger(sink, opts.logLevel, { worker: 'primary' });
  const fail = (err: unknown): never => {
    lock?.release();
    sink.flush();
    process.off('exit', sink.flush);
    if (err instanceof DataDirLocked || err instanceof TlsFileError) throw new ConfigError(err.message);
    if (err instanceof MasterKeyMismatch) throw new ConfigError(err.message);
    throw err;
  };
  let lock: DataDirLock | undefined;
  let identity: ReturnType<typeof loadIdentity>;
  const tls = opts.tlsCertFile !== undefined && opts.tlsKeyFile !== undefined;
  try {
    // A bad certificate stops start-up here, before the data directory is touched (as without workers).
    if (tls) loadTlsFiles({ certFile: resolve(opts.tlsCertFile!), keyFile: resolve(opts.tlsKeyFile!) });
    process.umask(0o077);
    const dataDir = resolve(opts.dataDir);
    prepareDataDir(dataDir);
    lock = lockDataDir(dataDir);
    new DiskReserve(dataDir, log).init();
    identity = loadIdentity(opts);
    await prepareOnce(opts, identity, log);
    identity.persist();
  } catch (err) {
    return fail(err);
  }
  const supervisor = new WorkerSupervisor(opts.workers, log);
  let first;
  try {
    first = await supervisor.start();
  } catch (err) {
    await supervisor.stop(WORKER_STOP_GRACE_MS);
    return fail(err);
  }
  if (identity.generatedCredentialsFile)
    log.info('generated account root credentials', {
      credentialsFile: identity.generatedCredentialsFile,
      profile: 'sailbucket',
    });
  log.info('started', { url: first.url, workers: opts.workers, pids: supervisor.pids() });
  const held = lock;
  return {
    listenUrl: first.url,
    banner: [
      ...first.banner,
      `  workers:                 ${opts.workers} processes sharing the port (primary PID ${process.pid})`,
    ],
    log,
    ...(tls ? { reloadTls: () => supervisor.reloadTls() } : {}),
    async close() {
      await supervisor.stop(WORKER_STOP_GRACE_MS);
      held.release();
      log.info('stopped');
      sink.flush();
      process.off('exit', sink.flush);
    },
  };
}

/** Opens the stores once (migrating the schema) and runs the start-up checks every server runs. */
async function prepareOnce(
  opts: ServeOptions,
  identity: ReturnType<typeof loadIdentity>,
  log: ReturnType<typeof createLogger>,
): Promise<void> {
  const backends = dataDirBackends(identity.dataDir);
  const store = openMetadataStore(backends.metadata);
  try {
    const services = await buildServices({
      opts,
      identity,
      store,
      blobs: openBlobStore(backends.blobs),
      log,
      publicUrl: () => '',
    });
    try {
      await services.prepare();
    } finally {
      await services.stop();
    }
  } finally {
    await store.close();
  }
}
