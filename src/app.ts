/**
 * The composition root: configuration → stores → domain services → wire protocols → listener.
 * Nothing else in the code base picks a backend or holds process-wide state.
 */
import type { Server } from 'node:http';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startupBanner } from './banner.js';
import { ConfigError, type ServeOptions } from './config.js';
import { loadIdentity, prepareDataDir, type Identity } from './identity.js';
import { DataDirLocked, lockDataDir, type DataDirLock } from './store/dataDirLock.js';
import { DiskReserve } from './store/diskReserve.js';
import type { MetadataStore } from './domain/ports/MetadataStore.js';
import { createBufferedSink, createLogger, type Logger } from './log.js';
import { closeHttpServer, createHttpServer } from './http/server.js';
import { dataDirBackends, openBlobStore, openMetadataStore } from './store/factory.js';
import { buildServices, type Services } from './services.js';
import { createControlPlaneFor, createS3PlaneFor } from './planes.js';
import { createConsoleRoutes } from './http/console/route.js';
import { virtualHostBucket } from './s3/router.js';

export interface App {
  /** http://HOST:PORT actually bound (the real port when --port 0). */
  listenUrl: string;
  /** Human-readable start-up lines printed after the listening line (no secrets). */
  banner: string[];
  log: Logger;
  close(): Promise<void>;
}

const SHUTDOWN_GRACE_MS = 10_000;

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}

const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

export async function startApp(opts: ServeOptions, io: { stderr: NodeJS.WritableStream }): Promise<App> {
  // Log lines are written once per event-loop turn; held lines go out on close and before the process exits.
  const sink = createBufferedSink(io.stderr);
  process.on('exit', sink.flush);
  const log = createLogger(sink, opts.logLevel);
  // Every file and directory this server creates is private to its user (0600/0700).
  process.umask(0o077);
  const dataDir = resolve(opts.dataDir);
  prepareDataDir(dataDir);
  let lock: DataDirLock;
  try {
    lock = lockDataDir(dataDir);
  } catch (err) {
    sink.flush();
    process.off('exit', sink.flush);
    if (err instanceof DataDirLocked) throw new ConfigError(err.message);
    throw err;
  }
  const reserve = new DiskReserve(dataDir, log);
  let identity: Identity;
  let store: MetadataStore;
  let backends: ReturnType<typeof dataDirBackends>;
  try {
    reserve.init();
    identity = loadIdentity(opts);
    backends = dataDirBackends(identity.dataDir);
    store = openMetadataStore(backends.metadata, { reserve });
  } catch (err) {
    lock.release();
    sink.flush();
    process.off('exit', sink.flush);
    throw err;
  }
  let publicUrl = opts.publicUrl?.replace(/\/+$/, '') ?? '';
  let services: Services | undefined;
  try {
    services = await buildServices({
      opts,
      identity,
      store,
      blobs: openBlobStore(backends.blobs, { reserve }),
      log,
      publicUrl: () => publicUrl,
    });
    const server = createHttpServer({
      log,
      limits: {
        bodyIdleTimeoutMs: opts.bodyIdleTimeoutSeconds * 1000,
        maxConnections: opts.maxConnections,
        unauthenticatedBytes: opts.unauthenticatedBudgetMiB * 1024 * 1024,
      },
      controlPlane: createControlPlaneFor(services),
      s3: createS3PlaneFor(services),
      console: createConsoleRoutes({
        isBucketHost: (host) => virtualHostBucket(host, opts.baseDomains) !== undefined,
      }),
    });
    await services.prepare();
    const port = await listen(server, opts.host, opts.port);
    try {
      identity.persist();
    } catch (err) {
      await closeHttpServer(server, 0).catch(() => undefined);
      throw err;
    }
    const listenUrl = `http://${urlHost(opts.host)}:${port}`;
    if (publicUrl === '') publicUrl = listenUrl;
    services.start();
    if (identity.generatedCredentialsFile) {
      log.info('generated account root credentials', {
        credentialsFile: identity.generatedCredentialsFile,
        profile: 'sailbucket',
        usage: `AWS_SHARED_CREDENTIALS_FILE=${identity.generatedCredentialsFile} AWS_PROFILE=sailbucket aws lightsail get-buckets --endpoint-url ${publicUrl} --region ${opts.region}`,
        cli: `AWS_SHARED_CREDENTIALS_FILE=${identity.generatedCredentialsFile} AWS_PROFILE=sailbucket sailbucket get-buckets --endpoint-url ${publicUrl} --region ${opts.region}`,
      });
    }
    log.info('started', {
      url: listenUrl,
      publicUrl,
      dataDir: identity.dataDir,
      region: opts.region,
      accountId: identity.accountId,
    });
    const running = services;
    const credentialsFile = join(identity.dataDir, 'credentials');
    const banner = startupBanner({
      endpoint: publicUrl,
      region: opts.region,
      dataDir: identity.dataDir,
      accountId: identity.accountId,
      rootFromEnv: opts.rootAccessKeyId !== undefined,
      credentialsFile: existsSync(credentialsFile) ? credentialsFile : undefined,
      baseDomains: opts.baseDomains,
    });
    return {
      listenUrl,
      banner,
      log,
      async close() {
        await closeHttpServer(server, SHUTDOWN_GRACE_MS);
        await running.stop();
        await store.close();
        lock.release();
        log.info('stopped');
        sink.flush();
        process.off('exit', sink.flush);
      },
    };
  } catch (err) {
    await services?.stop().catch(() => undefined);
    await store.close().catch(() => undefined);
    lock.release();
    sink.flush();
    process.off('exit', sink.flush);
    throw err;
  }
}
