/** What every page needs: the session, the control plane, and the S3 client (loaded on demand). */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { Accounts } from './api/accounts';
import { ControlPlane } from './api/lightsail';
import type { Session } from './api/session';
import type { DataPlane } from './api/s3';

export interface Console {
  session: Session;
  control: ControlPlane;
  /** The operator's account operations (refused for any other caller). */
  accounts: Accounts;
  /** The S3 client for a region; the S3 code is fetched the first time a page needs it. */
  s3(region: string): Promise<DataPlane>;
  signOut(): void;
}

export function makeConsole(session: Session, signOut: () => void): Console {
  const planes = new Map<string, Promise<DataPlane>>();
  const control = new ControlPlane(session);
  return {
    session,
    control,
    accounts: new Accounts(session, control.sha256),
    s3(region) {
      let p = planes.get(region);
      if (p === undefined) {
        p = import('./api/s3').then((m) => new m.DataPlane(session, region));
        planes.set(region, p);
      }
      return p;
    },
    signOut,
  };
}

export const ConsoleContext = createContext<Console | undefined>(undefined);

export function useConsole(): Console {
  const c = useContext(ConsoleContext);
  if (c === undefined) throw new Error('useConsole outside the signed-in console');
  return c;
}
