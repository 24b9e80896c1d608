/** Sign-in with an access key: the account root, or a bucket key (which sees its bucket's objects only). */
import { useState } from 'preact/hooks';
import { ControlPlane } from '../api/lightsail';
import { errorText } from '../api/errors';
import type { Session } from '../api/session';
import { Alert, Button, Field } from '../ui/components';

export function SignIn(props: { onSignedIn: (s: Session) => void }) {
  const [accessKeyId, setId] = useState('');
  const [secret, setSecret] = useState('');
  const [region, setRegion] = useState('us-east-1');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setError(undefined);
    setBusy(true);
    const base: Session = {
      accessKeyId: accessKeyId.trim(),
      secretAccessKey: secret.trim(),
      region: region.trim(),
      kind: 'root',
    };
    try {
      try {
        await new ControlPlane(base).buckets();
        props.onSignedIn(base);
      } catch (err) {
        // A bucket key may not call the control plane: try it as an S3 key for its one bucket.
        if (!(err instanceof Error) || err.name !== 'AccessDeniedException') throw err;
        const { bucketOfKey } = await import('../api/s3');
        const b = await bucketOfKey(base);
        props.onSignedIn({ ...base, kind: 'bucket', bucket: b.name, region: b.region });
      }
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="signin" id="main">
      <form class="signin-card" onSubmit={(e) => void submit(e)} aria-labelledby="signin-title">
        <div class="signin-brand">
          <img src="./favicon.svg" alt="" width="40" height="40" />
          <h1 id="signin-title">Sign in to Sailbucket</h1>
          <p class="subtitle">
            Use the account root credentials (in <code>data/credentials</code>) or a bucket access key.
          </p>
        </div>
        {error !== undefined && <Alert>{error}</Alert>}
        <Field id="access-key-id" label="Access key ID">
          {(d) => (
            <input
              id="access-key-id"
              class="mono"
              autoComplete="username"
              spellcheck={false}
              required
              value={accessKeyId}
              aria-describedby={d}
              onInput={(e) => setId(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field
          id="secret-access-key"
          label="Secret access key"
          hint="Kept in this tab only, and forgotten when you sign out or close it."
        >
          {(d) => (
            <input
              id="secret-access-key"
              class="mono"
              type="password"
              autoComplete="current-password"
              required
              value={secret}
              aria-describedby={d}
              onInput={(e) => setSecret(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field id="region" label="Region">
          {(d) => (
            <input
              id="region"
              value={region}
              required
              aria-describedby={d}
              onInput={(e) => setRegion(e.currentTarget.value)}
            />
          )}
        </Field>
        <Button type="submit" variant="primary" busy={busy}>
          Sign in
        </Button>
      </form>
    </main>
  );
}
