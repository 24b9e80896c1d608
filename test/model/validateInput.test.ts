import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateInput, formatValidationIssues, summarizeIssues, type ValidationIssue, type ServiceModel } from '../../src/model/index.js';
import { MAX_INPUT_DEPTH } from '../../src/model/validateInput.js';

const kinds = (issues: ValidationIssue[]) => issues.map((i) => `${i.kind}@${i.path}`);

test('validateInput: valid inputs of every kind of operation give no issues', () => {
  const valid: [string, unknown][] = [
    ['CreateBucket', { bucketName: 'photos-1', bundleId: 'small_1_0', tags: [{ key: 'team', value: '' }], enableObjectVersioning: true }],
    ['GetBuckets', {}],
    ['GetBuckets', { bucketName: 'abc', pageToken: 'x', includeConnectedResources: false, includeCors: true }],
    ['UpdateBucket', {
      bucketName: 'abc', accessRules: { getObject: 'public', allowPublicOverrides: true }, versioning: 'Suspended',
      readonlyAccessAccounts: ['111122223333'], accessLogConfig: { enabled: true, destination: 'logs-bucket', prefix: 'logs/a' },
      cors: { rules: [{ id: 'r1', allowedMethods: ['GET', 'PUT'], allowedOrigins: ['*'], allowedHeaders: ['x'], exposeHeaders: ['etag'], maxAgeSeconds: 30 }] },
    }],
    ['DeleteBucket', { bucketName: 'abc', forceDelete: true }],
    ['GetBucketMetricData', { bucketName: 'abc', metricName: 'BucketSizeBytes', startTime: 1700000000.5, endTime: 1700003600, period: 60, statistics: ['Average', 'Sum'], unit: 'Bytes' }],
    ['TagResource', { resourceName: 'abc', resourceArn: 'arn:aws:lightsail:us-east-1:123456789012:Bucket/abc-123', tags: [] }],
    ['UntagResource', { resourceName: 'abc', tagKeys: ['team'] }],
    ['UpdateBucketAccessKey', { bucketName: 'abc', accessKeyId: 'AKIAABCDEFGHIJKLMNOP', status: 'Inactive' }],
    ['GetRegions', { includeAvailabilityZones: true }],
  ];
  for (const [op, input] of valid) assert.deepEqual(validateInput(op, input), [], `${op} ${JSON.stringify(input)}`);
});

test('validateInput: the input must be a JSON object', () => {
  for (const bad of [null, [], 'x', 3]) {
    const issues = validateInput('GetBuckets', bad);
    assert.deepEqual(kinds(issues), ['notObject@']);
    assert.match(issues[0].message, /GetBuckets must be a JSON object/);
  }
});

test('validateInput: required members, with null counting as absent', () => {
  const issues = validateInput('CreateBucket', { bucketName: null });
  assert.deepEqual(issues.map((i) => i.message), ['bucketName is required', 'bundleId is required']);
  assert.deepEqual(kinds(validateInput('UpdateBucket', { bucketName: 'abc', accessLogConfig: {} })), ['required@accessLogConfig.enabled']);
});

test('validateInput: unknown members are rejected by name, also nested', () => {
  const issues = validateInput('GetBuckets', { bucketname: 'abc', cors: {} });
  assert.deepEqual(kinds(issues), ['unknown@bucketname', 'unknown@cors']);
  assert.match(issues[0].message, /Unknown member 'bucketname': GetBucketsRequest has no member 'bucketname'.*bucketName/);
  assert.deepEqual(kinds(validateInput('UpdateBucket', { bucketName: 'abc', accessRules: { getObject: 'private', other: 1 } })), ['unknown@accessRules.other']);
});

