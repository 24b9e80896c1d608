/**
 * The operator's accounts: list with storage used and quota, create (the root key's secret shown
 * once), change or remove a quota, a new root key, delete with a typed confirmation.
 */
import { useState } from 'preact/hooks';
import type { Account, AccountKey } from '../api/accounts';
import { errorText } from '../api/errors';
import { useConsole } from '../context';
import {
  Alert,
  Badge,
  Button,
  CopyField,
  EmptyState,
  Field,
  Modal,
  PageHeader,
  Section,
  Spinner,
} from '../ui/components';
import { credentialsFile, downloadText } from '../ui/credentialsFile';
import { formatBytes, formatDate } from '../ui/format';
import { useAsync } from '../ui/useAsync';

const GIB = 1024 ** 3;

type Dialog =
  | { kind: 'key'; title: string; account: string; key: AccountKey }
  | { kind: 'quota'; account: Account }
  | { kind: 'delete'; account: Account };

export function Accounts() {
  const { accounts } = useConsole();
  const list = useAsync(() => accounts.list(), []);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ kind: 'error' | 'success'; text: string } | undefined>();
  const [dialog, setDialog] = useState<Dialog | undefined>();

  const create = async (e: Event): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setNote(undefined);
    try {
      const r = await accounts.create(name.trim());
      setDialog({ kind: 'key', title: 'Account created', account: r.account.accountName, key: r.rootAccessKey });
      setName('');
      list.reload();
    } catch (err) {
      setNote({ kind: 'error', text: errorText(err) });
    } finally {
      setBusy(false);
    }
  };
  const newKey = async (a: Account): Promise<void> => {
    setNote(undefined);
    try {
      const key = await accounts.createKey(a.accountId);
      setDialog({ kind: 'key', title: 'Root access key created', account: a.accountName, key });
    } catch (err) {
      setNote({ kind: 'error', text: errorText(err) });
    }
  };
  const rows = list.data ?? [];

  return (
    <div class="page stack-lg">
      <PageHeader
        title="Accounts"
        subtitle="Teams on this server: each account has its own buckets, keys and storage quota. Only the operator sees this page."
      />
      {note !== undefined && <Alert kind={note.kind}>{note.text}</Alert>}
      <Section title="Create an account" description="The new account's root access key is shown once, right after.">
        <form class="inline-form" onSubmit={(e) => void create(e)}>
          <Field id="account-name" label="Account name" hint="Unique on this server.">
            {(d) => (
              <input
                id="account-name"
                value={name}
                required
                aria-describedby={d}
                onInput={(e) => setName(e.currentTarget.value)}
              />
            )}
          </Field>
          <Button type="submit" variant="primary" busy={busy}>
            Create account
          </Button>
        </form>
      </Section>
      <Section title="All accounts">
        {list.error !== undefined && <Alert>{list.error}</Alert>}
        {list.data === undefined && list.error === undefined ? (
          <Spinner />
        ) : rows.length === 0 ? (
          <EmptyState title="No accounts" />
        ) : (
          <table class="table">
            <caption class="sr-only">Accounts</caption>
            <thead>
              <tr>
                <th scope="col">Account ID</th>
                <th scope="col">Name</th>
                <th scope="col">Storage used</th>
                <th scope="col">Quota</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((a) => (
                <tr key={a.accountId}>
                  <td class="mono">{a.accountId}</td>
                  <td>
                    {a.accountName} {a.isOperator === true && <Badge kind="good">Operator</Badge>}
                  </td>
                  <td>{formatBytes(a.storageUsedBytes ?? 0)}</td>
                  <td>
                    {a.storageQuotaBytes !== undefined ? (
                      formatBytes(a.storageQuotaBytes)
                    ) : (
                      <span class="muted">None</span>
                    )}
                  </td>
                  <td>{formatDate(a.createdAt !== undefined ? new Date(a.createdAt * 1000) : undefined)}</td>
                  <td class="row-actions">
                    <Button
                      variant="ghost"
                      aria-label={`Set the quota of ${a.accountName}`}
                      onClick={() => setDialog({ kind: 'quota', account: a })}
                    >
                      Quota
                    </Button>
                    <Button
                      variant="ghost"
                      aria-label={`New root key for ${a.accountName}`}
                      onClick={() => void newKey(a)}
                    >
                      New key
                    </Button>
                    {a.isOperator !== true && (
                      <Button
                        variant="ghost"
                        aria-label={`Delete account ${a.accountName}`}
                        onClick={() => setDialog({ kind: 'delete', account: a })}
                      >
                        Delete
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      {dialog?.kind === 'key' && (
        <Modal title={dialog.title} onClose={() => setDialog(undefined)} wide>
          <div class="stack">
            <Alert kind="info">
              This is the only time the secret access key is shown. Hand it to the account's team, or download the
              credentials file now.
            </Alert>
            <CopyField id="account-key-id" label="Access key ID" value={dialog.key.accessKeyId} />
            <CopyField id="account-key-secret" label="Secret access key" value={dialog.key.secretAccessKey ?? ''} />
            <div class="form-actions">
              <Button
                onClick={() =>
                  downloadText(
                    `sailbucket-${dialog.account}-credentials`,
                    credentialsFile(`sailbucket-${dialog.account}`, dialog.key, [
                      `Sailbucket root access key of account ${dialog.account}, created ${new Date().toISOString()}`,
                      `endpoint: ${location.origin}`,
                    ]),
                  )
                }
              >
                Download credentials file
              </Button>
              <Button variant="primary" onClick={() => setDialog(undefined)}>
                Done
              </Button>
            </div>
          </div>
        </Modal>
      )}
      {dialog?.kind === 'quota' && (
        <QuotaDialog
          account={dialog.account}
          onClose={() => setDialog(undefined)}
          onSaved={(text) => {
            setDialog(undefined);
            setNote({ kind: 'success', text });
            list.reload();
          }}
        />
      )}
      {dialog?.kind === 'delete' && (
        <DeleteDialog
          account={dialog.account}
          onClose={() => setDialog(undefined)}
          onDeleted={(text) => {
            setDialog(undefined);
            setNote({ kind: 'success', text });
            list.reload();
          }}
        />
      )}
    </div>
  );
}

function QuotaDialog(props: { account: Account; onClose: () => void; onSaved: (text: string) => void }) {
  const { accounts } = useConsole();
  const a = props.account;
  const [gib, setGib] = useState(a.storageQuotaBytes !== undefined ? String(a.storageQuotaBytes / GIB) : '');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const save = async (e: Event): Promise<void> => {
    e.preventDefault();
    const text = gib.trim();
    // Sent as typed (in bytes): the server's own validation says what is wrong with it.
    const quota = text === '' ? undefined : Math.round(Number(text) * GIB);
    if (text !== '' && !Number.isFinite(quota)) {
      setError(`'${text}' is not a number of GiB.`);
      return;
    }
    setBusy(true);
    try {
      await accounts.setQuota(a.accountId, quota);
      props.onSaved(quota === undefined ? `${a.accountName} has no quota now.` : `Quota of ${a.accountName} set.`);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title={`Storage quota of ${a.accountName}`} onClose={props.onClose}>
      <form class="stack" onSubmit={(e) => void save(e)}>
        <Field
          id="quota-gib"
          label="Storage quota (GiB)"
          hint="Every object version and unfinished upload counts. Leave empty for no quota."
          error={error}
        >
          {(d, invalid) => (
            <input
              id="quota-gib"
              inputMode="decimal"
              value={gib}
              aria-describedby={d}
              aria-invalid={invalid}
              onInput={(e) => setGib(e.currentTarget.value)}
            />
          )}
        </Field>
        <div class="form-actions">
          <Button onClick={props.onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>
            Save quota
          </Button>
        </div>
      </form>
    </Modal>
  );
}

function DeleteDialog(props: { account: Account; onClose: () => void; onDeleted: (text: string) => void }) {
  const { accounts } = useConsole();
  const a = props.account;
  const [typed, setTyped] = useState('');
  const [force, setForce] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const remove = async (e: Event): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    try {
      await accounts.remove(a.accountId, force);
      props.onDeleted(`Account ${a.accountName} deleted.`);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title={`Delete account ${a.accountName}`} onClose={props.onClose}>
      <form class="stack" onSubmit={(e) => void remove(e)}>
        {error !== undefined && <Alert>{error}</Alert>}
        <p>Its root keys stop working at once. This cannot be undone.</p>
        <label class="check">
          <input type="checkbox" checked={force} onChange={(e) => setForce(e.currentTarget.checked)} />
          Force delete: also delete every bucket of the account, with all objects and keys
        </label>
        <Field id="confirm-account" label={`Type ${a.accountName} to confirm`}>
          {(d) => (
            <input
              id="confirm-account"
              value={typed}
              autoComplete="off"
              aria-describedby={d}
              onInput={(e) => setTyped(e.currentTarget.value)}
            />
          )}
        </Field>
        <div class="form-actions">
          <Button onClick={props.onClose}>Cancel</Button>
          <Button type="submit" variant="danger" busy={busy} disabled={typed !== a.accountName}>
            Delete account
          </Button>
        </div>
      </form>
    </Modal>
  );
}
