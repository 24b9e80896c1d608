/**
 * The admin socket: `<data-dir>/admin.sock`, a unix socket the running server listens on so that
 * `sailbucket backup|verify|rotate-master-key --data-dir D` can ask it to do work that needs the
 * server's own stores (the data directory is locked by the server). Access is the file system's: the
 * socket is created under the server's umask 077 in the 0700 data directory, so only the server's
 * user (and root) can connect — the same people who can read the data directory anyway.
 *
 * Protocol (newline-delimited JSON): the client sends one request line
 * `{"task":"backup","to":"/abs/dir"}`, `{"task":"verify"}` or `{"task":"rotate-master-key"}`; the
 * server answers with any number of `{"progress":"..."}` lines and one final `{"result":{...}}` or
 * `{"error":"..."}` line, then closes. One task at a time; a request line is at most 64 KiB.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log.js';
import type { AdminContext, TaskOutput, TaskResult } from './context.js';
import { runTask, type TaskRequest } from './tasks.js';

export const ADMIN_SOCKET = 'admin.sock';
const MAX_REQUEST = 64 * 1024;
/** Unix socket paths longer than this do not fit sockaddr_un on Linux and macOS. */
const MAX_SOCKET_PATH = 103;

export function adminSocketPath(dataDir: string): string {
  return join(dataDir, ADMIN_SOCKET);
}

export interface AdminSocket {
  close(): Promise<void>;
}

function parseRequest(line: string): TaskRequest {
  const v: unknown = JSON.parse(line);
  if (typeof v !== 'object' || v === null) throw new Error('the request is not a JSON object');
  const r = v as Record<string, unknown>;
  if (r.task === 'verify' || r.task === 'rotate-master-key') return { task: r.task };
  if (r.task === 'backup' && typeof r.to === 'string' && r.to.startsWith('/')) return { task: 'backup', to: r.to };
  throw new Error('unknown task or missing absolute "to"');
}

/** Starts the admin socket (the caller holds the data-directory lock, so a leftover socket file is stale). */
export async function startAdminSocket(ctx: AdminContext, log: Logger): Promise<AdminSocket | undefined> {
  const path = adminSocketPath(ctx.dataDir);
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH) {
    log.warn(
      'admin socket not started: its path is too long for a unix socket; backup, verify and rotate-master-key need the server stopped',
      { path },
    );
    return undefined;
  }
  try {
    unlinkSync(path);
  } catch {
    /* none left over */
  }
  let busy = false;
  const open = new Set<Socket>();
  const server: Server = createServer((sock: Socket) => {
    open.add(sock);
    sock.on('close', () => open.delete(sock));
    let buf = '';
    sock.setEncoding('utf8');
    const send = (obj: object) => {
      if (!sock.destroyed) sock.write(JSON.stringify(obj) + '\n');
    };
    sock.on('error', () => undefined);
    sock.on('data', (d: string) => {
      if (buf === undefined) return;
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl < 0) {
        if (buf.length > MAX_REQUEST) sock.destroy();
        return;
      }
      const line = buf.slice(0, nl);
      buf = '';
      sock.removeAllListeners('data');
      let req: TaskRequest;
      try {
        req = parseRequest(line);
      } catch (err) {
        send({ error: `bad admin request: ${(err as Error).message}` });
        sock.end();
        return;
      }
      if (busy) {
        send({
          error: 'another backup, verify or rotate-master-key is running on this server; try again when it is done',
        });
        sock.end();
        return;
      }
      busy = true;
      log.info('admin task started', { task: req.task });
      const out: TaskOutput = { progress: (line) => send({ progress: line }) };
      runTask(ctx, req, out).then(
        (result: TaskResult) => {
          busy = false;
          log.info('admin task finished', { task: req.task, problems: result.problems });
          send({ result });
          sock.end();
        },
        (err: unknown) => {
          busy = false;
          const message = err instanceof Error ? err.message : String(err);
          log.warn('admin task failed', { task: req.task, message });
          send({ error: message });
          sock.end();
        },
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => log.warn('admin socket error', { err }));
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // a task still running is cut off: its client sees the socket close without an answer
        for (const sock of open) sock.destroy();
        try {
          unlinkSync(path);
        } catch {
          /* already gone */
        }
      }),
  };
}

/** What askServer got: the server's answer, or that no server listens on the socket. */
export type AskOutcome = { kind: 'no-server' } | { kind: 'done'; result: TaskResult };

/**
 * Sends a task to the server listening on `<data-dir>/admin.sock`, passing progress lines on;
 * `no-server` when nothing listens there. Rejects with the server's error message.
 */
export function askServer(dataDir: string, req: TaskRequest, out: TaskOutput): Promise<AskOutcome> {
  return new Promise((resolve, reject) => {
    const sock = createConnection(adminSocketPath(dataDir));
    let buf = '';
    let settled = false;
    let connected = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      f();
      sock.destroy();
    };
    sock.setEncoding('utf8');
    sock.on('connect', () => {
      connected = true;
      sock.write(JSON.stringify(req) + '\n');
    });
    sock.on('data', (d: string) => {
      buf += d;
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        let m: { progress?: unknown; result?: TaskResult; error?: unknown };
        try {
          m = JSON.parse(line) as typeof m;
        } catch {
          finish(() => reject(new Error('the server sent a malformed admin answer')));
          return;
        }
        if (typeof m.progress === 'string') out.progress(m.progress);
        else if (typeof m.error === 'string') {
          const message = m.error;
          finish(() => reject(new Error(message)));
        } else if (m.result) {
          const result = m.result;
          finish(() => resolve({ kind: 'done', result }));
        }
      }
    });
    sock.on('error', (err: NodeJS.ErrnoException) => {
      if (!connected && (err.code === 'ENOENT' || err.code === 'ECONNREFUSED'))
        finish(() => resolve({ kind: 'no-server' }));
      else finish(() => reject(new Error(`admin socket ${adminSocketPath(dataDir)}: ${err.code ?? err.message}`)));
    });
    sock.on('close', () => finish(() => reject(new Error('the server closed the admin socket before answering'))));
  });
}
