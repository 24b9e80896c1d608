/**
 * Global options against a real server: every --output format, --query, pagination (--no-paginate,
 * --max-items/--starting-token, yaml-stream), --cli-input-json/yaml inline and file:// with flags
 * overriding, the skeleton round trip, --debug without secrets, errors and exit codes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { uniqueBucketName } from '../helpers/server.js';
import { runSailbucket } from './runSailbucket.js';
import { useServerCli } from './serverCli.js';

const buckets: string[] = [];
const fx = useServerCli(async (f) => {
  for (let i = 0; i < 3; i++) {
    const name = uniqueBucketName('opt');
    buckets.push(name);
    await f.cli.json([
      'create-bucket',
      '--bucket-name',
      name,
      '--bundle-id',
      'small_1_0',
      '--tags',
      `key=n,value=${i}`,
    ]);
  }
});

test('each output format renders the same answer', async () => {
  const args = ['get-buckets', '--bucket-name', buckets[0]];
  const json = await fx.cli.json(args);
  const yaml = await fx.cli.run([...args, '--output', 'yaml']);
  assert.deepEqual(parseYaml(yaml.stdout), json);
  const stream = await fx.cli.run([...args, '--output', 'yaml-stream']);
  assert.deepEqual(parseYaml(stream.stdout), [json]);
  const text = await fx.cli.run([...args, '--output', 'text']);
  assert.match(text.stdout, new RegExp(`^BUCKETS\\t.*\\t${buckets[0]}\\t`, 'm'));
  assert.match(text.stdout, /^TAGS\tn\t0$/m);
  const table = await fx.cli.run([
    ...args,
    '--output',
    'table',
    '--no-cli-pager',
    '--color',
    'off',
    '--cli-read-timeout',
    '30',
    '--cli-connect-timeout',
    '0',
  ]);
  assert.match(table.stdout, /^\|\s+GetBuckets\s+\|$/m);
  assert.ok(table.stdout.includes(buckets[0]));
  for (const r of [yaml, stream, text, table]) assert.equal(r.code, 0, r.stderr);
});

test('--query applies before formatting', async () => {
  const names = await fx.cli.json(['get-buckets', '--query', 'sort(buckets[].name)']);
  assert.deepEqual(names, [...buckets].sort());
  const text = await fx.cli.run([
    'get-buckets',
    '--query',
    `buckets[?name=='${buckets[1]}'].tags[0].value`,
    '--output',
    'text',
  ]);
  assert.equal(text.stdout, '1\n');
  const bad = await fx.cli.run(['get-buckets', '--query', 'buckets[']);
  assert.equal(bad.code, 252);
  assert.match(bad.stderr, /--query/);
});

test('pagination: everything by default, one call with --no-paginate, --max-items + --starting-token resume', async () => {
  const all = await fx.cli.json(['get-operations']);
  assert.ok(all.operations.length >= 3);
  assert.equal(all.nextPageToken, undefined);
  const one = await fx.cli.json(['get-operations', '--max-items', '1']);
  assert.equal(one.operations.length, 1);
  assert.equal(typeof one.NextToken, 'string');
  const rest = await fx.cli.json(['get-operations', '--starting-token', one.NextToken]);
  assert.deepEqual(
    [...one.operations, ...rest.operations].map((o: { id: string }) => o.id),
    all.operations.map((o: { id: string }) => o.id),
  );
  const single = await fx.cli.json(['get-operations', '--no-paginate']);
  assert.ok(single.operations.length >= 1);
  const stream = await fx.cli.run(['get-operations', '--output', 'yaml-stream']);
  const docs = parseAllDocuments(stream.stdout).map((d) => d.toJS());
  assert.ok(docs.length >= 1 && Array.isArray(docs[0]));
  const notPaginated = await fx.cli.run(['get-regions', '--max-items', '2']);
  assert.equal(notPaginated.code, 252);
  assert.match(notPaginated.stderr, /does not paginate/);
});

test('--cli-input-json and --cli-input-yaml, inline and file://, flags override the document', async () => {
  const a = uniqueBucketName('in');
  const inline = await fx.cli.json([
    'create-bucket',
    '--cli-input-json',
    JSON.stringify({ bucketName: a, bundleId: 'large_1_0' }),
    '--bundle-id',
    'small_1_0',
  ]);
  assert.equal(inline.bucket.name, a);
  assert.equal(inline.bucket.bundleId, 'small_1_0');
  const b = uniqueBucketName('in');
  writeFileSync(
    join(fx.home, 'in.yaml'),
    `bucketName: ${b}\nbundleId: medium_1_0\ntags:\n  - key: from\n    value: yaml\n`,
  );
  const fromFile = await fx.cli.run(['create-bucket', '--cli-input-yaml', 'file://in.yaml'], {}, fx.home);
  assert.equal(fromFile.code, 0, fromFile.stderr);
  assert.deepEqual(JSON.parse(fromFile.stdout).bucket.tags, [{ key: 'from', value: 'yaml' }]);
  writeFileSync(join(fx.home, 'in.json'), JSON.stringify({ bucketName: a }));
  const keys = await fx.cli.json(['get-bucket-access-keys', '--cli-input-json', `file://${join(fx.home, 'in.json')}`]);
  assert.deepEqual(keys.accessKeys, []);
  const yamlInline = await fx.cli.json(['get-buckets', '--cli-input-yaml', `bucketName: ${b}`]);
  assert.equal(yamlInline.buckets[0].bundleId, 'medium_1_0');

  const both = await fx.cli.run(['get-buckets', '--cli-input-json', '{}', '--cli-input-yaml', '{}']);
  assert.equal(both.code, 252);
  const notMap = await fx.cli.run(['get-buckets', '--cli-input-json', '[1]']);
  assert.equal(notMap.code, 252);
  assert.match(notMap.stderr, /--cli-input-json.*map of input members/);
  const unknown = await fx.cli.run(['get-buckets', '--cli-input-json', '{"bucket":"x"}']);
  assert.equal(unknown.code, 252);
  assert.match(unknown.stderr, /Unknown parameter in input: "bucket", must be one of: bucketName/);
  const noFile = await fx.cli.run(['get-buckets', '--cli-input-json', 'file://nope.json']);
  assert.equal(noFile.code, 252);
  assert.match(noFile.stderr, /file:\/\/nope\.json/);
  // any flag value may be file://path, as in the AWS CLI
  writeFileSync(join(fx.home, 'tags.json'), '[{"key":"from","value":"file"}]\n');
  const tagged = await fx.cli.run(['tag-resource', '--resource-name', a, '--tags', 'file://tags.json'], {}, fx.home);
  assert.equal(tagged.code, 0, tagged.stderr);
  assert.deepEqual(await fx.cli.json(['get-buckets', '--bucket-name', a, '--query', 'buckets[0].tags']), [
    { key: 'from', value: 'file' },
  ]);
  const noParamFile = await fx.cli.run(
    ['tag-resource', '--resource-name', a, '--tags', 'file://missing.json'],
    {},
    fx.home,
  );
  assert.equal(noParamFile.code, 252);
  assert.match(noParamFile.stderr, /--tags.*file:\/\/missing\.json/);
  for (const n of [a, b]) await fx.cli.json(['delete-bucket', '--bucket-name', n, '--force-delete']);
});

test('skeleton round trip: generate, fill in, send (JSON and YAML)', async () => {
  const skel = await runSailbucket(['create-bucket', '--generate-cli-skeleton'], { home: fx.home });
  const doc = JSON.parse(skel.stdout);
  const name = uniqueBucketName('skel');
  Object.assign(doc, {
    bucketName: name,
    bundleId: 'small_1_0',
    tags: [{ key: 'k', value: 'v' }],
    enableObjectVersioning: false,
  });
  writeFileSync(join(fx.home, 's.json'), JSON.stringify(doc));
  const made = await fx.cli.run(['create-bucket', '--cli-input-json', 'file://s.json'], {}, fx.home);
  assert.equal(made.code, 0, made.stderr);
  const yskel = await runSailbucket(['get-buckets', '--generate-cli-skeleton', 'yaml-input'], { home: fx.home });
  const filled = yskel.stdout
    .replace(/^bucketName: ''/m, `bucketName: ${name}`)
    .replace(/^pageToken: .*$/m, '')
    .replace(/^(include\w+): true/gm, '$1: false');
  writeFileSync(join(fx.home, 's.yaml'), filled);
  const got = await fx.cli.run(['get-buckets', '--cli-input-yaml', 'file://s.yaml'], {}, fx.home);
  assert.equal(got.code, 0, got.stderr);
  assert.equal(JSON.parse(got.stdout).buckets[0].name, name);
  await fx.cli.json(['delete-bucket', '--bucket-name', name, '--force-delete']);
});

test('--debug logs requests and responses but never the secret or the Authorization value', async () => {
  const name = buckets[0];
  const r = await fx.cli.run(['create-bucket-access-key', '--bucket-name', name, '--debug']);
  assert.equal(r.code, 0, r.stderr);
  const secret = JSON.parse(r.stdout).accessKey.secretAccessKey as string;
  assert.match(
    r.stderr,
    /DEBUG request: POST http:\/\/127\.0\.0\.1:\d+\/ target=Lightsail_20161128\.CreateBucketAccessKey/,
  );
  assert.match(r.stderr, /"authorization":"\[redacted\]"/);
  assert.ok(!r.stderr.includes(secret), 'new secret not in debug output');
  assert.ok(!r.stderr.includes(fx.server.credentials.secretAccessKey), 'root secret not in debug output');
  assert.doesNotMatch(r.stderr, /Signature=/);
});

test('errors: usage 252 names the flag, service 254 in the AWS format, connection refused 255 names the endpoint', async () => {
  const missing = await fx.cli.run(['create-bucket', '--bucket-name', 'x1y2z3']);
  assert.equal(missing.code, 252);
  assert.match(missing.stderr, /the following arguments are required: --bundle-id/);
  const unknownFlag = await fx.cli.run(['get-buckets', '--bucket', 'x']);
  assert.equal(unknownFlag.code, 252);
  assert.match(unknownFlag.stderr, /Unknown options: --bucket, x/);
  const badBundle = await fx.cli.run([
    'create-bucket',
    '--bucket-name',
    uniqueBucketName('e'),
    '--bundle-id',
    'huge_9_0',
  ]);
  assert.equal(badBundle.code, 254);
  assert.match(
    badBundle.stderr,
    /^An error occurred \(InvalidInputException\) when calling the CreateBucket operation: .*huge_9_0/m,
  );
  const wrongSecret = await fx.cli.run(['get-buckets'], { AWS_SECRET_ACCESS_KEY: 'x'.repeat(40) });
  assert.equal(wrongSecret.code, 254);
  assert.match(
    wrongSecret.stderr,
    /An error occurred \((InvalidSignatureException|UnrecognizedClientException)\) when calling the GetBuckets operation/,
  );
  const refused = await runSailbucket(
    ['get-buckets', '--endpoint-url', 'http://127.0.0.1:9', '--cli-connect-timeout', '2'],
    {
      home: fx.home,
      env: { AWS_ACCESS_KEY_ID: 'AKIAX', AWS_SECRET_ACCESS_KEY: 'y', AWS_REGION: 'us-east-1', AWS_MAX_ATTEMPTS: '1' },
    },
  );
  assert.equal(refused.code, 255);
  assert.match(refused.stderr, /Could not connect to the endpoint URL: "http:\/\/127\.0\.0\.1:9\/"/);
});
