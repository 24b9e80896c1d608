/** Command-line options of `npm run bench -- [options]`, validated with messages that name the bad value. */
import type { CaseSizes } from './cases/types.js';
import { SERVER_NAMES, type ServerName } from './servers/types.js';

export interface BenchOptions {
  quick: boolean;
  servers: ServerName[];
  /** The servers named in --servers (empty when the default list is used): these are never skipped. */
  serversRequested: ServerName[];
  /** Case ids to run (all when empty). */
  cases: string[];
  /** Run no comparison case (only the scaling runs). */
  noCases: boolean;
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  concurrency: number;
  maxOps: number;
  sizes: CaseSizes;
  pin: boolean;
  wrk: 'auto' | 'off';
  out: string;
  scaling: boolean;
  scaleSizes: number[];
  scaleServers: ServerName[];
  scaleSeconds: number;
  bigMiB: number;
  /** Write a V8 CPU profile of Sailbucket (node --cpu-prof) into this directory. */
  profileDir?: string;
}

export const USAGE = `Usage: npm run bench -- [options]

  --quick                 a few seconds per case (what CI runs); smaller scaling run
  --servers a,b           sailbucket,sailbucket-relaxed,sailbucket-workers2,sailbucket-postgres,
                          s3rver,moto,floor,trivial (default all but sailbucket-workers2
                          (serve --workers 2) and sailbucket-postgres; floor and trivial are
                          always added). sailbucket-postgres is PostgreSQL mode (--metadata-url)
                          on a durable throwaway PostgreSQL cluster the bench starts itself
                          (initdb + pg_ctl, fsync and synchronous_commit on) and removes at the
                          end; it never uses an existing database. Without PostgreSQL binaries
                          it is skipped, or FAILS (exit 1) when named in --servers
  --cases a,b             case ids (default all): put-4k-sha256, put-4k-unsigned-trailer, get-4k,
                          put-1m, get-1m, list-1000, head, delete-objects-1000, multipart-64m,
                          control-create-key, control-get-keys
  --no-cases              no comparison case, only the scaling runs
  --rounds N              measured rounds per case, servers interleaved (default 3; quick 2)
  --seconds S             time bound of one measured run (default 5; quick 1)
  --warmup-seconds S      warm-up run per server before the rounds (default 5; quick 0.5)
  --concurrency N         requests in flight (default 16)
  --max-ops N             count bound of one run (default 1000000)
  --list-keys N           keys in the ListObjectsV2 page (default 1000)
  --delete-keys N         keys per DeleteObjects (default 1000)
  --delete-batches N      DeleteObjects requests per run (default 8; quick 2)
  --multipart-mib N       multipart object size (default 64)
  --multipart-uploads N   multipart uploads per run (default 4; quick 1)
  --control-create-ops N  CreateBucketAccessKey calls per run (default 64; quick 8)
  --put-key-space N       distinct keys PUT cases overwrite in turn (default 1000)
  --no-pin                do not pin client and servers to different cores
  --no-wrk                do not use wrk even where it is installed
  --out FILE              JSON results (default bench/results/latest.json; quick: quick.json)
  --no-scaling            skip the scaling runs
  --scale-sizes a,b       bucket sizes for the scaling curve (default 10000,100000,1000000; quick 200,1000)
  --scale-servers a,b     servers for the scaling runs (default sailbucket)
  --scale-seconds S       time bound of each scaling measurement (default 3; quick 0.5)
  --big-mib N             size of the big upload/download for peak RSS (default 2048; quick 32)
  --profile-dir DIR       run Sailbucket under node --cpu-prof, writing its profile into DIR
`;

export class OptionsError extends Error {
  override readonly name = 'OptionsError';
}

function num(name: string, text: string | undefined, min: number, integer = true): number {
  if (text === undefined) throw new OptionsError(`option --${name} needs a value`);
  const n = Number(text);
  if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n)))
    throw new OptionsError(`invalid --${name} '${text}': expected ${integer ? 'an integer' : 'a number'} ≥ ${min}`);
  return n;
}

function serverList(name: string, text: string | undefined): ServerName[] {
  if (!text) throw new OptionsError(`option --${name} needs a value`);
  const list = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const s of list)
    if (!SERVER_NAMES.includes(s as ServerName))
      throw new OptionsError(`invalid --${name} '${s}': expected one of ${SERVER_NAMES.join(', ')}`);
  return list as ServerName[];
}

