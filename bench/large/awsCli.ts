/**
 * The AWS CLI v1 (`aws` on PATH) as a user runs it: `aws s3 cp` with its default transfer settings
 * (8 MiB multipart threshold and chunks, 10 concurrent requests). Each server gets its own shared
 * credentials file and config file (region and path-style addressing only — nothing that changes
 * the transfer settings); every other AWS_* variable of the caller's environment is left out so a
 * developer's profile cannot leak in. A copy that outlives its bound is killed with its process group.
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Credentials } from '../signer.js';

const TAIL_BYTES = 2048;

export interface AwsProfile {
  env: NodeJS.ProcessEnv;
  endpoint: string;
}

/** `aws --version`, or an error that says the CLI is missing (the measurement cannot run without it). */
export function awsVersion(): string {
  const r = spawnSync('aws', ['--version'], { encoding: 'utf8', timeout: 60_000 });
  if (r.error)
    throw new Error(
      `the AWS CLI ('aws' on PATH) is needed for this measurement and could not be run: ${(r.error as NodeJS.ErrnoException).code ?? r.error.message} (pip install awscli)`,
    );
  if (r.status !== 0) throw new Error(`'aws --version' exited with ${r.status}: ${(r.stderr ?? '').trim()}`);
  return `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
}

/** Writes the credentials and config files for one server into `dir` and returns the environment that uses them. */
export function writeAwsProfile(
  dir: string,
  server: { host: string; port: number; region: string },
  credentials: Credentials,
): AwsProfile {
  const credentialsFile = join(dir, 'credentials');
  const configFile = join(dir, 'config');
  writeFileSync(
    credentialsFile,
    `[default]\naws_access_key_id = ${credentials.accessKeyId}\naws_secret_access_key = ${credentials.secretAccessKey}\n`,
    { mode: 0o600 },
  );
  writeFileSync(configFile, `[default]\nregion = ${server.region}\ns3 =\n  addressing_style = path\n`);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  env.AWS_SHARED_CREDENTIALS_FILE = credentialsFile;
  env.AWS_CONFIG_FILE = configFile;
  env.AWS_EC2_METADATA_DISABLED = 'true';
  return { env, endpoint: `http://${server.host}:${server.port}` };
}

/** Runs `aws s3 <args> --endpoint-url …`; resolves with the wall time in seconds, rejects with the CLI's output. */
export function awsS3(profile: AwsProfile, args: string[], timeoutMs: number): Promise<number> {
  const full = ['s3', ...args, '--endpoint-url', profile.endpoint, '--no-progress'];
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('aws', full, { env: profile.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let tail = '';
    const keep = (d: string): void => {
      tail = (tail + d).slice(-TAIL_BYTES);
    };
    child.stdout.setEncoding('utf8').on('data', keep);
    child.stderr.setEncoding('utf8').on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`aws ${full.join(' ')} could not start: ${err.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const seconds = (performance.now() - t0) / 1000;
      if (timedOut) reject(new Error(`aws ${full.join(' ')} did not finish within ${timeoutMs / 1000} s (killed)`));
      else if (code !== 0)
        reject(new Error(`aws ${full.join(' ')} exited with ${code ?? signal}: ${tail.trim() || '(no output)'}`));
      else resolve(seconds);
    });
  });
}