test('validateInput: wrong JSON types name the member and the value', () => {
  const issues = validateInput('UpdateBucket', { bucketName: 7, accessRules: 'public', readonlyAccessAccounts: 'x', cors: { rules: [null] } });
  assert.deepEqual(kinds(issues), ['type@bucketName', 'type@accessRules', 'type@readonlyAccessAccounts', 'type@cors.rules[0]']);
  assert.equal(issues[0].message, "Value '7' at 'bucketName' failed to satisfy constraint: Member must be a string");
  assert.deepEqual(kinds(validateInput('DeleteBucket', { bucketName: 'abc', forceDelete: 'true' })), ['type@forceDelete']);
  assert.deepEqual(kinds(validateInput('GetBucketMetricData', {
    bucketName: 'abc', metricName: 'BucketSizeBytes', startTime: 1, endTime: 2, period: 60.5, statistics: ['Sum'], unit: 'Bytes',
  })), ['type@period']);
});

test('validateInput: timestamps must be JSON numbers of epoch seconds', () => {
  const base = { bucketName: 'abc', metricName: 'BucketSizeBytes', period: 60, statistics: ['Sum'], unit: 'Bytes' };
  assert.deepEqual(validateInput('GetBucketMetricData', { ...base, startTime: 0, endTime: 1700000000.25 }), []);
  const issues = validateInput('GetBucketMetricData', { ...base, startTime: '2024-01-01T00:00:00Z', endTime: Number.NaN });
  assert.deepEqual(kinds(issues), ['type@startTime', 'type@endTime']);
  assert.match(issues[0].message, /Value '2024-01-01T00:00:00Z' at 'startTime'.*seconds since the epoch/);
});

test('validateInput: enum values, in shapes and in Sailbucket member constraints', () => {
  const issues = validateInput('GetBucketMetricData', {
    bucketName: 'abc', metricName: 'Foo', startTime: 1, endTime: 2, period: 60, statistics: ['Sum', 'Median'], unit: 'Bytes',
  });
  assert.deepEqual(kinds(issues), ['enum@metricName', 'enum@statistics[1]']);
  assert.equal(issues[0].message, "Value 'Foo' at 'metricName' failed to satisfy constraint: Member must satisfy enum value set: [BucketSizeBytes, NumberOfObjects]");
  const v = validateInput('UpdateBucket', { bucketName: 'abc', versioning: 'NeverEnabled' });
  assert.deepEqual(kinds(v), ['enum@versioning']);
  assert.match(v[0].message, /\[Enabled, Suspended\]/);
  assert.deepEqual(kinds(validateInput('UpdateBucketAccessKey', { bucketName: 'abc', accessKeyId: 'AKIA', status: 'active' })), ['enum@status']);
});

test('validateInput: string lengths and patterns', () => {
  const short = validateInput('CreateBucket', { bucketName: 'ab', bundleId: 'small_1_0' });
  assert.deepEqual(kinds(short), ['length@bucketName', 'pattern@bucketName']);
  assert.match(short[0].message, /^Value 'ab' at 'bucketName' failed to satisfy constraint: Member must have length greater than or equal to 3$/);
  assert.deepEqual(kinds(validateInput('CreateBucket', { bucketName: 'a'.repeat(55), bundleId: 'x' })), ['length@bucketName', 'pattern@bucketName']);
  const upper = validateInput('CreateBucket', { bucketName: 'Photos', bundleId: '   ' });
  assert.deepEqual(kinds(upper), ['pattern@bucketName', 'pattern@bundleId']);
  assert.match(upper[0].message, /Value 'Photos' at 'bucketName'.*regular expression pattern: \^\[a-z0-9\]/);
  // patterns match the whole string, as botocore's do
  assert.deepEqual(kinds(validateInput('GetOperationsForResource', { resourceName: 'abc def' })), ['pattern@resourceName']);
  assert.deepEqual(kinds(validateInput('UpdateBucket', { bucketName: 'abc', cors: { rules: [{ allowedMethods: ['GETX'], allowedOrigins: ['*'] }] } })),
    ['pattern@cors.rules[0].allowedMethods[0]']);
});

test('validateInput: Sailbucket forbids -- in a new bucket name only', () => {
  const issues = validateInput('CreateBucket', { bucketName: 'my--bucket', bundleId: 'small_1_0' });
  assert.deepEqual(kinds(issues), ['forbidden@bucketName']);
  assert.match(issues[0].message, /'my--bucket' at 'bucketName'.*must not contain '--'/);
  assert.deepEqual(validateInput('GetBuckets', { bucketName: 'my--bucket' }), []);
});

