/** Runs `sailbucket backup|verify|rotate-master-key` (the built CLI) as a subprocess, bounded in time. */
import { spawn } from 'node:child_process';
import { BIN } from '../helpers/server.js';

export interface AdminRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function sailbucket(args: string[], env: Record<string, string> = {}, timeoutMs = 120_000): Promise<AdminRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, SAILBUCKET_MASTER_KEY: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sailbucket ${args.join(' ')} did not finish within ${timeoutMs} ms; stderr:\n${stderr}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
