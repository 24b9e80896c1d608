/**
 * The composition root: configuration → stores → domain services → wire protocols → listener.
 * Nothing else in the code base picks a backend or holds process-wide state.
 */
import type { Server } from 'node:http';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startupBanner } from './banner.js';
import type { ServeOptions } from './config.js';
import { loadIdentity } from './identity.js';
import { createBufferedSink, createLogger, type Logger } from './log.js';
import { closeHttpServer, createHttpServer } from './http/server.js';
import { SqliteMetadataStore } from './store/metadata/sqlite/SqliteMetadataStore.js';
import { buildServices, type Services } from './services.js';
import { createControlPlaneFor, createS3PlaneFor } from './planes.js';

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
  const sink = createBufferedSink(io.stderr as unknown as { write(s: string): unknown });
  process.on('exit', sink.flush);
  const log = createLogger(sink, opts.logLevel);
  const identity = loadIdentity(opts);
  const store = new SqliteMetadataStore({ path: join(identity.dataDir, 'metadata.db') });
  let publicUrl = opts.publicUrl?.replace(/\/+$/, '') ?? '';
  let services: Services | undefined;
  try {
    services = await buildServices({ opts, identity, store, log, publicUrl: () => publicUrl });
    const server = createHttpServer({
      log,
      controlPlane: createControlPlaneFor(services),
      s3: createS3PlaneFor(services),
    });
    await services.prepare();
    const port = await listen(server, opts.host, opts.port);
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
        log.info('stopped');
        sink.flush();
        process.off('exit', sink.flush);
      },
    };
  } catch (err) {
    await services?.stop().catch(() => undefined);
    await store.close().catch(() => undefined);
    sink.flush();
    process.off('exit', sink.flush);
    throw err;
  }
}
