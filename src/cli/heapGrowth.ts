import { setFlagsFromString } from 'node:v8';

/**
 * The server's old-generation growth factor, in percent over the live heap (V8's
 * `--heap-growing-percent`; 300 = the next full collection at 4x what the last one left).
 *
 * Why: Sailbucket's live heap is small (about 13-14 MiB: modules, prepared statements, bounded
 * caches) and V8 sizes the next limit from it (about 2.8x here), which left less room than the young
 * generation's 32 MiB. V8 then starts incremental marking right after each full collection, so with
 * 1 MiB uploads the server ran a full mark-compact every 10-30 requests (25-57 per 1000 PUTs against
 * 2 with this setting), about 1 ms of CPU per PUT on V8's helper threads. The cost is a larger heap
 * before each full collection (RSS about 12 MiB higher in the same run). Measured in
 * docs/performance.md, "PUT 1 MiB, stage by stage".
 */
export const HEAP_GROWING_PERCENT = 300;

const OWN_SETTING = /^--heap[-_]growing[-_]percent(=|$)/;

/**
 * Sets the growth factor for this process unless the operator chose one (`node --heap-growing-percent=N`
 * or the same in NODE_OPTIONS), which is then left as it is. Returns whether it set it.
 */
export function tuneHeapGrowth(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)];
  if (given.some((a) => OWN_SETTING.test(a))) return false;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
