import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { BIN, REPO_ROOT, startServer } from '../helpers/server.js';

const cleanEnv = (): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('SAILBUCKET_')) delete env[k];
  return env;
};

/** Runs `sailbucket serve` expecting it to fail at start-up; returns exit code and stderr. */
function serveFails(
  args: string[],
  env: NodeJS.ProcessEnv = cleanEnv(),
): { status: number | null; stderr: string; stdout: string } {
  const r = spawnSync(process.execPath, [BIN, 'serve', ...args], {
    cwd: REPO_ROOT,
    env,
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

function assertCleanFailure(r: { status: number | null; stderr: string; stdout: string }, message: RegExp): void {
  assert.notEqual(r.status, 0);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, message);
  assert.equal(r.stderr.trim().split('\n').length, 1, `one line, got: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
}

test('bad configuration ends start-up with one clear message and a non-zero exit', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-serve-'));
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  const busyPort = (blocker.address() as { port: number }).port;
  try {
    assertCleanFailure(serveFails(['--port', String(busyPort), '--data-dir', dir]), /already in use/);
    assertCleanFailure(
      serveFails(['--data-dir', '/proc/sailbucket-no']),
      /data directory '\/proc\/sailbucket-no' is not writable/,
    );
    assertCleanFailure(
      serveFails(['--data-dir', dir, '--port', '0'], {
        ...cleanEnv(),
        SAILBUCKET_ROOT_ACCESS_KEY_ID: 'not valid',
        SAILBUCKET_ROOT_SECRET_ACCESS_KEY: 'x'.repeat(40),
      }),
      /malformed SAILBUCKET_ROOT_ACCESS_KEY_ID/,
    );
    assertCleanFailure(serveFails(['--port', 'eighty']), /invalid port 'eighty'/);
  } finally {
    blocker.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('first start: one listening line, generated credentials file, JSON logs, health, graceful SIGTERM with a request in flight', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-serve-'));
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dir], {
    cwd: REPO_ROOT,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    const endpoint = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no listening line; stderr: ${err}`)), 20_000);
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const m = /^sailbucket listening on (http:\/\/127\.0\.0\.1:(\d+))\n/.exec(out);
        if (m) {
          clearTimeout(t);
          resolve(m[1]);
        }
      });
    });
    assert.notEqual(new URL(endpoint).port, '0');

    const health = await fetch(`${endpoint}/-/health`);
    assert.equal(health.status, 200);

    const credsPath = join(dir, 'credentials');
    assert.equal(statSync(credsPath).mode & 0o777, 0o600);
    const creds = readFileSync(credsPath, 'utf8');
    const accessKeyId = /aws_access_key_id = (\S+)/.exec(creds)![1];
    const secretAccessKey = /aws_secret_access_key = (\S+)/.exec(creds)![1];

    // A signed control-plane request whose body arrives after SIGTERM still completes.
    const body = JSON.stringify({});
    const signer = new SignatureV4({
      service: 'lightsail',
      region: 'us-east-1',
      credentials: { accessKeyId, secretAccessKey },
      sha256: Sha256,
    });
    const u = new URL(endpoint);
    const signed = await signer.sign({
      method: 'POST',
      protocol: 'http:',
      hostname: u.hostname,
      port: Number(u.port),
      path: '/',
      headers: {
        host: u.host,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'Lightsail_20161128.GetBuckets',
        'content-length': String(body.length),
      },
      body,
    });
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        {
          host: u.hostname,
          port: u.port,
          method: 'POST',
          path: '/',
          headers: { ...signed.headers, expect: '100-continue' },
        },
        (res) => {
          let text = '';
          res
            .setEncoding('utf8')
            .on('data', (d: string) => {
              text += d;
            })
            .on('end', () => resolve({ status: res.statusCode!, text }));
        },
      );
      req.on('error', reject);
      // 100 Continue: the server has the request in hand. Then SIGTERM, and the rest of the body
      // only once the server has logged that it is shutting down.
      req.on('continue', () => {
        req.write(body.slice(0, 1));
        const from = err.length;
        const onData = () => {
          if (!err.slice(from).includes('"msg":"shutting down"')) return;
          child.stderr.off('data', onData);
          req.end(body.slice(1));
        };
        child.stderr.on('data', onData);
        child.kill('SIGTERM');
      });
      req.flushHeaders();
    });
    const r = await response;
    assert.equal(r.status, 200, r.text);
    assert.ok(Array.isArray(JSON.parse(r.text).buckets));
    assert.equal(await exited, 0);

    const outLines = out.trimEnd().split('\n');
    assert.equal(outLines[0], `sailbucket listening on ${endpoint}`, 'the listening line comes first');
    assert.ok(outLines.includes(`  S3 + Lightsail endpoint: ${endpoint}`), out);
    assert.ok(outLines.includes(`  web console:             ${endpoint}/-/console/`), out);
    assert.ok(outLines.includes(`  region:                  us-east-1`), out);
    assert.ok(outLines.includes(`  data directory:          ${dir}`), out);
    assert.ok(outLines.includes(`  operator credentials:    ${credsPath} (profile sailbucket)`), out);
    assert.ok(outLines.includes(`  export AWS_SHARED_CREDENTIALS_FILE=${credsPath} AWS_PROFILE=sailbucket`), out);
    assert.ok(outLines.includes(`  aws lightsail get-buckets --endpoint-url ${endpoint} --region us-east-1`), out);
    assert.ok(!out.includes(secretAccessKey), 'the root secret is never printed');
    const lines = err.trim().split('\n');
    for (const line of lines) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      assert.ok(typeof entry.level === 'string' && typeof entry.msg === 'string', line);
    }
    const requestLogs = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.msg === 'request');
    assert.ok(requestLogs.length >= 2);
    for (const e of requestLogs) assert.match(String(e.requestId), /^[0-9A-F]{16}$/);
    assert.ok(
      lines.some((l) => l.includes('generated account root credentials') && l.includes('AWS_PROFILE=sailbucket')),
    );
    assert.ok(!err.includes(secretAccessKey), 'the root secret is never logged');
    assert.ok(!/AWS4-HMAC-SHA256 Credential/.test(err), 'no Authorization header in logs');
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('temp files of writes cut short by a crash are gone before the server listens', async () => {
  const { startServer } = await import('../helpers/server.js');
  const { mkdirSync, writeFileSync, readdirSync } = await import('node:fs');
  const dir = mkdtempSync(join(tmpdir(), 'sb-serve-'));
  const tmp = join(dir, 'blobs', 'tmp');
  mkdirSync(tmp, { recursive: true });
  writeFileSync(join(tmp, 'interrupted-upload'), 'half a body');
  const server = await startServer({ dataDir: dir });
  try {
    assert.deepEqual(readdirSync(tmp), []);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('start-up banner with root credentials from the environment: names the variables, never the secret', async () => {
  const server = await startServer();
  try {
    const out = server.stdout();
    const lines = out.trimEnd().split('\n');
    assert.equal(lines[0], `sailbucket listening on ${server.endpoint}`);
    assert.ok(
      lines.includes(
        '  operator credentials:    from SAILBUCKET_ROOT_ACCESS_KEY_ID / SAILBUCKET_ROOT_SECRET_ACCESS_KEY',
      ),
      out,
    );
    assert.ok(lines.includes(`  aws lightsail get-buckets --endpoint-url ${server.endpoint} --region us-east-1`), out);
    assert.ok(!out.includes('AWS_SHARED_CREDENTIALS_FILE'), 'no credentials file to point to');
    assert.ok(!out.includes(server.credentials.secretAccessKey), 'secret absent from stdout');
    assert.ok(!server.stderr().includes(server.credentials.secretAccessKey), 'secret absent from stderr');
  } finally {
    await server.stop();
  }
});
