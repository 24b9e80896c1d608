/** The shell: sign-in until there is a session, then the top bar and the routed page. */
import { useMemo, useState } from 'preact/hooks';
import { clearSession, loadSession, saveSession, type Session } from './api/session';
import { ConsoleContext, makeConsole } from './context';
import { href, useRoute } from './router';
import { SignIn } from './pages/SignIn';
import { Buckets } from './pages/Buckets';
import { BucketPage } from './pages/BucketPage';
import { Accounts } from './pages/Accounts';
import { useAsync } from './ui/useAsync';
import { Spinner } from './ui/components';

export function App() {
  const [session, setSession] = useState<Session | undefined>(() => loadSession());
  const route = useRoute();
  const signOut = (): void => {
    clearSession();
    setSession(undefined);
    location.hash = '';
  };
  const ctx = useMemo(() => (session !== undefined ? makeConsole(session, signOut) : undefined), [session]);
  // The Accounts page is the operator's: its link shows when the account operations answer.
  const operator = useAsync(
    async () =>
      ctx !== undefined && session?.kind === 'root'
        ? ctx.accounts.list().then(
            () => true,
            () => false,
          )
        : false,
    [ctx],
  );

  if (session === undefined || ctx === undefined) {
    return (
      <SignIn
        onSignedIn={(s) => {
          saveSession(s);
          setSession(s);
          if (s.kind === 'bucket' && s.bucket !== undefined)
            location.hash = href({ page: 'bucket', bucket: s.bucket, tab: 'objects', prefix: '' });
        }}
      />
    );
  }
  // A bucket key sees its one bucket's objects and nothing else.
  const effective =
    session.kind === 'bucket' && session.bucket !== undefined
      ? {
          page: 'bucket' as const,
          bucket: session.bucket,
          tab: 'objects' as const,
          prefix: route.page === 'bucket' ? route.prefix : '',
        }
      : route;
  return (
    <ConsoleContext.Provider value={ctx}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href={session.kind === 'root' ? '#/buckets' : undefined}>
          <img src="./favicon.svg" alt="" width="24" height="24" />
          Sailbucket
        </a>
        {operator.data === true && (
          <nav class="topbar-nav" aria-label="Console">
            <a
              class="btn btn-ghost btn-small"
              href="#/buckets"
              aria-current={route.page !== 'accounts' ? 'page' : undefined}
            >
              Buckets
            </a>
            <a
              class="btn btn-ghost btn-small"
              href="#/accounts"
              aria-current={route.page === 'accounts' ? 'page' : undefined}
            >
              Accounts
            </a>
          </nav>
        )}
        <span class="topbar-meta">
          <span class="mono">{session.accessKeyId}</span>
          <span class="dot" aria-hidden="true">
            ·
          </span>
          {session.kind === 'root' ? 'Account root' : `Bucket key for ${session.bucket ?? '?'}`}
          <span class="dot" aria-hidden="true">
            ·
          </span>
          {session.region}
        </span>
        <button type="button" class="btn btn-ghost btn-small" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {effective.page === 'buckets' ? (
          <Buckets />
        ) : effective.page === 'accounts' ? (
          // Anyone but the operator gets the buckets page at #/accounts.
          operator.data === true ? (
            <Accounts />
          ) : operator.data === false ? (
            <Buckets />
          ) : (
            <Spinner />
          )
        ) : (
          <BucketPage key={effective.bucket} bucket={effective.bucket} tab={effective.tab} prefix={effective.prefix} />
        )}
      </main>
    </ConsoleContext.Provider>
  );
}
