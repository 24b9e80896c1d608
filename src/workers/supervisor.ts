import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../log.js';
import { isChangeMessage } from '../store/changes/IpcChangeFeed.js';
import { isListening, type LeadMessage, type ListeningMessage, type ReloadTlsMessage } from './messages.js';
import { answerMetricsRequests } from './clusterMetrics.js';

/** A worker that dies sooner than this after it was forked is replaced after RESTART_DELAY_MS, not at once. */
const EARLY_DEATH_MS = 5_000;
const RESTART_DELAY_MS = 1_000;

interface Tracked {
  worker: Worker;
  forkedAt: number;
  listening: boolean;
}

/**
 * The primary's side of `serve --workers N`: forks the workers (each runs the same `serve` command
 * line, see src/workers/worker.ts), relays each worker's cache invalidations to every other worker,
 * names one listening worker the leader (the background jobs run there) and names another when it
 * dies, replaces a worker that exits while the server runs, answers the workers' metrics requests
 * with every worker's figures, and stops them all on `stop()`.
 */
export class WorkerSupervisor {
  private readonly workers = new Map<number, Tracked>();
  private leader: number | undefined;
  private phase: 'starting' | 'running' | 'failed' | 'stopping' = 'starting';
  private onStartFailure: ((worker: Worker) => void) | undefined;
  /** The URL the first worker listens on (a replacement that got another one is reported). */
  private url: string | undefined;
  private readonly restarts = new Set<NodeJS.Timeout>();

  constructor(
    private readonly count: number,
    private readonly log: Logger,
  ) {}

  /**
   * Forks the workers and resolves with the first one's listening message once every one listens;
   * rejects when one exits before it listens (its own message is on stderr).
   */
  start(): Promise<ListeningMessage> {
    answerMetricsRequests();
    cluster.on('message', (worker, message) => this.onMessage(worker, message));
    cluster.on('exit', (worker, code, signal) => this.onExit(worker, code, signal));
    return new Promise((resolve, reject) => {
      let first: ListeningMessage | undefined;
      const onListening = (_worker: Worker, message: unknown) => {
        if (this.phase !== 'starting' || !isListening(message)) return;
        first ??= message;
        if (![...this.workers.values()].every((t) => t.listening)) return;
        this.phase = 'running';
        cluster.off('message', onListening);
        resolve(first);
      };
      this.onStartFailure = (worker) => {
        cluster.off('message', onListening);
        reject(new Error(`worker ${worker.id} exited before it listened (see its message above)`));
      };
      cluster.on('message', onListening);
      for (let i = 0; i < this.count; i++) this.fork();
    });
  }

  /** The process ids of the workers now running. */
  pids(): number[] {
    return [...this.workers.values()].flatMap((t) =>
      t.worker.process.pid === undefined ? [] : [t.worker.process.pid],
    );
  }

  /** Tells every worker to read its TLS certificate and key again. */
  reloadTls(): void {
    const message: ReloadTlsMessage = { type: 'sailbucket:reloadTls' };
    for (const t of this.workers.values()) this.send(t.worker, message);
  }

  /** SIGTERM to every worker (each stops gracefully), SIGKILL to those still running after `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    this.phase = 'stopping';
    for (const t of this.restarts) clearTimeout(t);
    this.restarts.clear();
    const exits = [...this.workers.values()].map(
      (t) =>
        new Promise<void>((resolve) => {
          if (t.worker.isDead()) return resolve();
          t.worker.once('exit', () => resolve());
          t.worker.process.kill('SIGTERM');
        }),
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), graceMs);
    });
    if ((await Promise.race([Promise.all(exits), timeout])) === 'timeout') {
      this.log.warn('workers still running after the shutdown grace period: killing them', { graceMs });
      for (const t of this.workers.values()) if (!t.worker.isDead()) t.worker.process.kill('SIGKILL');
      await Promise.all(exits);
    }
    clearTimeout(timer);
  }

  private fork(): void {
    const worker = cluster.fork();
    this.workers.set(worker.id, { worker, forkedAt: Date.now(), listening: false });
  }

  private onMessage(worker: Worker, message: unknown): void {
    if (isChangeMessage(message)) {
      for (const t of this.workers.values()) if (t.worker !== worker) this.send(t.worker, message);
      return;
    }
    if (isListening(message)) {
      const t = this.workers.get(worker.id);
      if (!t) return;
      t.listening = true;
      this.url ??= message.url;
      // Only when every worker had died, so the shared socket closed, and --port 0 picked another port.
      if (message.url !== this.url)
        this.log.error('a replacement worker listens on another port than the first workers', {
          worker: worker.id,
          url: message.url,
          expected: this.url,
        });
      this.log.info('worker listening', { worker: worker.id, pid: worker.process.pid });
      if (this.leader === undefined) this.elect();
    }
  }

  private onExit(worker: Worker, code: number | null, signal: string | null): void {
    const t = this.workers.get(worker.id);
    this.workers.delete(worker.id);
    if (this.leader === worker.id) this.leader = undefined;
    if (this.phase === 'starting') {
      this.phase = 'failed';
      this.onStartFailure?.(worker);
    }
    if (this.phase !== 'running') return;
    this.log.warn('worker exited: starting a replacement', {
      worker: worker.id,
      pid: worker.process.pid,
      code,
      signal,
    });
    if (this.leader === undefined) this.elect();
    const early = t !== undefined && Date.now() - t.forkedAt < EARLY_DEATH_MS;
    if (!early) return this.fork();
    const timer = setTimeout(() => {
      this.restarts.delete(timer);
      if (this.phase === 'running') this.fork();
    }, RESTART_DELAY_MS);
    this.restarts.add(timer);
  }

  /** Names the longest-running listening worker the leader. */
  private elect(): void {
    const next = [...this.workers.values()].find((t) => t.listening && !t.worker.isDead());
    if (!next) return;
    this.leader = next.worker.id;
    const message: LeadMessage = { type: 'sailbucket:lead', on: true };
    this.send(next.worker, message);
    this.log.info(
      'worker leads: it runs the orphan blob sweep, metric sampling, access-log delivery and lifecycle rules',
      {
        worker: next.worker.id,
      },
    );
  }

  private send(worker: Worker, message: unknown): void {
    if (!worker.isConnected()) return;
    // A callback: a channel closing under us is passed here instead of being thrown as an 'error' event.
    worker.send(message as object, undefined, () => undefined);
  }
}
