import { closeFile, fsyncFile, openFile } from './fsPromised.js';

/**
 * fsync of directories through descriptors kept open (one per fan-out directory, a fixed and
 * small set), with group commit: a sync asked for while one runs waits for the next one, and
 * every caller waiting for that next one shares it. A rename is durable once a sync that
 * started after it has finished, which is what each caller gets.
 */
export class DirSyncer {
  private readonly dirs = new Map<string, DirState>();

  sync(dir: string): Promise<void> {
    let s = this.dirs.get(dir);
    if (!s) {
      s = new DirState(openFile(dir, 'r'));
      this.dirs.set(dir, s);
      s.fd.catch(() => this.dirs.delete(dir));
    }
    return s.sync();
  }

  async close(): Promise<void> {
    const states = [...this.dirs.values()];
    this.dirs.clear();
    for (const s of states) {
      await s.idle();
      const fd = await s.fd.catch(() => undefined);
      if (fd !== undefined) await closeFile(fd).catch(() => undefined);
    }
  }
}

const noop = () => undefined;

class DirState {
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(readonly fd: Promise<number>) {}

  sync(): Promise<void> {
    if (this.queued) return this.queued;
    if (this.running) {
      this.queued = this.running.then(noop, noop).then(() => {
        this.queued = undefined;
        return this.start();
      });
      return this.queued;
    }
    return this.start();
  }

  async idle(): Promise<void> {
    await this.queued?.catch(noop);
    await this.running?.catch(noop);
  }

  private start(): Promise<void> {
    const p = this.fd.then(fsyncFile);
    this.running = p;
    const clear = () => {
      if (this.running === p) this.running = undefined;
    };
    p.then(clear, clear);
    return p;
  }
}
