/**
 * `sailbucket migrate --metadata-url postgres://…`: brings a PostgreSQL metadata database to this
 * version's schema and exits (the same migrations `serve` runs on start, under the same advisory
 * lock, so it is safe while nodes start). For operators who migrate before a rolling restart.
 */
import type { Io } from './cli/io.js';
import { checkMetadataUrl, ConfigError } from './config.js';
import { migrateMetadata } from './store/factory.js';

export const MIGRATE_USAGE = `Usage: sailbucket migrate --metadata-url postgres://USER@HOST:5432/DATABASE

Applies the schema migrations this version needs to a PostgreSQL metadata database, then exits.
The URL may also come from SAILBUCKET_METADATA_URL. Safe to run while nodes are starting: every
migration runs under one advisory lock. The embedded SQLite store migrates itself on start.
`;

export async function runMigrate(argv: string[], io: Io): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(MIGRATE_USAGE);
    return 0;
  }
  const fail = (message: string): number => {
    io.stderr.write(`sailbucket migrate: ${message}\n`);
    return 1;
  };
  let url = io.env.SAILBUCKET_METADATA_URL || undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--metadata-url') url = argv[++i];
    else if (a.startsWith('--metadata-url=')) url = a.slice('--metadata-url='.length);
    else return fail(`unexpected argument '${a}' (see sailbucket migrate --help)`);
  }
  if (!url) return fail('give the database with --metadata-url postgres://USER@HOST:5432/DATABASE');
  try {
    checkMetadataUrl(url);
  } catch (err) {
    return fail((err as ConfigError).message);
  }
  try {
    const applied = await migrateMetadata({ kind: 'postgres', url });
    io.stdout.write(
      applied.length === 0
        ? 'schema is current: nothing to apply\n'
        : `applied ${applied.length} migration(s): ${applied.join(', ')}\n`,
    );
    return 0;
  } catch (err) {
    return fail(`cannot migrate the metadata database: ${err instanceof Error ? err.message : String(err)}`);
  }
}
