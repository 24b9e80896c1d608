/**
 * `serve` sets V8's old-generation growth (src/cli/heapGrowth.ts) unless the operator chose one on
 * the node command line or in NODE_OPTIONS.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tuneHeapGrowth } from '../../src/cli/heapGrowth.js';

const moduleUrl = new URL('../../src/cli/heapGrowth.js', import.meta.url).href;

test('an operator-chosen --heap-growing-percent (argv or NODE_OPTIONS, either spelling) is left alone', () => {
  assert.equal(tuneHeapGrowth(['--heap-growing-percent=50'], undefined), false);
  assert.equal(tuneHeapGrowth([], '--max-old-space-size=512 --heap_growing_percent=80'), false);
  assert.equal(tuneHeapGrowth(['--heap-growing-percent'], ''), false);
});

test('otherwise the growth factor is set in the serving process', () => {
  // In a child: the flag changes the whole process's heap policy.
  const out = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { tuneHeapGrowth } from ${JSON.stringify(moduleUrl)};
       console.log(tuneHeapGrowth(process.execArgv, ''), tuneHeapGrowth([], '--heap-growing-percent-x=1'));`,
    ],
    { encoding: 'utf8', cwd: fileURLToPath(new URL('.', import.meta.url)) },
  );
  assert.equal(out.trim(), 'true true');
});
