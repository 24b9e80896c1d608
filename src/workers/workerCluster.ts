import { IpcChangeFeed, type IpcChannel } from '../store/changes/IpcChangeFeed.js';
import type { Cluster } from '../store/factory.js';
import { isLead } from './messages.js';

/**
 * What a worker of `serve --workers N` needs of the others: cache invalidations over the cluster's
 * IPC channel, and leadership as the primary assigns it (one worker at a time runs the background
 * jobs; when it dies, the primary names another). Nothing to claim: the primary holds the data
 * directory's lock for all of them.
 */
export function workerCluster(channel: IpcChannel): Cluster {
  const changes = new IpcChangeFeed(channel);
  let hooks: { gain(): void; lose(): void } | undefined;
  /** What the primary last said (it may say it before `lead` is called). */
  let told = false;
  let leading = false;
  const apply = () => {
    const next = told && hooks !== undefined;
    if (next === leading) return;
    leading = next;
    if (next) hooks!.gain();
    else hooks?.lose();
  };
  const onMessage = (m: unknown) => {
    if (!isLead(m)) return;
    told = m.on;
    apply();
  };
  channel.on('message', onMessage);
  return {
    changes,
    join: async () => undefined,
    lead: async (h) => {
      hooks = h;
      apply();
    },
    close: async () => {
      channel.off('message', onMessage);
      told = false;
      apply();
      await changes.close();
    },
  };
}
