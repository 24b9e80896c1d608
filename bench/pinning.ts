/**
 * Pins the harness (all its threads) to CPU 0 and gives the servers the other CPUs, where taskset
 * exists and the machine has at least two CPUs. Returns what was done, or why not.
 */
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';

export interface Pinning {
  tasksetPath?: string;
  serverCpus?: string;
  description: { client: string; servers: string } | { off: string };
}

function findTaskset(): string | undefined {
  const r = spawnSync('sh', ['-c', 'command -v taskset'], { encoding: 'utf8' });
  const path = r.stdout?.trim();
  return r.status === 0 && path ? path : undefined;
}

export function pinClient(enabled: boolean): Pinning {
  if (!enabled) return { description: { off: 'disabled with --no-pin' } };
  const n = cpus().length;
  if (n < 2) return { description: { off: `only ${n} CPU` } };
  const taskset = findTaskset();
  if (!taskset) return { description: { off: 'taskset is not installed' } };
  const r = spawnSync(taskset, ['-a', '-p', '-c', '0', String(process.pid)], { encoding: 'utf8' });
  if (r.status !== 0) return { description: { off: `taskset refused to pin the harness: ${(r.stderr ?? '').trim()}` } };
  const serverCpus = n === 2 ? '1' : `1-${n - 1}`;
  return { tasksetPath: taskset, serverCpus, description: { client: '0', servers: serverCpus } };
}
