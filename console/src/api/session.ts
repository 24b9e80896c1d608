/**
 * Who is signed in. The secret lives in memory and in sessionStorage (so a reload of this tab
 * keeps the session); never in localStorage, a cookie or a URL. Signing out clears both.
 */
export interface Session {
  accessKeyId: string;
  secretAccessKey: string;
  /** The Lightsail region the control plane is called in. */
  region: string;
  /** `root`: the account's root credentials; `bucket`: a bucket access key (S3 only, one bucket). */
  kind: 'root' | 'bucket';
  /** For a bucket key: its bucket. */
  bucket?: string;
}

const KEY = 'sailbucket.console.session';

export function loadSession(): Session | undefined {
  const raw = sessionStorage.getItem(KEY);
  if (raw === null) return undefined;
  try {
    const v: unknown = JSON.parse(raw);
    if (typeof v !== 'object' || v === null) return undefined;
    const o = v as Record<string, unknown>;
    if (typeof o.accessKeyId !== 'string' || typeof o.secretAccessKey !== 'string' || typeof o.region !== 'string')
      return undefined;
    return {
      accessKeyId: o.accessKeyId,
      secretAccessKey: o.secretAccessKey,
      region: o.region,
      kind: o.kind === 'bucket' ? 'bucket' : 'root',
      bucket: typeof o.bucket === 'string' ? o.bucket : undefined,
    };
  } catch {
    return undefined;
  }
}

export function saveSession(s: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(s));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}