test('validateInput: numeric ranges', () => {
  const base = { bucketName: 'abc', metricName: 'BucketSizeBytes', startTime: 1, endTime: 2, statistics: ['Sum'], unit: 'Bytes' };
  const low = validateInput('GetBucketMetricData', { ...base, period: 59 });
  assert.deepEqual(kinds(low), ['range@period']);
  assert.equal(low[0].message, "Value '59' at 'period' failed to satisfy constraint: Member must have value greater than or equal to 60");
  assert.deepEqual(kinds(validateInput('GetBucketMetricData', { ...base, period: 86401 })), ['range@period']);
});

test('validateInput: list and tag limits (botocore and Sailbucket)', () => {
  const tags = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: 'v' }));
  assert.deepEqual(validateInput('TagResource', { resourceName: 'abc', tags: tags(50) }), []);
  const many = validateInput('TagResource', { resourceName: 'abc', tags: tags(51) });
  assert.deepEqual(kinds(many), ['length@tags']);
  assert.match(many[0].message, /at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50/);
  assert.deepEqual(kinds(validateInput('TagResource', { resourceName: 'abc', tags: [{ key: 'k'.repeat(129), value: 'v'.repeat(257) }, { key: '' }] })),
    ['length@tags[0].key', 'length@tags[0].value', 'length@tags[1].key']);
  assert.deepEqual(validateInput('TagResource', { resourceName: 'abc', tags: [{ key: 'k'.repeat(128), value: 'v'.repeat(256) }] }), []);
  const accounts = Array.from({ length: 11 }, (_, i) => `1111222233${i}`);
  assert.deepEqual(kinds(validateInput('UpdateBucket', { bucketName: 'abc', readonlyAccessAccounts: accounts })), ['length@readonlyAccessAccounts']);
  const rules = Array.from({ length: 21 }, () => ({ allowedMethods: ['GET'], allowedOrigins: ['*'] }));
  assert.deepEqual(kinds(validateInput('UpdateBucket', { bucketName: 'abc', cors: { rules } })), ['length@cors.rules']);
  assert.deepEqual(validateInput('UpdateBucket', { bucketName: 'abc', cors: { rules: rules.slice(0, 20) } }), []);
});

test('validateInput: nested structures report full paths and every issue at once', () => {
  const issues = validateInput('UpdateBucket', {
    bucketName: 'abc',
    accessLogConfig: { enabled: 'yes', prefix: 'has space' },
    cors: { rules: [{ allowedMethods: ['GET'], allowedOrigins: ['*'] }, { allowedOrigins: [5], maxAgeSeconds: 'x' }] },
  });
  assert.deepEqual(kinds(issues), [
    'type@accessLogConfig.enabled', 'pattern@accessLogConfig.prefix',
    'required@cors.rules[1].allowedMethods', 'type@cors.rules[1].allowedOrigins[0]', 'type@cors.rules[1].maxAgeSeconds',
  ]);
  assert.match(formatValidationIssues(issues), /^5 validation errors detected: Value 'yes' at 'accessLogConfig.enabled'/);
  assert.equal(formatValidationIssues(issues.slice(0, 1)).startsWith('1 validation error detected: '), true);
});