export function parseOptions(argv: string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const o: BenchOptions = {
    quick,
    // sailbucket-workers2 and sailbucket-postgres only when asked for (--servers): they measure
    // deployment modes (--workers, --metadata-url), not the comparison with peers and floor.
    servers: SERVER_NAMES.filter((n) => n !== 'sailbucket-workers2' && n !== 'sailbucket-postgres'),
    serversRequested: [],
    cases: [],
    noCases: false,
    rounds: quick ? 2 : 3,
    seconds: quick ? 1 : 5,
    warmupSeconds: quick ? 0.5 : 5,
    concurrency: 16,
    maxOps: 1_000_000,
    sizes: {
      listKeys: 1000,
      deleteKeys: 1000,
      deleteBatches: quick ? 2 : 8,
      multipartMiB: 64,
      multipartUploads: quick ? 1 : 4,
      controlCreateOps: quick ? 8 : 64,
      putKeySpace: 1000,
    },
    pin: true,
    wrk: 'auto',
    out: quick ? 'bench/results/quick.json' : 'bench/results/latest.json',
    scaling: true,
    scaleSizes: quick ? [200, 1000] : [10_000, 100_000, 1_000_000],
    scaleServers: ['sailbucket'],
    scaleSeconds: quick ? 0.5 : 3,
    bigMiB: quick ? 32 : 2048,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = (): string | undefined => argv[++i];
    switch (a) {
      case '--quick':
        break;
      case '--servers':
        o.servers = serverList('servers', v());
        o.serversRequested = [...o.servers];
        break;
      case '--no-cases':
        o.noCases = true;
        break;
      case '--cases':
        o.cases = (v() ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '');
        break;
      case '--rounds':
        o.rounds = num('rounds', v(), 1);
        break;
      case '--seconds':
        o.seconds = num('seconds', v(), 0.05, false);
        break;
      case '--warmup-seconds':
        o.warmupSeconds = num('warmup-seconds', v(), 0, false);
        break;
      case '--concurrency':
        o.concurrency = num('concurrency', v(), 1);
        break;
      case '--max-ops':
        o.maxOps = num('max-ops', v(), 1);
        break;
      case '--list-keys':
        o.sizes.listKeys = num('list-keys', v(), 1);
        break;
      case '--delete-keys':
        o.sizes.deleteKeys = num('delete-keys', v(), 1);
        break;
      case '--delete-batches':
        o.sizes.deleteBatches = num('delete-batches', v(), 1);
        break;
      case '--multipart-mib':
        o.sizes.multipartMiB = num('multipart-mib', v(), 1);
        break;
      case '--multipart-uploads':
        o.sizes.multipartUploads = num('multipart-uploads', v(), 1);
        break;
      case '--control-create-ops':
        o.sizes.controlCreateOps = num('control-create-ops', v(), 1);
        break;
      case '--put-key-space':
        o.sizes.putKeySpace = num('put-key-space', v(), 1);
        break;
      case '--no-pin':
        o.pin = false;
        break;
      case '--no-wrk':
        o.wrk = 'off';
        break;
      case '--out': {
        const f = v();
        if (!f) throw new OptionsError('option --out needs a file name');
        o.out = f;
        break;
      }
      case '--no-scaling':
        o.scaling = false;
        break;
      case '--scale-sizes': {
        const text = v();
        o.scaleSizes = (text ?? '').split(',').map((s) => num('scale-sizes', s.trim(), 1));
        if (o.scaleSizes.length === 0) throw new OptionsError('option --scale-sizes needs at least one size');
        o.scaleSizes.sort((x, y) => x - y);
        break;
      }
      case '--scale-servers':
        o.scaleServers = serverList('scale-servers', v());
        break;
      case '--scale-seconds':
        o.scaleSeconds = num('scale-seconds', v(), 0.05, false);
        break;
      case '--big-mib':
        o.bigMiB = num('big-mib', v(), 0);
        break;
      case '--profile-dir': {
        const d = v();
        if (!d) throw new OptionsError('option --profile-dir needs a directory');
        o.profileDir = d;
        break;
      }
      default:
        throw new OptionsError(`unknown option '${a}'\n\n${USAGE}`);
    }
  }
  if (o.sizes.deleteKeys > 1000)
    throw new OptionsError(`invalid --delete-keys ${o.sizes.deleteKeys}: DeleteObjects takes at most 1000 keys`);
  if (o.sizes.listKeys > 1000)
    throw new OptionsError(`invalid --list-keys ${o.sizes.listKeys}: one ListObjectsV2 page holds at most 1000 keys`);
  for (const reference of ['floor', 'trivial'] as const) if (!o.servers.includes(reference)) o.servers.push(reference);
  return o;
}
