/**
 * Spawns a server process (through taskset when pinning), waits for its "listening" line on
 * stdout or stderr, keeps the last few KiB of its output for error messages, and stops it
 * (SIGTERM, then SIGKILL after a grace period).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { StartContext } from './types.js';

export interface SpawnedServer {
  child: ChildProcess;
  pid: number;
  match: RegExpExecArray;
  tail(): string;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  label: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd: string;
  ready: RegExp;
  timeoutMs: number;
}

const TAIL_BYTES = 4096;

function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((done) => {
    const t = setTimeout(() => {
      child.off('exit', onExit);
      done(false);
    }, ms);
    const onExit = (): void => {
      clearTimeout(t);
      done(true);
    };
    child.once('exit', onExit);
  });
}

export async function spawnServer(opts: SpawnOptions, ctx: StartContext): Promise<SpawnedServer> {
  const pinned = ctx.tasksetPath !== undefined && ctx.cpu !== undefined;
  const command = pinned ? ctx.tasksetPath! : opts.command;
  const args = pinned ? ['-c', ctx.cpu!, opts.command, ...opts.args] : opts.args;
  const child = spawn(command, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  let scan = '';
  const keep = (d: string): void => {
    tail = (tail + d).slice(-TAIL_BYTES);
  };
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${opts.label} did not print its listening line within ${opts.timeoutMs} ms; output:\n${tail}`));
    }, opts.timeoutMs);
    const look = (d: string): void => {
      keep(d);
      scan += d;
      const m = opts.ready.exec(scan);
      if (m) {
        clearTimeout(timer);
        scan = '';
        opts.ready.lastIndex = 0;
        resolve(m);
      }
    };
    child.stdout.setEncoding('utf8').on('data', look);
    child.stderr.setEncoding('utf8').on('data', look);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`${opts.label} could not start (${command}): ${err.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${opts.label} exited before listening (code ${code}, signal ${signal}); output:\n${tail}`));
    });
  });
  // After start-up only the tail is kept (the streams must still be drained).
  child.stdout.removeAllListeners('data').on('data', keep);
  child.stderr.removeAllListeners('data').on('data', keep);
  if (child.pid === undefined) throw new Error(`${opts.label} has no pid`);
  return {
    child,
    pid: child.pid,
    match,
    tail: () => tail,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      if (!(await exited(child, 10_000))) {
        child.kill('SIGKILL');
        await exited(child, 5_000);
      }
    },
  };
}

/** A free TCP port on 127.0.0.1 (for servers that cannot listen on port 0 and report it). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}
