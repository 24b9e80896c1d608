/**
 * --output text and table: the text layout is checked rule for rule against the AWS CLI's own
 * formatter (awscli.text from the AWS CLI v1 installed on this machine) on the same documents.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { formatText } from '../../src/cli/output/text.js';
import { formatTable } from '../../src/cli/output/table.js';
import { render } from '../../src/cli/output/format.js';

const samples: unknown[] = [
  {
    buckets: [
      {
        name: 'b1',
        tags: [{ key: 'k', value: 'v' }],
        ableToUpdateBundle: true,
        location: { regionName: 'us-east-1', availabilityZone: 'all' },
      },
      { name: 'b2', tags: [], extra: 3 },
    ],
    nextPageToken: 'x',
  },
  { accessKeys: [{ accessKeyId: 'AKIA1', status: 'Active', lastUsed: { region: 'N/A', serviceName: 'N/A' } }] },
  ['a', 'b', ['c', 'd']],
  { list: ['x', 'y'], n: null, f: false, num: 1.5 },
  'scalar',
];

function awsText(data: unknown): string {
  const py =
    'import sys, json, io\nfrom awscli.text import format_text\nout = io.StringIO()\nformat_text(json.loads(sys.stdin.read()), out)\nsys.stdout.write(out.getvalue())';
  const r = spawnSync('python3', ['-c', py], { input: JSON.stringify(data), encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('text output equals the AWS CLI text formatter', () => {
  for (const s of samples) assert.equal(formatText(s), awsText(s), JSON.stringify(s));
});

test('table output: title, key/value rows, header row per list, nested sub-tables, boxed', () => {
  const t = formatTable('GetBuckets', samples[0], false);
  const lines = t.trimEnd().split('\n');
  assert.match(lines[1], /^\| +GetBuckets +\|$/);
  assert.ok(
    lines.every((l) => l.length === lines[0].length),
    'all rows the same width',
  );
  assert.match(t, /\| +nextPageToken +\| +x +\|/);
  assert.match(t, /buckets/);
  assert.match(t, /\| +name +\|/);
  assert.match(t, /\| b1 +\|/);
  // eslint-disable-next-line no-control-regex -- ESC starts the terminal styling checked here
  assert.doesNotMatch(t, /\x1b\[/);
  // eslint-disable-next-line no-control-regex -- ESC starts the terminal styling checked here
  assert.match(formatTable('X', { a: 'b' }, true), /\x1b\[1mX\x1b\[0m/);
  const nested = formatTable(
    'GetBucketAccessKeys',
    { accessKeys: [{ accessKeyId: 'AKIA1', status: 'Active', lastUsed: { region: 'N/A' } }] },
    false,
  )
    .trimEnd()
    .split('\n');
  assert.ok(
    nested.every((l) => l.length === nested[0].length),
    'nested tables stretch to the same width',
  );
  assert.ok(
    nested.some((l) => /^\|\|\| region +\| N\/A +\|\|\|$/.test(l)),
    'a sub-table sits inside its parent',
  );
  assert.equal(
    formatTable(
      'T',
      [
        ['a', 1],
        ['bb', 2],
      ],
      false,
    ),
    '----------\n|   T    |\n+--------+\n| a  | 1 |\n| bb | 2 |\n----------\n',
  );
});

test('json like the AWS CLI: 4-space indent, empty response prints nothing, query null prints null', async () => {
  const o = { output: 'json', title: 'T', color: false };
  assert.equal(await render({ a: [1] }, o), '{\n    "a": [\n        1\n    ]\n}\n');
  assert.equal(await render({}, o), '');
  assert.equal(await render({ a: 1 }, { ...o, query: 'b' }), 'null\n');
  assert.equal(await render({ a: [{ n: 'x' }, { n: 'y' }] }, { ...o, output: 'text', query: 'a[].n' }), 'x\ty\n');
  assert.equal(await render({ a: 1 }, { ...o, output: 'yaml-stream' }), '- a: 1\n');
  await assert.rejects(render({}, { ...o, query: 'a[' }), /Bad value for --query a\[/);
});
