/** Hash routes (`#/buckets/NAME/objects?prefix=…`): the server serves one page for all of them. */
import { useEffect, useState } from 'preact/hooks';

export type BucketTab = 'objects' | 'permissions' | 'metrics' | 'settings';
export const BUCKET_TABS: readonly BucketTab[] = ['objects', 'permissions', 'metrics', 'settings'];

export type Route =
  { page: 'buckets' } | { page: 'accounts' } | { page: 'bucket'; bucket: string; tab: BucketTab; prefix: string };

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const path = q === -1 ? raw : raw.slice(0, q);
  const params = new URLSearchParams(q === -1 ? '' : raw.slice(q + 1));
  const parts = path.split('/').filter((p) => p !== '');
  if (parts[0] === 'accounts') return { page: 'accounts' };
  if (parts[0] === 'buckets' && parts[1] !== undefined) {
    let bucket: string;
    try {
      bucket = decodeURIComponent(parts[1]);
    } catch {
      return { page: 'buckets' };
    }
    const tab = (BUCKET_TABS as readonly string[]).includes(parts[2] ?? '') ? (parts[2] as BucketTab) : 'objects';
    return { page: 'bucket', bucket, tab, prefix: params.get('prefix') ?? '' };
  }
  return { page: 'buckets' };
}

export function href(route: Route): string {
  if (route.page === 'buckets') return '#/buckets';
  if (route.page === 'accounts') return '#/accounts';
  const base = `#/buckets/${encodeURIComponent(route.bucket)}/${route.tab}`;
  return route.prefix !== '' ? `${base}?prefix=${encodeURIComponent(route.prefix)}` : base;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
