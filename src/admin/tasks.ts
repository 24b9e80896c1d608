import type { AdminContext, TaskOutput, TaskResult } from './context.js';

export type TaskRequest = { task: 'backup'; to: string } | { task: 'verify' } | { task: 'rotate-master-key' };

/** Runs one operator task against a context (the server's own, or one built by admin/local.ts). */
export async function runTask(ctx: AdminContext, req: TaskRequest, out: TaskOutput): Promise<TaskResult> {
  switch (req.task) {
    case 'backup':
      return (await import('./backup.js')).runBackup(ctx, req.to, out);
    case 'verify':
      return (await import('./verify.js')).runVerify(ctx, out);
    case 'rotate-master-key':
      return (await import('./rotateMasterKey.js')).runRotateMasterKey(ctx, out);
  }
}
