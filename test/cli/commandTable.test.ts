/**
 * The command table must not drift from the model: every operation is a command, every input
 * member a flag (booleans with --no-), required and enum facts carried over; help pages and the
 * top-level listing show them. Compared against model/lightsail.json read directly.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { commandTable } from '../../src/cli/commandTable.js';
import { loadModel } from '../../src/cli/model/loadModel.js';
import { SWITCH_OPTIONS, VALUE_OPTIONS } from '../../src/cli/globalOptions.js';
import { makeHome, runSailbucket } from './runSailbucket.js';
import { kebab, readModel, type RawModel } from './modelFacts.js';

const raw = readModel();
let home: { home: string; cleanup(): void };
before(() => {
  home = makeHome();
});
after(() => home.cleanup());

const enumOf = (shape: string): string[] | undefined => raw.shapes[shape].enum;

test('every model operation is a command and every input member a flag, with required and enum facts', () => {
  const table = commandTable(loadModel());
  assert.deepEqual([...table.keys()].sort(), Object.keys(raw.operations).map(kebab).sort());
  for (const [op, o] of Object.entries(raw.operations)) {
    const spec = table.get(kebab(op))!;
    assert.equal(spec.operation.name, op);
    assert.equal(spec.operation.target, `${o.targetPrefix}.${op}`);
    const input: RawModel['shapes'][string] = o.input
      ? raw.shapes[o.input]
      : { type: 'structure', members: {}, required: [] };
    const members = Object.entries(input.members ?? {});
    assert.deepEqual(
      spec.flags.map((f) => f.member),
      members.map(([n]) => n),
      `${op}: members`,
    );
    for (const [name, m] of members) {
      const f = spec.flags.find((x) => x.member === name)!;
      assert.equal(f.flag, `--${kebab(name)}`);
      assert.equal(f.required, (input.required ?? []).includes(name), `${op}.${name} required`);
      assert.deepEqual(f.enum, enumOf(m.shape), `${op}.${name} enum`);
      if (raw.shapes[m.shape].type === 'boolean') assert.equal(f.negated, `--no-${kebab(name)}`);
    }
  }
});

test('no member flag collides with a global option', () => {
  const globals = new Set([
    ...Object.keys(VALUE_OPTIONS),
    ...Object.keys(SWITCH_OPTIONS),
    '--generate-cli-skeleton',
    '--version',
  ]);
  for (const spec of commandTable(loadModel()).values()) {
    for (const f of spec.flags) {
      assert.ok(!globals.has(f.flag), `${spec.command} ${f.flag} collides with a global option`);
      if (f.negated) assert.ok(!globals.has(f.negated), `${spec.command} ${f.negated} collides with a global option`);
    }
  }
});

test('sailbucket help lists every command; each command help shows every flag, its type and the output tree', async () => {
  const top = await runSailbucket(['help'], { home: home.home });
  assert.equal(top.code, 0, top.stderr);
  for (const op of Object.keys(raw.operations))
    assert.match(top.stdout, new RegExp(`^ +o ${kebab(op)}$`, 'm'), `${op} listed`);
  for (const extra of ['serve', 'rotate-bucket-access-key', 'backup', 'verify', 'rotate-master-key', 'completion'])
    assert.match(top.stdout, new RegExp(`o ${extra}$`, 'm'));
  for (const [op, o] of Object.entries(raw.operations)) {
    const cmd = kebab(op);
    const viaWord = await runSailbucket([cmd, 'help'], { home: home.home });
    assert.equal(viaWord.code, 0, viaWord.stderr);
    const page = viaWord.stdout;
    for (const section of ['NAME', 'DESCRIPTION', 'SYNOPSIS', 'OPTIONS', 'GLOBAL OPTIONS', 'OUTPUT'])
      assert.match(page, new RegExp(`^${section}$`, 'm'), `${cmd}: ${section}`);
    const input: RawModel['shapes'][string] = o.input
      ? raw.shapes[o.input]
      : { type: 'structure', members: {}, required: [] };
    for (const [name, m] of Object.entries(input.members ?? {})) {
      // a paginated command's token member is replaced by --starting-token, as in the AWS CLI
      // (the model's paginators, and pageToken→nextPageToken operations: docs/compat/cli.md)
      const outputMembers = o.output ? Object.keys(raw.shapes[o.output].members ?? {}) : [];
      if (o.paginator?.inputToken === name || (name === 'pageToken' && outputMembers.includes('nextPageToken'))) {
        assert.match(page, /--starting-token/);
        continue;
      }
      const type = raw.shapes[m.shape].type === 'enum' ? 'string' : raw.shapes[m.shape].type;
      assert.match(
        page,
        new RegExp(`^ {7}--${kebab(name)}( \\| --no-${kebab(name)})? \\(${type}\\)`, 'm'),
        `${cmd}: option ${name}`,
      );
      for (const v of enumOf(m.shape) ?? [])
        assert.match(page, new RegExp(`o ${v.replace('/', '\\/')}$`, 'm'), `${cmd}: ${name} value ${v}`);
    }
    if (o.output)
      for (const name of Object.keys(raw.shapes[o.output].members ?? {}))
        assert.match(page, new RegExp(`^ {7}${name} -> \\(`, 'm'), `${cmd}: output ${name}`);
  }
});

test('--help and help <command> print the same page as <command> help', async () => {
  const a = await runSailbucket(['create-bucket-access-key', 'help'], { home: home.home });
  const b = await runSailbucket(['create-bucket-access-key', '--help'], { home: home.home });
  const c = await runSailbucket(['help', 'create-bucket-access-key'], { home: home.home });
  assert.equal(a.stdout, b.stdout);
  assert.equal(a.stdout, c.stdout);
  assert.match(a.stdout, /accessKey -> \(structure\)\n +\S.*\n(.*\n)* +accessKeyId -> \(string\)/);
});

test('--version and help serve', async () => {
  const v = await runSailbucket(['--version'], { home: home.home });
  assert.equal(v.code, 0, v.stderr);
  // the Node running the CLI (the suite runs on Node 20 and 24)
  assert.ok(v.stdout.startsWith('sailbucket/'), v.stdout);
  assert.match(
    v.stdout,
    new RegExp(`^sailbucket/\\d+\\.\\d+\\.\\d+ node/${process.versions.node.replace(/\./g, '\\.')} `),
  );
  const serve = await runSailbucket(['help', 'serve'], { home: home.home });
  assert.equal(serve.code, 0, serve.stderr);
  assert.match(serve.stdout, /--data-dir/);
});

test('an unknown command is a usage error (252) that lists the valid ones', async () => {
  const r = await runSailbucket(['create-buckets'], { home: home.home });
  assert.equal(r.code, 252);
  assert.match(r.stderr, /Invalid choice 'create-buckets'.*create-bucket/);
  const none = await runSailbucket([], { home: home.home });
  assert.equal(none.code, 252);
  assert.match(none.stderr, /usage: sailbucket/);
});

test('completion scripts name every command and enum values; bad shells are usage errors', async () => {
  for (const shell of ['bash', 'zsh']) {
    const r = await runSailbucket(['completion', shell], { home: home.home });
    assert.equal(r.code, 0, r.stderr);
    for (const op of Object.keys(raw.operations)) assert.ok(r.stdout.includes(`${kebab(op)})`), `${shell}: ${op}`);
    assert.match(r.stdout, /update-bucket-access-key:--status\) COMPREPLY=\( \$\(compgen -W 'Active Inactive'/);
    assert.match(r.stdout, /complete -F _sailbucket sailbucket/);
  }
  const bad = await runSailbucket(['completion', 'fish'], { home: home.home });
  assert.equal(bad.code, 252);
  assert.match(bad.stderr, /'fish'/);
});
