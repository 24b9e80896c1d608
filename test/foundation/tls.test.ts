/**
 * TLS built in: `--tls-cert`/`--tls-key` make the one listener HTTPS (plain HTTP off), against a
 * certificate this test makes with openssl. Real clients: the AWS CLI (`--ca-bundle`), boto3
 * (`verify=`), the JS SDKs (an https agent with `ca`), the `sailbucket` CLI (AWS_CA_BUNDLE). SIGHUP
 * re-reads the files without dropping an open keep-alive connection; a bad file at start is a
 * clear error, on SIGHUP a warning that keeps the old certificate. The `sailbucket` CLI names a
 * scheme that does not match the port.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest, Agent } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketAccessKeyCommand, CreateBucketCommand, LightsailClient } from '@aws-sdk/client-lightsail';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BIN, REPO_ROOT, startServer, uniqueBucketName, type TestServer } from '../helpers/server.js';
import { makeCertificate } from '../helpers/tls.js';
import { bodyBytes, REGION } from '../s3/clientsHarness.js';
import { awsEnv, runProcess } from '../s3/clientsProcess.js';
import { cleanEnv, makeHome, runSailbucket } from '../cli/runSailbucket.js';

let dir: string;
let certFile: string;
let keyFile: string;
let server: TestServer;

/** Replaces a file the way certbot does it: a new file renamed over the old one. */
function replaceFile(path: string, content: Buffer | string): void {
  writeFileSync(`${path}.new`, content);
  renameSync(`${path}.new`, path);
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sb-tls-'));
  certFile = join(dir, 'cert.pem');
  keyFile = join(dir, 'key.pem');
  makeCertificate('first.sailbucket.test', certFile, keyFile);
  server = await startServer({ args: ['--tls-cert', certFile, '--tls-key', keyFile] });
});
after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('the one listener speaks HTTPS: first line, banner, plain HTTP refused', async () => {
  assert.match(server.endpoint, /^https:\/\/127\.0\.0\.1:\d+$/);
  const out = server.stdout().split('\n');
  assert.equal(out[0], `sailbucket listening on ${server.endpoint}`);
  assert.ok(out.includes(`  S3 + Lightsail endpoint: ${server.endpoint}`), server.stdout());
  assert.ok(
    out.some((l) => l.startsWith(`  TLS certificate:         ${certFile} (valid until `) && l.includes('self-signed')),
  );
  assert.ok(out.some((l) => l.includes('aws lightsail get-buckets') && l.includes(`--ca-bundle ${certFile}`)));
  const plain = server.endpoint.replace('https:', 'http:');
  await assert.rejects(fetch(`${plain}/-/health`), 'plain HTTP gets no answer on the TLS port');
  const started = server
    .stderr()
    .split('\n')
    .find((l) => l.includes('"msg":"started"'));
  assert.ok(started?.includes('"selfSigned":true') && started.includes('CN=first.sailbucket.test'), started);
});

