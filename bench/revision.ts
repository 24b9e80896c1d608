/** The commit the servers were built from, `+dirty` when the working tree has changes. */
import { spawnSync } from 'node:child_process';

export function gitRevision(repoRoot: string): string {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' });
  if (head.status !== 0) return 'unknown (not a git checkout)';
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  return `${head.stdout.trim()}${dirty.stdout?.trim() ? '+dirty' : ''}`;
}
