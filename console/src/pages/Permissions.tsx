/** Who can reach a bucket: its access rule, read-only accounts, and its access keys. */
import { useState } from 'preact/hooks';
import type { AccessKey, Bucket } from '../api/lightsail';
import { errorText } from '../api/errors';
import { useConsole } from '../context';
import { Alert, Badge, Button, Field, Modal, Section } from '../ui/components';
import { credentialsFile } from '../ui/credentialsFile';
import { NewKeyDialog } from '../ui/NewKeyDialog';
import { formatDate } from '../ui/format';
import { useAsync } from '../ui/useAsync';

export function Permissions(props: { bucket: Bucket; onChanged: () => void }) {
  return (
    <div class="stack-lg">
      <AccessRule bucket={props.bucket} onChanged={props.onChanged} />
      <AccessKeys bucket={props.bucket} />
      <ReadonlyAccounts bucket={props.bucket} onChanged={props.onChanged} />
    </div>
  );
}

function AccessRule(props: { bucket: Bucket; onChanged: () => void }) {
  const { control } = useConsole();
  const name = props.bucket.name ?? '';
  const [getObject, setGetObject] = useState(props.bucket.accessRules?.getObject ?? 'private');
  const [overrides, setOverrides] = useState(props.bucket.accessRules?.allowPublicOverrides ?? false);
  const [note, setNote] = useState<{ kind: 'error' | 'success'; text: string } | undefined>();
  const [busy, setBusy] = useState(false);
  const save = async (e: Event): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    try {
      await control.updateBucket({ bucketName: name, accessRules: { getObject, allowPublicOverrides: overrides } });
      setNote({ kind: 'success', text: 'Access rule saved.' });
      props.onChanged();
    } catch (err) {
      setNote({ kind: 'error', text: errorText(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section title="Access rule" description="Who can read objects without credentials.">
      <form class="stack" onSubmit={(e) => void save(e)}>
        {note !== undefined && <Alert kind={note.kind}>{note.text}</Alert>}
        <fieldset class="radios">
          <legend class="sr-only">Bucket access</legend>
          <label class="check">
            <input
              type="radio"
              name="access"
              checked={getObject === 'private'}
              onChange={() => setGetObject('private')}
            />
            <span>
              <strong>All objects are private</strong>
              <span class="hint block">
                Only requests signed with this account's or the bucket's keys can read objects.
              </span>
            </span>
          </label>
          <label class="check">
            <input
              type="radio"
              name="access"
              checked={getObject === 'public'}
              onChange={() => setGetObject('public')}
            />
            <span>
              <strong>All objects are public (read-only)</strong>
              <span class="hint block">Anyone on the internet can read every object by its URL.</span>
            </span>
          </label>
        </fieldset>
        <label class="check">
          <input
            type="checkbox"
            checked={overrides}
            disabled={getObject === 'public'}
            onChange={(e) => setOverrides(e.currentTarget.checked)}
          />
          Allow individual objects to be made public (object ACL <code>public-read</code>)
        </label>
        <div class="form-actions left">
          <Button type="submit" variant="primary" busy={busy}>
            Save access rule
          </Button>
        </div>
      </form>
    </Section>
  );
}

/** The bucket key's credentials-file snippet (what the download holds). */
function bucketCredentials(bucket: string, key: AccessKey): string {
  return credentialsFile(`sailbucket-${bucket}`, key, [
    `Sailbucket bucket access key for ${bucket}, created ${new Date().toISOString()}`,
    `S3 endpoint: ${location.origin} (path-style; region ${key.lastUsed?.region ?? 'as the bucket'})`,
  ]);
}

function AccessKeys(props: { bucket: Bucket }) {
  const { control } = useConsole();
  const name = props.bucket.name ?? '';
  const keys = useAsync(() => control.accessKeys(name), [name]);
  const [created, setCreated] = useState<{ key: AccessKey; replaces?: string } | undefined>();
  const [note, setNote] = useState<{ kind: 'error' | 'success'; text: string } | undefined>();
  const [busy, setBusy] = useState(false);
  const [deleting, setDeleting] = useState<string | undefined>();

  const create = async (replaces?: string): Promise<void> => {
    setBusy(true);
    setNote(undefined);
    try {
      const key = await control.createAccessKey(name);
      setCreated({ key, replaces });
      keys.reload();
    } catch (err) {
      setNote({ kind: 'error', text: errorText(err) });
    } finally {
      setBusy(false);
    }
  };
  const remove = async (id: string): Promise<void> => {
    try {
      await control.deleteAccessKey(name, id);
      setNote({ kind: 'success', text: `Access key ${id} deleted.` });
    } catch (err) {
      setNote({ kind: 'error', text: errorText(err) });
    }
    setDeleting(undefined);
    keys.reload();
  };
  const list = keys.data ?? [];

  return (
    <Section
      title="Access keys"
      description="Keys for programs that use this bucket over S3 (at most two, so one can be rotated while the other works)."
      actions={
        <Button variant="primary" busy={busy} onClick={() => void create()}>
          Create access key
        </Button>
      }
    >
      {note !== undefined && <Alert kind={note.kind}>{note.text}</Alert>}
      {keys.error !== undefined && <Alert>{keys.error}</Alert>}
      {list.length === 0 && keys.data !== undefined ? (
        <p class="muted pad">No access keys. Create one to use this bucket from the AWS CLI, an SDK or any S3 tool.</p>
      ) : (
        <table class="table">
          <caption class="sr-only">Access keys</caption>
          <thead>
            <tr>
              <th scope="col">Access key ID</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((k) => (
              <tr key={k.accessKeyId}>
                <td class="mono">{k.accessKeyId}</td>
                <td>{k.status === 'Active' ? <Badge kind="good">Active</Badge> : <Badge>{k.status ?? '—'}</Badge>}</td>
                <td>{formatDate(k.createdAt)}</td>
                <td>
                  {k.lastUsed?.lastUsedDate !== undefined ? (
                    <>
                      {formatDate(k.lastUsed.lastUsedDate)}
                      <span class="muted">
                        {' '}
                        · {k.lastUsed.serviceName} · {k.lastUsed.region}
                      </span>
                    </>
                  ) : (
                    <span class="muted">Never used</span>
                  )}
                </td>
                <td class="row-actions">
                  <Button
                    variant="ghost"
                    aria-label={`Rotate access key ${k.accessKeyId ?? ''}`}
                    onClick={() => void create(k.accessKeyId)}
                  >
                    Rotate
                  </Button>
                  <Button
                    variant="ghost"
                    aria-label={`Delete access key ${k.accessKeyId ?? ''}`}
                    onClick={() => setDeleting(k.accessKeyId)}
                  >
                    Delete
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {created !== undefined && (
        <NewKeyDialog
          title="Access key created"
          accessKeyId={created.key.accessKeyId ?? ''}
          secretAccessKey={created.key.secretAccessKey ?? ''}
          advice="Copy it or download the credentials file now."
          fileName={`sailbucket-${name}-credentials`}
          fileText={bucketCredentials(name, created.key)}
          onClose={() => setCreated(undefined)}
          actions={
            created.replaces !== undefined && (
              <Button
                variant="danger"
                onClick={() => {
                  const old = created.replaces ?? '';
                  setCreated(undefined);
                  void remove(old);
                }}
              >
                Delete old key now
              </Button>
            )
          }
        >
          {created.replaces !== undefined && (
            <p>
              Rotating: once your programs use the new key, delete the old key{' '}
              <span class="mono">{created.replaces}</span>.
            </p>
          )}
        </NewKeyDialog>
      )}
      {deleting !== undefined && (
        <Modal title="Delete access key" onClose={() => setDeleting(undefined)}>
          <div class="stack">
            <p>
              Programs using <span class="mono">{deleting}</span> stop working at once. This cannot be undone.
            </p>
            <div class="form-actions">
              <Button onClick={() => setDeleting(undefined)}>Cancel</Button>
              <Button variant="danger" onClick={() => void remove(deleting)}>
                Delete key
              </Button>
            </div>
          </div>
        </Modal>
      )}
    </Section>
  );
}

function ReadonlyAccounts(props: { bucket: Bucket; onChanged: () => void }) {
  const { control } = useConsole();
  const name = props.bucket.name ?? '';
  const current = props.bucket.readonlyAccessAccounts ?? [];
  const [account, setAccount] = useState('');
  const [note, setNote] = useState<{ kind: 'error' | 'success'; text: string } | undefined>();
  const save = async (accounts: string[]): Promise<void> => {
    try {
      await control.updateBucket({ bucketName: name, readonlyAccessAccounts: accounts });
      setNote({ kind: 'success', text: 'Read-only accounts saved.' });
      setAccount('');
      props.onChanged();
    } catch (err) {
      setNote({ kind: 'error', text: errorText(err) });
    }
  };
  return (
    <Section
      title="Read-only access for other accounts"
      description="Other accounts on this server that may read (not write) this bucket's objects."
    >
      {note !== undefined && <Alert kind={note.kind}>{note.text}</Alert>}
      {current.length === 0 ? (
        <p class="muted pad">No other account has access.</p>
      ) : (
        <ul class="chip-list">
          {current.map((a) => (
            <li key={a} class="chip">
              <span class="mono">{a}</span>
              <button
                type="button"
                class="icon-btn"
                aria-label={`Remove account ${a}`}
                onClick={() => void save(current.filter((x) => x !== a))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (account.trim() !== '') void save([...current, account.trim()]);
        }}
      >
        <Field id="readonly-account" label="Account ID">
          {(d) => (
            <input
              id="readonly-account"
              class="mono"
              value={account}
              aria-describedby={d}
              onInput={(e) => setAccount(e.currentTarget.value)}
            />
          )}
        </Field>
        <Button type="submit">Add account</Button>
      </form>
    </Section>
  );
}