test('validateInput: long values are cut in messages', () => {
  const issues = validateInput('CreateBucket', { bucketName: 'a'.repeat(500), bundleId: 'x' });
  assert.ok(issues[0].message.length < 250, issues[0].message);
  assert.match(issues[0].message, /a{100}\.\.\.'/);
});

test('validateInput: an unknown operation name throws, naming it', () => {
  assert.throws(() => validateInput('GetInstances', {}), /unknown operation 'GetInstances'/);
});

test('validateInput: maps, floats and sensitive values in a custom model', () => {
  const model: ServiceModel = {
    metadata: { serviceId: 'T', apiVersion: '1', protocol: 'json', jsonVersion: '1.1', targetPrefix: 'T', signingName: 't', extensionTargetPrefix: 'X', source: 'test' },
    operations: { Op: { targetPrefix: 'T', input: 'In', output: 'In', errors: [], documentation: 'd' } },
    shapes: {
      In: { type: 'structure', members: { labels: { shape: 'Labels', documentation: 'd' }, ratio: { shape: 'Ratio', documentation: 'd' }, secret: { shape: 'Secret', documentation: 'd' } } },
      Labels: { type: 'map', key: { shape: 'Key' }, value: { shape: 'Ratio' }, max: 1 },
      Key: { type: 'string', pattern: '[a-z]+' },
      Ratio: { type: 'float', min: 0, max: 1 },
      Secret: { type: 'string', min: 5, sensitive: true },
    },
  };
  assert.deepEqual(validateInput('Op', { labels: { a: 0.5 }, ratio: 0.25, secret: 'hunter2' }, model), []);
  const issues = validateInput('Op', { labels: { A: 2, b: 0 }, ratio: 'x', secret: 'abc' }, model);
  assert.deepEqual(kinds(issues), ['length@labels', 'pattern@labels{key A}', 'range@labels.A', 'type@ratio', 'length@secret']);
  assert.ok(!issues.some((i) => i.message.includes("'abc'")), 'a sensitive value must not be shown');
  assert.match(issues[4].message, /Value '\*\*\*' at 'secret'/);
});

/** `n` levels of arrays, built without recursion (JSON.parse of the same text is iterative too). */
const nestedArrays = (n: number): unknown => JSON.parse('['.repeat(n) + ']'.repeat(n));

test('validateInput: deep nesting is one bounded issue, never a stack overflow (the 128 KiB body cap allows ~65k levels)', () => {
  // The deepest array a 128 KiB body can hold, where CreateBucket wants a string.
  const deepest = Math.floor((128 * 1024 - '{"bucketName":}'.length) / 2);
  for (const depth of [deepest, 400_000]) {
    const issues = validateInput('CreateBucket', { bucketName: nestedArrays(depth), bundleId: 'small_1_0' });
    assert.deepEqual(kinds(issues), ['type@bucketName']);
    assert.ok(issues[0].message.length < 300, issues[0].message);
    const unknown = validateInput('GetBuckets', { x: nestedArrays(depth) });
    assert.deepEqual(kinds(unknown), ['unknown@x']);
  }
});

test('validateInput: a recursive shape is checked at most MAX_INPUT_DEPTH levels deep', () => {
  const model: ServiceModel = {
    metadata: { serviceId: 'T', apiVersion: '1', protocol: 'json', jsonVersion: '1.1', targetPrefix: 'T', signingName: 't', extensionTargetPrefix: 'X', source: 'test' },
    operations: { Op: { targetPrefix: 'T', input: 'Node', output: 'Node', errors: [], documentation: 'd' } },
    shapes: {
      Node: { type: 'structure', members: { next: { shape: 'Node', documentation: 'd' }, list: { shape: 'Nodes', documentation: 'd' } } },
      Nodes: { type: 'list', member: { shape: 'Node' } },
    },
  };
  let ok: Record<string, unknown> = {};
  for (let i = 0; i < MAX_INPUT_DEPTH; i++) ok = { next: ok };
  assert.deepEqual(validateInput('Op', ok, model), []);
  for (const depth of [MAX_INPUT_DEPTH + 1, 500_000]) {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < depth; i++) deep = i % 2 === 0 ? { next: deep } : { list: [deep] };
    const issues = validateInput('Op', deep, model);
    assert.deepEqual(issues.map((i) => i.kind), ['depth']);
    assert.match(issues[0].message, /must not nest more than 32 levels/);
  }
});

test('validateInput: unknown members with huge names and many of them give a bounded message', () => {
  const huge = 'k'.repeat(60_000);
  const issues = validateInput('GetBuckets', { [huge]: 1 });
  assert.deepEqual(issues.map((i) => i.kind), ['unknown']);
  assert.ok(issues[0].message.length < 400, `${issues[0].message.length} characters`);
  const many = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`member${i}`, i]));
  const summary = summarizeIssues(validateInput('GetBuckets', many));
  assert.ok(summary.length < 4000, `${summary.length} characters`);
  assert.match(summary, /and 4990 more validation errors$/);
});
