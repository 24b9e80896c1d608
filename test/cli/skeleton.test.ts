/**
 * --generate-cli-skeleton input / yaml-input / output from the built CLI, compared with the AWS CLI
 * v1 on this machine (`aws lightsail <cmd> --generate-cli-skeleton [output]`), which follows the same
 * placeholder rules. v1 picks a random enum value for input skeletons; there any value of the enum
 * is accepted.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { parse as parseYaml } from 'yaml';
import { makeHome, runSailbucket } from './runSailbucket.js';
import { kebab, readModel, inputMembers } from './modelFacts.js';

const model = readModel();
const lightsailOps = Object.entries(model.operations)
  .filter(([, o]) => !o.extension && o.targetPrefix !== 'SailbucketAdmin_20261129')
  .map(([n]) => n);
let home: { home: string; cleanup(): void };
before(() => {
  home = makeHome();
});
after(() => home.cleanup());

function awsV1(args: string[]): unknown {
  const r = spawnSync('aws', ['lightsail', ...args], {
    env: { ...process.env, AWS_DEFAULT_REGION: 'us-east-1', HOME: home.home },
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(r.status, 0, `aws lightsail ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const enums = new Set(Object.values(model.shapes).flatMap((s) => s.enum ?? []));

/** Same structure and placeholders; a string may differ only when both are enum values. */
function sameSkeleton(ours: unknown, theirs: unknown, path: string): void {
  if (typeof theirs === 'string' && typeof ours === 'string' && ours !== theirs) {
    assert.ok(enums.has(ours) && enums.has(theirs), `${path}: ours '${ours}' vs AWS CLI '${theirs}'`);
    return;
  }
  if (Array.isArray(theirs)) {
    assert.ok(Array.isArray(ours), `${path}: expected a list`);
    assert.equal(ours.length, theirs.length, `${path}: list length`);
    theirs.forEach((t, i) => sameSkeleton((ours as unknown[])[i], t, `${path}[${i}]`));
    return;
  }
  if (theirs && typeof theirs === 'object') {
    assert.ok(ours && typeof ours === 'object' && !Array.isArray(ours), `${path}: expected a structure`);
    assert.deepEqual(Object.keys(ours), Object.keys(theirs), `${path}: member names/order`);
    for (const [k, v] of Object.entries(theirs)) sameSkeleton((ours as Record<string, unknown>)[k], v, `${path}.${k}`);
    return;
  }
  assert.equal(ours, theirs, path);
}

test('input skeletons match the AWS CLI v1 for every Lightsail command', async () => {
  for (const op of lightsailOps) {
    const cmd = kebab(op);
    const r = await runSailbucket([cmd, '--generate-cli-skeleton'], { home: home.home });
    assert.equal(r.code, 0, `${cmd}: ${r.stderr}`);
    sameSkeleton(JSON.parse(r.stdout), awsV1([cmd, '--generate-cli-skeleton']), cmd);
    const explicit = await runSailbucket([cmd, '--generate-cli-skeleton', 'input'], { home: home.home });
    assert.equal(explicit.stdout, r.stdout, `${cmd}: 'input' is the default kind`);
  }
});

test('floats print as 0.0 like the AWS CLI', async () => {
  const r = await runSailbucket(['get-bucket-bundles', '--generate-cli-skeleton', 'output'], { home: home.home });
  assert.match(r.stdout, /"price": 0\.0/);
});

// (v1 cannot print output skeletons holding an accessKeyId: its own validator rejects the
// placeholder 'accessKeyId' as shorter than 20 characters, so those commands are not compared.)
test('output skeletons match the AWS CLI v1', async () => {
  const cases: string[][] = [
    ['get-regions'],
    ['get-bucket-bundles'],
    ['get-buckets'],
    ['get-operations'],
    ['get-operation', '--operation-id', 'op-1'],
  ];
  for (const c of cases) {
    const r = await runSailbucket([...c, '--generate-cli-skeleton', 'output'], { home: home.home });
    assert.equal(r.code, 0, `${c.join(' ')}: ${r.stderr}`);
    assert.deepEqual(JSON.parse(r.stdout), awsV1([...c, '--generate-cli-skeleton', 'output']), c.join(' '));
  }
});

test('output skeleton checks inputs like a real call, and sends nothing', async () => {
  const missing = await runSailbucket(['create-bucket-access-key', '--generate-cli-skeleton', 'output'], {
    home: home.home,
  });
  assert.equal(missing.code, 252);
  assert.match(missing.stderr, /required: --bucket-name/);
  const badEnum = await runSailbucket(
    [
      'update-bucket-access-key',
      '--bucket-name',
      'photos',
      '--access-key-id',
      'AKIAX',
      '--status',
      'Paused',
      '--generate-cli-skeleton',
      'output',
    ],
    { home: home.home },
  );
  assert.equal(badEnum.code, 252);
  assert.match(badEnum.stderr, /--status.*'Paused'.*Valid values are: Active, Inactive/);
  // no endpoint, no credentials: success proves nothing was sent
  const ok = await runSailbucket(
    [
      'update-bucket-access-key',
      '--bucket-name',
      'photos',
      '--access-key-id',
      'AKIAX',
      '--status',
      'Inactive',
      '--generate-cli-skeleton',
      'output',
      '--output',
      'yaml',
    ],
    { home: home.home },
  );
  assert.equal(ok.code, 0, ok.stderr);
  assert.ok(Array.isArray((parseYaml(ok.stdout) as { operations: unknown[] }).operations));
});

test('input and yaml-input skeletons need no required flags and cover every member', async () => {
  for (const op of Object.keys(model.operations)) {
    const cmd = kebab(op);
    const json = await runSailbucket([cmd, '--generate-cli-skeleton', 'input'], { home: home.home });
    const yaml = await runSailbucket([cmd, '--generate-cli-skeleton', 'yaml-input'], { home: home.home });
    assert.equal(json.code, 0, json.stderr);
    assert.equal(yaml.code, 0, yaml.stderr);
    const j = JSON.parse(json.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(j), inputMembers(model, op), `${cmd}: skeleton members`);
    const y = (parseYaml(yaml.stdout) ?? {}) as Record<string, unknown>;
    assert.deepEqual(
      y,
      JSON.parse(json.stdout.replace(/: 0\.0\b/g, ': 0')),
      `${cmd}: yaml-input and input skeletons hold the same document`,
    );
  }
});

test('yaml-input marks required members, explains them and lists valid values', async () => {
  const r = await runSailbucket(['get-bucket-metric-data', '--generate-cli-skeleton', 'yaml-input'], {
    home: home.home,
  });
  assert.match(r.stdout, /^bucketName: '' +# \[REQUIRED\] \S/m);
  assert.match(
    r.stdout,
    /^metricName: BucketSizeBytes +# \[REQUIRED\].*Valid values are: BucketSizeBytes, NumberOfObjects\./m,
  );
  const optional = await runSailbucket(['get-buckets', '--generate-cli-skeleton', 'yaml-input'], { home: home.home });
  assert.doesNotMatch(optional.stdout, /REQUIRED/);
});

test('a bad skeleton kind is a usage error naming the choices', async () => {
  const r = await runSailbucket(['get-regions', '--generate-cli-skeleton=inputs'], { home: home.home });
  assert.equal(r.code, 252);
  assert.match(r.stderr, /'inputs'.*input, yaml-input, output/);
});
