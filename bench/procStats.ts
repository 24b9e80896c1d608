/**
 * Per-process measurements from /proc: CPU time (utime + stime over all threads, in µs), peak
 * resident set (VmHWM, which `clear_refs` 5 resets so each phase gets its own peak) and a VmRSS
 * sampler as the fallback where the reset is not allowed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export interface ProcStats {
  /** True where /proc/<pid>/stat can be read (Linux). */
  readonly available: boolean;
  cpuMicros(pid: number): number;
  /** CPU of the process's main thread only (/proc/<pid>/task/<pid>/stat): the JS event loop for Node. */
  mainThreadCpuMicros(pid: number): number;
  statusKiB(pid: number, field: 'VmHWM' | 'VmRSS'): number;
  /** Resets VmHWM to the current RSS; false when the kernel refuses. */
  resetPeak(pid: number): boolean;
  /** Samples VmRSS every `everyMs` until stopped; returns the highest value seen (KiB). */
  sampleRss(pid: number, everyMs: number): { stop(): number };
}

export function clockTicksPerSecond(): number {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const n = Number(r.stdout?.trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
}

export function createProcStats(): ProcStats {
  const available = existsSync('/proc/self/stat');
  const ticks = available ? clockTicksPerSecond() : 100;
  const statusKiB = (pid: number, field: 'VmHWM' | 'VmRSS'): number => {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (!m) throw new Error(`/proc/${pid}/status has no ${field} line`);
    return Number(m[1]);
  };
  const statCpu = (file: string): number => {
    const text = readFileSync(file, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    if (!Number.isFinite(utime) || !Number.isFinite(stime))
      throw new Error(`cannot parse utime/stime from ${file}: '${text.slice(0, 120)}'`);
    return ((utime + stime) * 1_000_000) / ticks;
  };
  return {
    available,
    cpuMicros: (pid) => statCpu(`/proc/${pid}/stat`),
    mainThreadCpuMicros: (pid) => statCpu(`/proc/${pid}/task/${pid}/stat`),
    statusKiB,
    resetPeak(pid) {
      try {
        writeFileSync(`/proc/${pid}/clear_refs`, '5');
        return true;
      } catch {
        return false;
      }
    },
    sampleRss(pid, everyMs) {
      let peak = 0;
      const sample = (): void => {
        try {
          peak = Math.max(peak, statusKiB(pid, 'VmRSS'));
        } catch {
          /* process gone */
        }
      };
      sample();
      const timer = setInterval(sample, everyMs);
      timer.unref();
      return {
        stop() {
          clearInterval(timer);
          sample();
          return peak;
        },
      };
    },
  };
}
