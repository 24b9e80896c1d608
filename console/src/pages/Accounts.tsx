/**
 * The operator's accounts: list with storage used, quota and root keys; create (name checked as
 * you type, the root key's secret shown once); change or remove a quota; add or delete a root key;
 * delete with a typed confirmation.
 */
import { useState } from 'preact/hooks';
import type { Account, AccountKey } from '../api/accounts';
import { errorText } from '../api/errors';
import { useConsole } from '../context';
import { Alert, Badge, Button, EmptyState, Field, Modal, PageHeader, Section, Spinner } from '../ui/components';
import { formatBytes, formatDate } from '../ui/format';
import { credentialsFile } from '../ui/credentialsFile';
import { NewKeyDialog } from '../ui/NewKeyDialog';
import { useAsync } from '../ui/useAsync';

const GIB = 1024 ** 3;

/** The server's rule for account names (src/domain/accounts/names.ts), checked as you type. */
const ACCOUNT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function accountNameProblem(name: string): string | undefined {
  if (name === '' || ACCOUNT_NAME.test(name)) return undefined;
  if (name.length > 64) return `${name.length} characters: at most 64.`;
  if (!/^[A-Za-z0-9]/.test(name)) return 'Start with a letter or a digit.';
  const bad = [...name].find((c) => !/[A-Za-z0-9._-]/.test(c));
  return `'${bad ?? ''}' is not allowed: use letters, digits, dots, underscores or hyphens.`;
}

const secondsDate = (s: number | undefined): Date | undefined => (s !== undefined ? new Date(s * 1000) : undefined);

function rootCredentials(account: string, key: AccountKey): string {
  return credentialsFile(`sailbucket-${account}`, key, [
    `Sailbucket root access key of account ${account}, created ${new Date().toISOString()}`,
    `endpoint: ${location.origin} (Lightsail control plane and S3)`,
  ]);
}

type Dialog =
  | { kind: 'key'; title: string; account: string; key: AccountKey }
  | { kind: 'quota'; account: Account }
  | { kind: 'delete-key'; account: Account; accessKeyId: string }
  | { kind: 'delete'; account: Account };

