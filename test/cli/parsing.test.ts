/** Shorthand, flag values and input validation, driven by the real model (no server needed). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseShorthand } from '../../src/cli/shorthand.js';
import { parseFlagValue } from '../../src/cli/paramValue.js';
import { validateInput } from '../../src/cli/validateInput.js';
import { parseArgv } from '../../src/cli/argv.js';
import { inputToWire } from '../../src/cli/wireValues.js';
import { loadModel } from '../../src/cli/model/loadModel.js';
import { UsageError } from '../../src/cli/errors.js';

const model = loadModel();
const memberShape = (structure: string, member: string): string =>
  model.shapes.get(structure)!.members.find((m) => m.name === member)!.shape;

test('shorthand: pairs, csv lists, explicit lists, nested maps, quotes', () => {
  assert.deepEqual(parseShorthand('key=photos,value=team', '--x'), { key: 'photos', value: 'team' });
  assert.deepEqual(parseShorthand('a=1,b=x,y,z,c=2', '--x'), { a: '1', b: ['x', 'y', 'z'], c: '2' });
  assert.deepEqual(parseShorthand('a=[x,y],b={c=1,d=[2]}', '--x'), { a: ['x', 'y'], b: { c: '1', d: ['2'] } });
  assert.deepEqual(parseShorthand(`a='x,y=z',b="q"`, '--x'), { a: 'x,y=z', b: 'q' });
  assert.deepEqual(parseShorthand('value=', '--x'), { value: '' });
  assert.throws(
    () => parseShorthand('novalue', '--tags'),
    (e: Error) => e instanceof UsageError && /--tags/.test(e.message) && /'='/.test(e.message),
  );
  assert.throws(() => parseShorthand("a='open", '--tags'), /unterminated/);
});

test('flag values follow the member shape: list of structures, structure, list of strings, integer', () => {
  const tags = memberShape('CreateBucketRequest', 'tags');
  assert.deepEqual(parseFlagValue(model, tags, ['key=a,value=b', 'key=c,value=d'], '--tags'), [
    { key: 'a', value: 'b' },
    { key: 'c', value: 'd' },
  ]);
  assert.deepEqual(parseFlagValue(model, tags, ['[{"key":"a","value":"b"}]'], '--tags'), [{ key: 'a', value: 'b' }]);
  const rules = memberShape('UpdateBucketRequest', 'accessRules');
  assert.deepEqual(parseFlagValue(model, rules, ['getObject=public,allowPublicOverrides=true'], '--access-rules'), {
    getObject: 'public',
    allowPublicOverrides: true,
  });
  assert.throws(
    () => parseFlagValue(model, rules, ['allowPublicOverrides=maybe'], '--access-rules'),
    /'maybe' is not true or false/,
  );
  const stats = memberShape('GetBucketMetricDataRequest', 'statistics');
  assert.deepEqual(parseFlagValue(model, stats, ['Average', 'Sum'], '--statistics'), ['Average', 'Sum']);
  assert.deepEqual(parseFlagValue(model, stats, ['Average,Sum'], '--statistics'), ['Average', 'Sum']);
  const period = memberShape('GetBucketMetricDataRequest', 'period');
  assert.equal(parseFlagValue(model, period, ['300'], '--period'), 300);
  assert.throws(() => parseFlagValue(model, period, ['5m'], '--period'), /--period: '5m' is not an integer/);
  assert.throws(() => parseFlagValue(model, rules, ['{bad json'], '--access-rules'), /--access-rules.*Invalid JSON/);
});

test('validation names the flag, the value and the valid values', () => {
  const v = (input: Record<string, unknown>) => () => validateInput(model, 'GetBucketMetricDataRequest', input);
  assert.throws(
    v({}),
    (e: Error) =>
      /Missing required parameter in input: --bucket-name \(bucketName\)/.test(e.message) &&
      /--metric-name/.test(e.message),
  );
  const ok = {
    bucketName: 'photos',
    metricName: 'BucketSizeBytes',
    startTime: '2026-01-01T00:00:00Z',
    endTime: 1767225600,
    period: 60,
    statistics: ['Average'],
    unit: 'Bytes',
  };
  validateInput(model, 'GetBucketMetricDataRequest', ok);
  assert.throws(
    v({ ...ok, metricName: 'Size' }),
    /--metric-name \(metricName\): 'Size'\. Valid values are: BucketSizeBytes, NumberOfObjects/,
  );
  assert.throws(v({ ...ok, statistics: ['Median'] }), /statistics\[0\]: 'Median'\. Valid values are: .*Average/);
  assert.throws(
    v({ ...ok, startTime: 'yesterday' }),
    /Invalid timestamp for parameter --start-time \(startTime\), value: "yesterday"/,
  );
  assert.throws(v({ ...ok, bogus: 1 }), /Unknown parameter in input: "bogus", must be one of: bucketName, metricName/);
  assert.throws(v({ ...ok, period: '60' }), /--period \(period\), value: "60", expected an integer/);
});

test('timestamps go to the wire as epoch seconds', () => {
  const wire = inputToWire(model, 'GetBucketMetricDataRequest', {
    startTime: '2026-01-01T00:00:00Z',
    endTime: '1767225600.5',
  });
  assert.deepEqual(wire, { startTime: 1767225600, endTime: 1767225600.5 });
});

test('argv: globals anywhere, --flag=value, booleans take no value, skeleton kinds, bad values', () => {
  const kinds = () => ({ isSwitch: (f: string) => f === '--include-cors' || f === '--no-include-cors' });
  const p = parseArgv(
    [
      '--output',
      'text',
      'get-buckets',
      '--include-cors',
      '--bucket-name=photos',
      '--region',
      'eu-west-2',
      '--no-paginate',
    ],
    kinds,
  );
  assert.deepEqual(p.positionals, ['get-buckets']);
  assert.equal(p.globals.output, 'text');
  assert.equal(p.globals.region, 'eu-west-2');
  assert.equal(p.globals.noPaginate, true);
  assert.deepEqual(
    [...p.flags],
    [
      ['--include-cors', ['true']],
      ['--bucket-name', ['photos']],
    ],
  );
  assert.equal(parseArgv(['x', '--generate-cli-skeleton'], kinds).globals.skeleton, 'input');
  assert.equal(parseArgv(['x', '--generate-cli-skeleton', 'output'], kinds).globals.skeleton, 'output');
  assert.throws(
    () => parseArgv(['x', '--output', 'xml'], kinds),
    /Invalid choice 'xml', valid choices are: json, yaml, yaml-stream, text, table/,
  );
  assert.throws(() => parseArgv(['x', '--endpoint-url', 'localhost:80'], kinds), /--endpoint-url "localhost:80"/);
  assert.throws(() => parseArgv(['x', '--max-items', '0'], kinds), /--max-items: '0'/);
  assert.throws(() => parseArgv(['x', '--color', 'yes'], kinds), /--color: Invalid choice 'yes'/);
});
