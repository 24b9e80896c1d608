/**
 * Runs the BUILT CLI (`node bin/sailbucket.js ...`) as a subprocess with a clean environment:
 * HOME is a fresh temp dir (no ~/.aws of the machine leaks in) and no AWS_* variable is
 * inherited unless a test passes it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from '../helpers/server.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunOptions {
  env?: Record<string, string>;
  cwd?: string;
  timeoutMs?: number;
}

export function cleanEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith('AWS_') && !k.startsWith('SAILBUCKET_')) env[k] = v;
  return { ...env, HOME: home, AWS_EC2_METADATA_DISABLED: 'true', ...extra };
}

export function makeHome(): { home: string; cleanup(): void } {
  const home = mkdtempSync(join(tmpdir(), 'sb-cli-home-'));
  return { home, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

export function runSailbucket(args: string[], o: RunOptions & { home: string }): Promise<RunResult> {
  const started = Date.now();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: o.cwd ?? o.home,
      env: cleanEnv(o.home, o.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(
        new Error(`sailbucket ${args.join(' ')} did not finish within ${o.timeoutMs ?? 30_000} ms; stderr: ${stderr}`),
      );
    }, o.timeoutMs ?? 30_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      fail(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code: code ?? -1, stdout, stderr, ms: Date.now() - started });
    });
  });
}
