/**
 * Where settings come from, against a real server: the credentials file `sailbucket serve`
 * generates (profile `sailbucket`), named profiles with region/endpoint_url/output in the config
 * file, a [services] section, AWS_ENDPOINT_URL(_LIGHTSAIL), AWS_REGION vs AWS_DEFAULT_REGION, and
 * a profile that does not exist.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, uniqueBucketName, type TestServer } from '../helpers/server.js';
import { makeHome, runSailbucket } from './runSailbucket.js';

let server: TestServer;
let home: { home: string; cleanup(): void };
before(async () => {
  // no root credentials in the environment: the server generates them and writes <data-dir>/credentials
  server = await startServer({ env: { SAILBUCKET_ROOT_ACCESS_KEY_ID: '', SAILBUCKET_ROOT_SECRET_ACCESS_KEY: '' } });
  home = makeHome();
});
after(async () => {
  await server?.stop();
  home?.cleanup();
});

const run = (args: string[], env: Record<string, string>) => runSailbucket(args, { home: home.home, env });

test('the credentials file written by serve works with no other set-up', async () => {
  const file = join(server.dataDir, 'credentials');
  assert.ok(existsSync(file), 'serve wrote <data-dir>/credentials');
  const env = { AWS_SHARED_CREDENTIALS_FILE: file, AWS_PROFILE: 'sailbucket' };
  const name = uniqueBucketName('cfg');
  const r = await run(
    ['--endpoint-url', server.endpoint, 'create-bucket', '--bucket-name', name, '--bundle-id', 'small_1_0'],
    env,
  );
  assert.equal(r.code, 0, r.stderr);
  const viaFlag = await run(
    ['--endpoint-url', server.endpoint, '--profile', 'sailbucket', 'get-buckets', '--query', 'buckets[].name'],
    { AWS_SHARED_CREDENTIALS_FILE: file },
  );
  assert.equal(viaFlag.code, 0, viaFlag.stderr);
  assert.deepEqual(JSON.parse(viaFlag.stdout), [name]);
});

test('profiles from the config file: region, endpoint_url, output, [services]; flags win', async () => {
  const creds = join(server.dataDir, 'credentials');
  const config = join(home.home, 'config');
  writeFileSync(
    config,
    [
      '[profile sailbucket]',
      `endpoint_url = ${server.endpoint}`,
      'region = us-east-1',
      'output = text',
      '',
      '[profile svc]',
      'services = local',
      'region = us-east-1',
      '',
      '[services local]',
      'lightsail =',
      `  endpoint_url = ${server.endpoint}`,
      '',
    ].join('\n'),
  );
  const env = { AWS_SHARED_CREDENTIALS_FILE: creds, AWS_CONFIG_FILE: config };
  const text = await run(['--profile', 'sailbucket', 'get-bucket-bundles', '--query', 'bundles[0].bundleId'], env);
  assert.equal(text.code, 0, text.stderr);
  assert.equal(text.stdout, 'small_1_0\n');
  const json = await run(
    ['--profile', 'sailbucket', 'get-bucket-bundles', '--query', 'bundles[0].bundleId', '--output', 'json'],
    env,
  );
  assert.equal(json.stdout, '"small_1_0"\n');
  // --profile wins over AWS_ACCESS_KEY_ID/SECRET (as in the AWS CLI): svc's keys come from its own credentials file entry
  const ownCreds = join(home.home, 'credentials');
  writeFileSync(
    ownCreds,
    `[svc]\naws_access_key_id = ${readKey(creds, 'aws_access_key_id')}\naws_secret_access_key = ${readKey(creds, 'aws_secret_access_key')}\n`,
  );
  const svc = await run(['--profile', 'svc', 'get-regions', '--query', 'length(regions) > `0`'], {
    ...env,
    AWS_SHARED_CREDENTIALS_FILE: ownCreds,
    AWS_ACCESS_KEY_ID: 'AKIAWRONGWRONGWRONG1',
    AWS_SECRET_ACCESS_KEY: 'wrong',
  });
  assert.equal(svc.code, 0, svc.stderr);
  assert.equal(svc.stdout.trim(), 'true');
});

test('AWS_ENDPOINT_URL_LIGHTSAIL and AWS_ENDPOINT_URL select the endpoint', async () => {
  const creds = join(server.dataDir, 'credentials');
  const base = { AWS_SHARED_CREDENTIALS_FILE: creds, AWS_PROFILE: 'sailbucket', AWS_REGION: 'us-east-1' };
  for (const v of ['AWS_ENDPOINT_URL_LIGHTSAIL', 'AWS_ENDPOINT_URL']) {
    const r = await run(['get-bucket-bundles', '--query', 'length(bundles)'], { ...base, [v]: server.endpoint });
    assert.equal(r.code, 0, `${v}: ${r.stderr}`);
    assert.equal(r.stdout.trim(), '3');
  }
});

test('region: --region > AWS_REGION > AWS_DEFAULT_REGION (buckets are listed per region)', async () => {
  const creds = join(server.dataDir, 'credentials');
  const env = { AWS_SHARED_CREDENTIALS_FILE: creds, AWS_PROFILE: 'sailbucket' };
  const name = uniqueBucketName('reg');
  const made = await run(
    [
      '--endpoint-url',
      server.endpoint,
      '--region',
      'eu-west-2',
      'create-bucket',
      '--bucket-name',
      name,
      '--bundle-id',
      'small_1_0',
    ],
    env,
  );
  assert.equal(made.code, 0, made.stderr);
  assert.equal(JSON.parse(made.stdout).bucket.location.regionName, 'eu-west-2');
  const list = (extra: Record<string, string>, args: string[] = []) =>
    run(['--endpoint-url', server.endpoint, ...args, 'get-buckets', '--query', 'buckets[].name'], { ...env, ...extra });
  assert.ok(JSON.parse((await list({ AWS_DEFAULT_REGION: 'eu-west-2' })).stdout).includes(name));
  assert.ok(
    !JSON.parse((await list({ AWS_DEFAULT_REGION: 'eu-west-2', AWS_REGION: 'us-east-1' })).stdout).includes(name),
  );
  assert.ok(JSON.parse((await list({ AWS_REGION: 'us-east-1' }, ['--region', 'eu-west-2'])).stdout).includes(name));
});

test('a profile that does not exist is an error naming it (255); no credentials at all says how to set them', async () => {
  const r = await run(['--endpoint-url', server.endpoint, '--profile', 'nosuch', 'get-regions'], {
    AWS_SHARED_CREDENTIALS_FILE: join(server.dataDir, 'credentials'),
  });
  assert.equal(r.code, 255);
  assert.match(r.stderr, /The config profile \(nosuch\) could not be found/);
  const none = await run(['--endpoint-url', server.endpoint, 'get-regions'], {});
  assert.equal(none.code, 255);
  assert.match(
    none.stderr,
    /Unable to locate credentials.*AWS_SHARED_CREDENTIALS_FILE=<data-dir>\/credentials AWS_PROFILE=sailbucket/,
  );
});

function readKey(file: string, key: string): string {
  const m = new RegExp(`^${key}\\s*=\\s*(\\S+)`, 'm').exec(readFileSync(file, 'utf8'));
  if (!m) throw new Error(`${key} not in ${file}`);
  return m[1];
}
