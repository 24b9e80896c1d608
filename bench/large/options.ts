/** Command-line options of `npm run bench:large -- [options]`, validated with messages that name the bad value. */
import type { ServerName } from '../servers/types.js';

export interface LargeOptions {
  /** Size of the file copied up and down, in MiB. */
  mib: number;
  /** Rounds; each round copies once up and once down on every server in turn. */
  rounds: number;
  servers: ServerName[];
  /** Bound of one `aws s3 cp` (killed after it). */
  timeoutSeconds: number;
  /** JSON results, relative to the repository root unless absolute. */
  out: string;
  /** Skip the `dd` measurements of the disk. */
  disk: boolean;
  /** Write a V8 CPU profile of Sailbucket (node --cpu-prof) into this directory. */
  profileDir?: string;
}

export const LARGE_USAGE = `Usage: npm run bench:large -- [options]
       node dist/bench/largeTransfer.js [options]

  --mib N              size of the file copied up and down (default 1024)
  --rounds N           rounds; servers interleaved in each (default 2)
  --servers a,b        sailbucket, sailbucket-relaxed, s3rver, moto
                       (default all four; an absent peer is skipped with a reason)
  --timeout-seconds S  bound of one aws s3 cp, killed after it (default 600)
  --no-disk            skip the dd write/read of the disk
  --out FILE           JSON results (default bench/results/large-transfer.json)
  --profile-dir DIR    run Sailbucket under node --cpu-prof, writing its profile into DIR
`;

export class LargeOptionsError extends Error {
  override readonly name = 'LargeOptionsError';
}

const LARGE_SERVERS: readonly ServerName[] = ['sailbucket', 'sailbucket-relaxed', 's3rver', 'moto'];

function num(name: string, text: string | undefined, min: number): number {
  if (text === undefined) throw new LargeOptionsError(`option --${name} needs a value`);
  const n = Number(text);
  if (!Number.isInteger(n) || n < min)
    throw new LargeOptionsError(`invalid --${name} '${text}': expected an integer ≥ ${min}`);
  return n;
}

export function parseLargeOptions(argv: string[]): LargeOptions {
  const o: LargeOptions = {
    mib: 1024,
    rounds: 2,
    servers: [...LARGE_SERVERS],
    timeoutSeconds: 600,
    out: 'bench/results/large-transfer.json',
    disk: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = (): string | undefined => argv[++i];
    switch (a) {
      case '--mib':
        o.mib = num('mib', v(), 1);
        break;
      case '--rounds':
        o.rounds = num('rounds', v(), 1);
        break;
      case '--servers': {
        const text = v();
        if (!text) throw new LargeOptionsError('option --servers needs a value');
        const list = text
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '');
        for (const s of list)
          if (!LARGE_SERVERS.includes(s as ServerName))
            throw new LargeOptionsError(`invalid --servers '${s}': expected one of ${LARGE_SERVERS.join(', ')}`);
        if (list.length === 0) throw new LargeOptionsError('option --servers needs at least one server');
        o.servers = list as ServerName[];
        break;
      }
      case '--timeout-seconds':
        o.timeoutSeconds = num('timeout-seconds', v(), 1);
        break;
      case '--no-disk':
        o.disk = false;
        break;
      case '--out': {
        const f = v();
        if (!f) throw new LargeOptionsError('option --out needs a file name');
        o.out = f;
        break;
      }
      case '--profile-dir': {
        const d = v();
        if (!d) throw new LargeOptionsError('option --profile-dir needs a directory');
        o.profileDir = d;
        break;
      }
      default:
        throw new LargeOptionsError(`unknown option '${a}'\n\n${LARGE_USAGE}`);
    }
  }
  return o;
}
