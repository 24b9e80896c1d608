/**
 * `sailbucket backup|verify|rotate-master-key [--data-dir D]`: operator commands on a data directory.
 * With a server running on D, the server does the work (asked over `<D>/admin.sock`, see socket.ts);
 * with none, the command takes the data-directory lock and does it itself. Progress goes to stderr,
 * the summary to stdout. Exit status: 0 done (verify: no problems), 1 failed or problems found,
 * 2 bad usage.
 */
import { resolve } from 'node:path';
import type { CliIo } from '../cli/io.js';
import { DataDirLocked } from '../store/dataDirLock.js';
import type { TaskOutput } from './context.js';
import { askServer, adminSocketPath } from './socket.js';
import type { TaskRequest } from './tasks.js';

type AdminCommand = 'backup' | 'verify' | 'rotate-master-key';

const WHERE = `  --data-dir DIR   the data directory (default: $SAILBUCKET_DATA_DIR, else ./data)

  With a server running on DIR, the server does the work, asked over DIR/admin.sock (so it needs
  no downtime); with none, the command takes the data-directory lock itself.
  Progress goes to stderr, the summary to stdout.
`;

const USAGE: Record<AdminCommand, string> = {
  backup: `usage: sailbucket backup [--data-dir DIR] --to BACKUP_DIR

  Copies the data directory into BACKUP_DIR (new or empty) while the server keeps serving: one
  consistent SQLite snapshot of the metadata, every blob it references (blob deletion is held off
  meanwhile), the master key, account and credentials files. BACKUP_DIR is itself a data directory:
  'sailbucket serve --data-dir BACKUP_DIR' serves it with the same master key and credentials.

${WHERE}
  Exit status: 0 written; 1 failed (a partial BACKUP_DIR is removed); 2 bad usage.
`,
  verify: `usage: sailbucket verify [--data-dir DIR]

  Checks that the metadata and the blobs agree: every object, part and inline body has its bytes,
  of the size the metadata gives, matching the stored MD5 ETag and checksum; no blob file is left
  that nothing references (older than 10 minutes).

${WHERE}
  Exit status: 0 no problems; 1 problems found (listed on stdout) or the check failed; 2 bad usage.
`,
  'rotate-master-key': `usage: sailbucket rotate-master-key [--data-dir DIR]

  Re-seals every stored secret (bucket key secrets, the generated root secret) under a new master
  key, written to DIR/master.key. Reads never stop; a crash half-way leaves every secret readable
  and running the command again finishes the rotation. Not possible when the key comes from
  SAILBUCKET_MASTER_KEY.

${WHERE}
  Exit status: 0 rotated; 1 failed; 2 bad usage.
`,
};

class Usage extends Error {}

function parse(command: AdminCommand, argv: string[], io: CliIo): TaskRequest & { dataDir: string } {
  let dataDir = io.env.SAILBUCKET_DATA_DIR || './data';
  let to: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] =
      a.startsWith('--') && a.includes('=')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Usage(`${flag} needs a value`);
      return v;
    };
    if (flag === '--data-dir') dataDir = value();
    else if (flag === '--to' && command === 'backup') to = value();
    else throw new Usage(`unknown argument '${a}'`);
  }
  const abs = resolve(io.cwd, dataDir);
  if (command === 'backup') {
    if (to === undefined) throw new Usage('--to BACKUP_DIR is required');
    return { task: 'backup', to: resolve(io.cwd, to), dataDir: abs };
  }
  return { task: command, dataDir: abs };
}

export async function runAdminCommand(command: AdminCommand, argv: string[], io: CliIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') {
    io.stdout.write(USAGE[command]);
    return 0;
  }
  let req: ReturnType<typeof parse>;
  try {
    req = parse(command, argv, io);
  } catch (err) {
    if (!(err instanceof Usage)) throw err;
    io.stderr.write(`sailbucket ${command}: ${err.message}\n\n${USAGE[command]}`);
    return 2;
  }
  const { dataDir, ...task } = req;
  const out: TaskOutput = { progress: (line) => void io.stderr.write(line + '\n') };
  try {
    let outcome = await askServer(dataDir, task, out);
    if (outcome.kind === 'no-server') {
      process.umask(0o077);
      const { runLocally } = await import('./local.js');
      try {
        outcome = { kind: 'done', result: await runLocally(dataDir, io.env, task, out) };
      } catch (err) {
        if (err instanceof DataDirLocked)
          throw new Error(
            `${err.message.replace(/; stop it or use another --data-dir$/, '')}, but nothing answers on its admin socket ${adminSocketPath(dataDir)}; check the server's log`,
            { cause: err },
          );
        throw err;
      }
    }
    io.stdout.write(outcome.result.summary.join('\n') + '\n');
    return outcome.result.problems ? 1 : 0;
  } catch (err) {
    io.stderr.write(`sailbucket ${command}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