test('JS SDKs (https agent with ca), AWS CLI (--ca-bundle) and boto3 (verify=) work over TLS', async () => {
  const ca = readFileSync(certFile);
  const requestHandler = { httpsAgent: new Agent({ ca }) };
  const ls = new LightsailClient({
    endpoint: server.endpoint,
    region: REGION,
    credentials: server.credentials,
    requestHandler,
  });
  const bucket = uniqueBucketName('tls');
  let s3: S3Client | undefined;
  const home = mkdtempSync(join(tmpdir(), 'sb-tls-home-'));
  try {
    await ls.send(new CreateBucketCommand({ bucketName: bucket, bundleId: 'small_1_0' }));
    const made = await ls.send(new CreateBucketAccessKeyCommand({ bucketName: bucket }));
    const key = { accessKeyId: made.accessKey!.accessKeyId!, secretAccessKey: made.accessKey!.secretAccessKey! };
    s3 = new S3Client({ endpoint: server.endpoint, region: REGION, credentials: key, requestHandler });
    const body = randomBytes(200_000);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'sdk.bin', Body: body }));
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'sdk.bin' }));
    assert.ok((await bodyBytes(got.Body)).equals(body));

    // The AWS CLI: without the CA bundle the certificate is refused; with it everything works.
    const rootEnv = awsEnv(server.credentials, home);
    const common = ['--endpoint-url', server.endpoint, '--region', REGION];
    const untrusted = await runProcess('aws', ['lightsail', 'get-buckets', ...common], { env: rootEnv });
    assert.notEqual(untrusted.code, 0);
    assert.match(untrusted.stderr, /SSL validation failed|CERTIFICATE_VERIFY_FAILED/);
    const buckets = await runProcess('aws', ['lightsail', 'get-buckets', ...common, '--ca-bundle', certFile], {
      env: rootEnv,
    });
    assert.equal(buckets.code, 0, buckets.stderr);
    assert.ok((JSON.parse(buckets.stdout) as { buckets: { name: string }[] }).buckets.some((b) => b.name === bucket));
    const src = join(home, 'cli.bin');
    writeFileSync(src, randomBytes(100_000));
    const keyEnv = awsEnv(key, home);
    const up = await runProcess(
      'aws',
      ['s3', 'cp', src, `s3://${bucket}/cli.bin`, ...common, '--ca-bundle', certFile],
      {
        env: keyEnv,
      },
    );
    assert.equal(up.code, 0, up.stderr);
    const back = join(home, 'cli.back');
    const down = await runProcess(
      'aws',
      ['s3', 'cp', `s3://${bucket}/cli.bin`, back, ...common, '--ca-bundle', certFile],
      { env: { ...keyEnv } },
    );
    assert.equal(down.code, 0, down.stderr);
    assert.ok(readFileSync(back).equals(readFileSync(src)));

    // boto3: verify=<the certificate> works, verify=True (the system CAs) is refused.
    const script = `
import sys, boto3, botocore.exceptions
endpoint, bucket, cert = sys.argv[1:4]
s3 = boto3.client('s3', endpoint_url=endpoint, region_name='us-east-1', verify=cert)
s3.put_object(Bucket=bucket, Key='boto3.txt', Body=b'over tls')
assert s3.get_object(Bucket=bucket, Key='boto3.txt')['Body'].read() == b'over tls'
assert s3.get_object(Bucket=bucket, Key='cli.bin')['ContentLength'] == 100000
try:
    boto3.client('s3', endpoint_url=endpoint, region_name='us-east-1', verify=True).head_bucket(Bucket=bucket)
    print('untrusted certificate accepted')
    sys.exit(1)
except botocore.exceptions.SSLError:
    pass
print('ok')
`;
    const py = await runProcess('python3', ['-c', script, server.endpoint, bucket, certFile], { env: keyEnv });
    assert.equal(py.code, 0, py.stdout + py.stderr);
    assert.equal(py.stdout.trim(), 'ok');

    // The sailbucket CLI trusts the certificate through AWS_CA_BUNDLE, as the AWS CLI does.
    const cliHome = makeHome();
    try {
      const env = cleanEnv(cliHome.home, {
        AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
        AWS_CA_BUNDLE: certFile,
      });
      const r = await runSailbucket(['get-buckets', ...common, '--query', 'buckets[].name', '--output', 'text'], {
        home: cliHome.home,
        env,
      });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(bucket));
    } finally {
      cliHome.cleanup();
    }
  } finally {
    s3?.destroy();
    ls.destroy();
    rmSync(home, { recursive: true, force: true });
  }
});

/** GET /-/health on `agent`; resolves with the socket's local port, reuse flag and peer certificate CN. */
function health(agent: Agent, ca: Buffer): Promise<{ port: number; reused: boolean; cn: string }> {
  const url = new URL(server.endpoint);
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: url.hostname, port: url.port, path: '/-/health', agent, ca }, (res) => {
      // Read now: once the body ends, a keep-alive socket goes back to the agent.
      const socket = res.socket as TLSSocket;
      const facts = {
        port: socket.localPort ?? 0,
        reused: req.reusedSocket,
        cn: String(socket.getPeerCertificate().subject?.CN),
      };
      res.resume();
      res.on('end', () => {
        assert.equal(res.statusCode, 200);
        resolve(facts);
      });
    });
    req.on('error', reject);
    req.end();
  });
}

test('SIGHUP reloads certificate and key; an open keep-alive connection survives; a bad file keeps the old one', async () => {
  const oldCa = readFileSync(certFile);
  const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
  const renewedCert = join(dir, 'renewed-cert.pem');
  const renewedKey = join(dir, 'renewed-key.pem');
  try {
    const first = await health(keepAlive, oldCa);
    assert.equal(first.cn, 'first.sailbucket.test');

    makeCertificate('renewed.sailbucket.test', renewedCert, renewedKey);
    replaceFile(keyFile, readFileSync(renewedKey));
    replaceFile(certFile, readFileSync(renewedCert));
    const from = server.stderr().length;
    process.kill(server.pid()!, 'SIGHUP');
    const line = await server.waitForStderrLine((l) => l.includes('TLS certificate reloaded'), from);
    assert.match(line, /CN=renewed\.sailbucket\.test/);

    const again = await health(keepAlive, oldCa);
    assert.equal(again.reused, true, 'the keep-alive connection was kept');
    assert.equal(again.port, first.port);
    assert.equal(again.cn, 'first.sailbucket.test', 'an open connection keeps the certificate it started with');

    const fresh = new Agent({ keepAlive: false });
    const renewed = await health(fresh, readFileSync(renewedCert));
    assert.equal(renewed.cn, 'renewed.sailbucket.test', 'new connections get the new certificate');

    // A broken key on the next SIGHUP: a warning, and the current certificate stays in use.
    replaceFile(keyFile, 'not a key\n');
    const from2 = server.stderr().length;
    process.kill(server.pid()!, 'SIGHUP');
    const warn = await server.waitForStderrLine((l) => l.includes('TLS certificate reload failed'), from2);
    const entry = JSON.parse(warn) as { level: string; error: string };
    assert.equal(entry.level, 'warn');
    assert.match(entry.error, new RegExp(`TLS key '${keyFile}' holds no PEM private key`));
    const still = await health(new Agent({ keepAlive: false }), readFileSync(renewedCert));
    assert.equal(still.cn, 'renewed.sailbucket.test');
    assert.equal(server.pid() !== undefined, true, 'the server is still running');
  } finally {
    keepAlive.destroy();
    // Leave valid files for the other tests.
    replaceFile(keyFile, readFileSync(renewedKey));
  }
});