export function Accounts() {
  const { accounts } = useConsole();
  const list = useAsync(() => accounts.list(), []);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [createError, setCreateError] = useState<string | undefined>();
  const [note, setNote] = useState<{ kind: 'error' | 'success'; text: string } | undefined>();
  const [dialog, setDialog] = useState<Dialog | undefined>();
  const problem = accountNameProblem(name);

  const create = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (problem !== undefined || name === '') return;
    setBusy(true);
    setNote(undefined);
    setCreateError(undefined);
    try {
      const r = await accounts.create(name);
      setDialog({ kind: 'key', title: 'Account created', account: r.account.accountName, key: r.rootAccessKey });
      setName('');
      list.reload();
    } catch (err) {
      setCreateError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const newKey = async (a: Account): Promise<void> => {
    setNote(undefined);
    try {
      const key = await accounts.createKey(a.accountId);
      setDialog({ kind: 'key', title: 'Root access key created', account: a.accountName, key });
      list.reload();
    } catch (err) {
      setNote({ kind: 'error', text: errorText(err) });
    }
  };
  const done = (text: string): void => {
    setDialog(undefined);
    setNote({ kind: 'success', text });
    list.reload();
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
        <form class="inline-form" onSubmit={(e) => void create(e)} noValidate>
          <Field
            id="account-name"
            label="Account name"
            hint="1–64 letters, digits, dots, underscores or hyphens, starting with a letter or digit. Unique on this server."
            error={problem ?? createError}
          >
            {(d, invalid) => (
              <input
                id="account-name"
                value={name}
                required
                spellcheck={false}
                autoComplete="off"
                aria-invalid={invalid}
                aria-describedby={d}
                onInput={(e) => {
                  setName(e.currentTarget.value);
                  setCreateError(undefined);
                }}
              />
            )}
          </Field>
          <Button type="submit" variant="primary" busy={busy} disabled={name === '' || problem !== undefined}>
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
          <div class="table-scroll">
            <table class="table">
              <caption class="sr-only">Accounts</caption>
              <thead>
                <tr>
                  <th scope="col">Account ID</th>
                  <th scope="col">Name</th>
                  <th scope="col">Storage used</th>
                  <th scope="col">Quota</th>
                  <th scope="col">Created</th>
                  <th scope="col">Root access keys</th>
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
                    <td>
                      {formatBytes(a.storageUsedBytes ?? 0)}
                      {a.storageQuotaBytes !== undefined && a.storageQuotaBytes > 0 && (
                        <span class="muted">
                          {' '}
                          · {Math.round(((a.storageUsedBytes ?? 0) / a.storageQuotaBytes) * 100)}%
                        </span>
                      )}
                    </td>
                    <td>
                      {a.storageQuotaBytes !== undefined ? (
                        formatBytes(a.storageQuotaBytes)
                      ) : (
                        <span class="muted">None</span>
                      )}
                    </td>
                    <td>{formatDate(secondsDate(a.createdAt))}</td>
                    <td>
                      {a.isOperator === true ? (
                        <span class="muted">From the server's environment or data directory</span>
                      ) : (
                        <ul class="root-keys" aria-label={`Root access keys of ${a.accountName}`}>
                          {(a.accessKeys ?? []).map((k) => (
                            <li key={k.accessKeyId}>
                              <span class="mono">{k.accessKeyId}</span>
                              <span class="muted"> · {formatDate(secondsDate(k.createdAt))}</span>
                              <Button
                                variant="ghost"
                                aria-label={`Delete root access key ${k.accessKeyId} of ${a.accountName}`}
                                onClick={() =>
                                  setDialog({ kind: 'delete-key', account: a, accessKeyId: k.accessKeyId })
                                }
                              >
                                Delete
                              </Button>
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                    <td class="row-actions">
                      <Button
                        variant="ghost"
                        aria-label={`Set the quota of ${a.accountName}`}
                        onClick={() => setDialog({ kind: 'quota', account: a })}
                      >
                        Quota
                      </Button>
                      {a.isOperator !== true && (
                        <>
                          <Button
                            variant="ghost"
                            aria-label={`New root access key for ${a.accountName}`}
                            onClick={() => void newKey(a)}
                          >
                            New key
                          </Button>
                          <Button
                            variant="ghost"
                            aria-label={`Delete account ${a.accountName}`}
                            onClick={() => setDialog({ kind: 'delete', account: a })}
                          >
                            Delete
                          </Button>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
      {dialog?.kind === 'key' && (
        <NewKeyDialog
          title={dialog.title}
          accessKeyId={dialog.key.accessKeyId}
          secretAccessKey={dialog.key.secretAccessKey ?? ''}
          advice="Hand it to the account's team, or download the credentials file now."
          fileName={`sailbucket-${dialog.account}-credentials`}
          fileText={rootCredentials(dialog.account, dialog.key)}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'quota' && (
        <QuotaDialog account={dialog.account} onClose={() => setDialog(undefined)} onSaved={done} />
      )}
      {dialog?.kind === 'delete-key' && (
        <DeleteKeyDialog
          account={dialog.account}
          accessKeyId={dialog.accessKeyId}
          onClose={() => setDialog(undefined)}
          onDeleted={done}
        />
      )}
      {dialog?.kind === 'delete' && (
        <DeleteDialog account={dialog.account} onClose={() => setDialog(undefined)} onDeleted={done} />
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
      props.onSaved(
        quota === undefined
          ? `${a.accountName} has no quota now.`
          : `Quota of ${a.accountName} set to ${formatBytes(quota)}.`,
      );
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title={`Storage quota of ${a.accountName}`} onClose={props.onClose}>
      <form class="stack" onSubmit={(e) => void save(e)}>
        <p>
          Now stored: <strong>{formatBytes(a.storageUsedBytes ?? 0)}</strong>. Writes past the quota are refused (403
          QuotaExceeded); deletes always work.
        </p>
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
              autoComplete="off"
              value={gib}
              aria-describedby={d}
              aria-invalid={invalid}
              onInput={(e) => {
                setGib(e.currentTarget.value);
                setError(undefined);
              }}
            />
          )}
        </Field>
        <div class="form-actions">
          <Button onClick={props.onClose}>Cancel</Button>
          {a.storageQuotaBytes !== undefined && (
            <Button
              onClick={() => {
                setGib('');
                setError(undefined);
              }}
            >
              Clear
            </Button>
          )}
          <Button type="submit" variant="primary" busy={busy}>
            {gib.trim() === '' ? 'Remove quota' : 'Save quota'}
          </Button>
        </div>
      </form>
    </Modal>
  );
}

function DeleteKeyDialog(props: {
  account: Account;
  accessKeyId: string;
  onClose: () => void;
  onDeleted: (text: string) => void;
}) {
  const { accounts } = useConsole();
  const a = props.account;
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const remove = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await accounts.deleteKey(a.accountId, props.accessKeyId);
      props.onDeleted(`Root access key ${props.accessKeyId} of ${a.accountName} deleted.`);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title="Delete root access key" onClose={props.onClose}>
      <div class="stack">
        {error !== undefined && <Alert>{error}</Alert>}
        <p>
          Everything that signs with <span class="mono">{props.accessKeyId}</span> as {a.accountName}'s root stops
          working at once. This cannot be undone.
        </p>
        <div class="form-actions">
          <Button onClick={props.onClose}>Cancel</Button>
          <Button variant="danger" busy={busy} onClick={() => void remove()}>
            Delete key
          </Button>
        </div>
      </div>
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
    if (typed !== a.accountName) return;
    setBusy(true);
    setError(undefined);
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
        <p>
          Its root access keys and bucket keys stop working at once. This cannot be undone. An account that owns buckets
          is only deleted with force delete.
        </p>
        <label class="check">
          <input type="checkbox" checked={force} onChange={(e) => setForce(e.currentTarget.checked)} />
          Force delete: also delete every bucket of {a.accountName}, with all its objects, versions, uploads and keys
          {(a.storageUsedBytes ?? 0) > 0 && ` (${formatBytes(a.storageUsedBytes ?? 0)} stored now)`}
        </label>
        <Field id="confirm-account" label={`Type ${a.accountName} to confirm`}>
          {(d) => (
            <input
              id="confirm-account"
              value={typed}
              autoComplete="off"
              spellcheck={false}
              aria-describedby={d}
              onInput={(e) => setTyped(e.currentTarget.value)}
            />
          )}
        </Field>
        <div class="form-actions">
          <Button onClick={props.onClose}>Cancel</Button>
          <Button type="submit" variant="danger" busy={busy} disabled={typed !== a.accountName}>
            {force ? 'Force delete account' : 'Delete account'}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
