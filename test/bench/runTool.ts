/**
 * Runs a built bench tool (dist/bench/<name>.js) as a child process from the repo root and collects
 * its stdout and stderr together; past `limitMs` it is sent `signal`, then SIGKILL 15 s later.
 */
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export function runBenchTool(
  tool: string,
  args: string[],
  limitMs: number,
  signal: NodeJS.Signals,
): Promise<{ code: number | null; out: string }> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'bench', tool), ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const collect = (d: string) => {
      out += d;
    };
    child.stdout.setEncoding('utf8').on('data', collect);
    child.stderr.setEncoding('utf8').on('data', collect);
    const timer = setTimeout(() => {
      child.kill(signal);
      setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
    }, limitMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      done({ code, out });
    });
  });
}