/** Runs `serve` expecting it to fail at start; resolves with its exit code and stderr. */
function serveFails(args: string[]): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const data = mkdtempSync(join(tmpdir(), 'sb-tls-bad-'));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', data, ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve ${args.join(' ')} did not exit: ${stdout}`));
    }, 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      rmSync(data, { recursive: true, force: true });
      resolve({ code, stderr, stdout });
    });
  });
}

test('a bad certificate or key at start is one clear line and exit code 1', async () => {
  const otherCert = join(dir, 'other-cert.pem');
  const otherKey = join(dir, 'other-key.pem');
  makeCertificate('other', otherCert, otherKey);
  const missing = await serveFails(['--tls-cert', join(dir, 'nope.pem'), '--tls-key', keyFile]);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, `sailbucket: cannot read TLS certificate '${join(dir, 'nope.pem')}': ENOENT\n`);
  const mismatch = await serveFails(['--tls-cert', otherCert, '--tls-key', keyFile]);
  assert.equal(mismatch.code, 1);
  assert.equal(
    mismatch.stderr,
    `sailbucket: TLS key '${keyFile}' cannot be used: the key does not belong to the certificate '${otherCert}'\n`,
  );
  const swapped = await serveFails(['--tls-cert', otherKey, '--tls-key', otherCert]);
  assert.equal(swapped.code, 1);
  assert.match(swapped.stderr, /^sailbucket: TLS certificate '.*other-key\.pem' holds no PEM certificate/);
  const half = await serveFails(['--tls-cert', otherCert]);
  assert.equal(half.code, 1);
  assert.match(half.stderr, /give both --tls-cert and --tls-key/);
  for (const r of [missing, mismatch, swapped, half]) assert.equal(r.stdout, '', 'nothing listened');
});

test('the sailbucket CLI names a scheme that does not match the port', async () => {
  const cliHome = makeHome();
  const plain = await startServer();
  try {
    const env = cleanEnv(cliHome.home, {
      AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
    });
    const tlsPort = new URL(server.endpoint).port;
    const toTls = await runSailbucket(
      ['get-buckets', '--endpoint-url', `http://127.0.0.1:${tlsPort}`, '--region', REGION],
      { home: cliHome.home, env },
    );
    assert.equal(toTls.code, 255);
    assert.equal(
      toTls.stderr.trim(),
      `the endpoint "http://127.0.0.1:${tlsPort}/" speaks HTTPS: use --endpoint-url https://127.0.0.1:${tlsPort}`,
    );
    const untrusted = await runSailbucket(['get-buckets', '--endpoint-url', server.endpoint, '--region', REGION], {
      home: cliHome.home,
      env,
    });
    assert.equal(untrusted.code, 255);
    assert.match(
      untrusted.stderr.trim(),
      /^SSL validation failed for https:\/\/127\.0\.0\.1:\d+\/: .*\(DEPTH_ZERO_SELF_SIGNED_CERT\); trust the server's CA with AWS_CA_BUNDLE=FILE/,
    );
    const plainPort = new URL(plain.endpoint).port;
    const toPlain = await runSailbucket(
      ['get-buckets', '--endpoint-url', `https://127.0.0.1:${plainPort}`, '--region', REGION],
      { home: cliHome.home, env },
    );
    assert.equal(toPlain.code, 255);
    assert.equal(
      toPlain.stderr.trim(),
      `the endpoint "https://127.0.0.1:${plainPort}/" does not speak TLS (it answered in plain HTTP): use --endpoint-url http://127.0.0.1:${plainPort}`,
    );
  } finally {
    cliHome.cleanup();
    await plain.stop();
  }
});
