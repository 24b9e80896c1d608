/** A bucket's objects: folders by prefix, paging, uploads, downloads, deletes, details and share links. */
import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../api/errors';
import type { DataPlane, S3Object } from '../api/s3';
import { useConsole } from '../context';
import { href } from '../router';
import { Alert, Button, EmptyState, Field, Modal, Spinner } from '../ui/components';
import { formatBytes, formatDate } from '../ui/format';
import { useAsync } from '../ui/useAsync';
import { ObjectDetails, ShareLink } from './ObjectDetails';
import { pickedFromDrop, pickedFromInput, useUploads, type UploadItem } from './uploads';

const PAGE_SIZE = 100;

export function Objects(props: { bucket: string; region: string; prefix: string; versioning: boolean }) {
  const c = useConsole();
  const [plane, setPlane] = useState<DataPlane | undefined>();
  const [tokens, setTokens] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | undefined>();
  const [dragging, setDragging] = useState(false);
  const [details, setDetails] = useState<string | undefined>();
  const [sharing, setSharing] = useState<string | undefined>();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [newFolder, setNewFolder] = useState(false);

  useEffect(() => {
    let live = true;
    c.s3(props.region).then(
      (p) => live && setPlane(p),
      (e: unknown) => live && setMessage({ kind: 'error', text: errorText(e) }),
    );
    return () => {
      live = false;
    };
  }, [props.region]);
  useEffect(() => {
    setTokens([undefined]);
    setPage(0);
    setSelected(new Set());
  }, [props.prefix]);

  const listing = useAsync(
    () =>
      plane === undefined
        ? new Promise<never>(() => {})
        : plane.list(props.bucket, props.prefix, tokens[page], PAGE_SIZE),
    [plane, props.bucket, props.prefix, page, tokens[page]],
  );
  const uploads = useUploads(() => listing.reload());

  const goTo = (prefix: string): string => href({ page: 'bucket', bucket: props.bucket, tab: 'objects', prefix });
  // Files picked or dropped before the data plane has loaded wait for it (never dropped silently).
  const startUpload = (files: Parameters<typeof uploads.start>[3]): void => {
    if (files.length === 0) return;
    const { bucket, prefix } = props;
    c.s3(props.region).then(
      (p) => uploads.start(p, bucket, prefix, files),
      (e: unknown) => setMessage({ kind: 'error', text: errorText(e) }),
    );
  };
  const download = async (key: string): Promise<void> => {
    if (plane === undefined) return;
    try {
      const url = await plane.presign(props.bucket, key, 300, true);
      const a = document.createElement('a');
      a.href = url;
      a.download = key.slice(key.lastIndexOf('/') + 1);
      a.rel = 'noopener';
      document.body.append(a);
      a.click();
      a.remove();
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err) });
    }
  };
  const deleteSelected = async (): Promise<void> => {
    if (plane === undefined) return;
    const keys = Array.from(selected);
    try {
      const failed = await plane.deleteMany(props.bucket, keys);
      setMessage(
        failed.length === 0
          ? { kind: 'success', text: `Deleted ${keys.length} object${keys.length === 1 ? '' : 's'}.` }
          : { kind: 'error', text: `Some objects were not deleted: ${failed.join('; ')}` },
      );
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err) });
    }
    setConfirmDelete(false);
    setSelected(new Set());
    listing.reload();
  };

  const data = listing.data;
  const objects: S3Object[] = data?.objects ?? [];
  const folders = data?.folders ?? [];
  const allKeys = objects.map((o) => o.Key ?? '');
  const allSelected = allKeys.length > 0 && allKeys.every((k) => selected.has(k));
  const toggle = (key: string): void =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(key)) n.delete(key);
      else n.add(key);
      return n;
    });
  const crumbs = props.prefix.split('/').filter((p) => p !== '');

  return (
    <div
      class={dragging ? 'objects dropping' : 'objects'}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDragging(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        if (e.dataTransfer !== null) void pickedFromDrop(e.dataTransfer).then(startUpload);
      }}
    >
      <div class="toolbar">
        <nav aria-label="Folder" class="crumbs">
          <a href={goTo('')}>{props.bucket}</a>
          {crumbs.map((part, i) => {
            const p = `${crumbs.slice(0, i + 1).join('/')}/`;
            return (
              <span key={p}>
                <span aria-hidden="true" class="sep">
                  /
                </span>
                {i === crumbs.length - 1 ? <span aria-current="page">{part}</span> : <a href={goTo(p)}>{part}</a>}
              </span>
            );
          })}
        </nav>
        <div class="actions">
          <Button variant="ghost" onClick={listing.reload}>
            Refresh
          </Button>
          <Button onClick={() => setNewFolder(true)}>Create folder</Button>
          <Button variant="danger" disabled={selected.size === 0} onClick={() => setConfirmDelete(true)}>
            Delete{selected.size > 0 ? ` (${selected.size})` : ''}
          </Button>
          <label class="btn btn-secondary file-btn">
            Upload folder
            <input
              type="file"
              class="file-input"
              // @ts-expect-error: the non-standard directory picker attribute
              webkitdirectory={true}
              multiple
              onChange={(e) => {
                const files = e.currentTarget.files;
                if (files !== null) startUpload(pickedFromInput(files));
                e.currentTarget.value = '';
              }}
            />
          </label>
          <label class="btn btn-primary file-btn">
            Upload files
            <input
              type="file"
              class="file-input"
              multiple
              onChange={(e) => {
                const files = e.currentTarget.files;
                if (files !== null) startUpload(pickedFromInput(files));
                e.currentTarget.value = '';
              }}
            />
          </label>
        </div>
      </div>
      {message !== undefined && <Alert kind={message.kind}>{message.text}</Alert>}
      {listing.error !== undefined && <Alert>{listing.error}</Alert>}
      <UploadList items={uploads.items} onClear={uploads.clearFinished} />
      <p class="drop-hint" aria-hidden="true">
        {dragging
          ? 'Drop files or folders to upload them here'
          : 'Tip: drag files or folders onto this page to upload them.'}
      </p>
      {data === undefined && listing.error === undefined ? (
        <Spinner label="Loading objects…" />
      ) : data !== undefined && objects.length === 0 && folders.length === 0 && page === 0 ? (
        <EmptyState title={props.prefix === '' ? 'This bucket is empty' : 'This folder is empty'}>
          Upload files with the button above, or drop them here.
        </EmptyState>
      ) : (
        <div class="table-wrap">
          <table class="table">
            <caption class="sr-only">Objects in {props.prefix || 'the bucket root'}</caption>
            <thead>
              <tr>
                <th scope="col" class="check-col">
                  <input
                    type="checkbox"
                    aria-label="Select all objects on this page"
                    checked={allSelected}
                    onChange={() => setSelected(allSelected ? new Set() : new Set(allKeys))}
                  />
                </th>
                <th scope="col">Name</th>
                <th scope="col" class="num">
                  Size
                </th>
                <th scope="col">Last modified</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {folders.map((f) => (
                <tr key={f}>
                  <td class="check-col" />
                  <td>
                    <a class="folder" href={goTo(f)}>
                      <span aria-hidden="true" class="icon">
                        📁
                      </span>
                      {f.slice(props.prefix.length)}
                    </a>
                  </td>
                  <td class="num muted">—</td>
                  <td class="muted">Folder</td>
                  <td />
                </tr>
              ))}
              {objects.map((o) => {
                const key = o.Key ?? '';
                const name = key.slice(props.prefix.length);
                return (
                  <tr key={key} class={selected.has(key) ? 'selected' : undefined}>
                    <td class="check-col">
                      <input
                        type="checkbox"
                        aria-label={`Select ${name}`}
                        checked={selected.has(key)}
                        onChange={() => toggle(key)}
                      />
                    </td>
                    <td>
                      <button type="button" class="link" onClick={() => setDetails(key)}>
                        {name}
                      </button>
                    </td>
                    <td class="num">{formatBytes(o.Size)}</td>
                    <td>{formatDate(o.LastModified)}</td>
                    <td class="row-actions">
                      <Button variant="ghost" aria-label={`Download ${name}`} onClick={() => void download(key)}>
                        Download
                      </Button>
                      <Button variant="ghost" aria-label={`Share ${name}`} onClick={() => setSharing(key)}>
                        Share
                      </Button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {(page > 0 || data?.nextToken !== undefined) && (
        <nav class="pager" aria-label="Pages">
          <Button disabled={page === 0} onClick={() => setPage(page - 1)}>
            Previous page
          </Button>
          <span>Page {page + 1}</span>
          <Button
            disabled={data?.nextToken === undefined}
            onClick={() => {
              setTokens((t) => [...t.slice(0, page + 1), data?.nextToken]);
              setPage(page + 1);
            }}
          >
            Next page
          </Button>
        </nav>
      )}
      {confirmDelete && (
        <Modal title="Delete objects" onClose={() => setConfirmDelete(false)}>
          <div class="stack">
            <p>
              Delete {selected.size} object{selected.size === 1 ? '' : 's'}?
              {props.versioning ? ' Versioning is on: earlier versions are kept.' : ' This cannot be undone.'}
            </p>
            <ul class="key-list">
              {Array.from(selected)
                .slice(0, 10)
                .map((k) => (
                  <li key={k} class="mono">
                    {k}
                  </li>
                ))}
              {selected.size > 10 && <li>…and {selected.size - 10} more</li>}
            </ul>
            <div class="form-actions">
              <Button onClick={() => setConfirmDelete(false)}>Cancel</Button>
              <Button variant="danger" onClick={() => void deleteSelected()}>
                Delete
              </Button>
            </div>
          </div>
        </Modal>
      )}
      {newFolder && plane !== undefined && (
        <NewFolder
          onClose={() => setNewFolder(false)}
          onCreate={async (name) => {
            await plane.createFolder(props.bucket, `${props.prefix}${name}/`);
            setNewFolder(false);
            location.hash = goTo(`${props.prefix}${name}/`);
          }}
        />
      )}
      {details !== undefined && plane !== undefined && (
        <ObjectDetails
          plane={plane}
          bucket={props.bucket}
          objectKey={details}
          versioning={props.versioning}
          onClose={() => setDetails(undefined)}
          onDownload={() => void download(details)}
        />
      )}
      {sharing !== undefined && plane !== undefined && (
        <Modal title={`Share ${sharing.slice(sharing.lastIndexOf('/') + 1)}`} onClose={() => setSharing(undefined)}>
          <ShareLink plane={plane} bucket={props.bucket} objectKey={sharing} />
        </Modal>
      )}
    </div>
  );
}

function UploadList(props: { items: UploadItem[]; onClear: () => void }) {
  if (props.items.length === 0) return null;
  const running = props.items.filter((i) => i.state === 'uploading').length;
  return (
    <section class="card uploads" aria-label="Uploads">
      <div class="card-head">
        <h2>{running > 0 ? `Uploading ${running} file${running === 1 ? '' : 's'}` : 'Uploads finished'}</h2>
        {running < props.items.length && (
          <Button variant="ghost" onClick={props.onClear}>
            Clear finished
          </Button>
        )}
      </div>
      <ul class="upload-list">
        {props.items.map((it) => {
          const pct = it.size === 0 ? (it.state === 'done' ? 100 : 0) : Math.round((it.loaded / it.size) * 100);
          return (
            <li key={it.id} class={`upload upload-${it.state}`}>
              <div class="upload-row">
                <span class="mono upload-name">{it.key}</span>
                <span class="muted">
                  {it.state === 'uploading'
                    ? `${formatBytes(it.loaded)} of ${formatBytes(it.size)}`
                    : it.state === 'done'
                      ? `Uploaded · ${formatBytes(it.size)}`
                      : it.state === 'cancelled'
                        ? 'Cancelled'
                        : 'Failed'}
                </span>
                {it.state === 'uploading' && (
                  <Button variant="ghost" aria-label={`Cancel upload of ${it.key}`} onClick={it.cancel}>
                    Cancel
                  </Button>
                )}
              </div>
              <progress max={100} value={pct} aria-label={`Upload of ${it.key}`}>
                {pct}%
              </progress>
              {it.error !== undefined && <p class="field-error">{it.error}</p>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function NewFolder(props: { onClose: () => void; onCreate: (name: string) => Promise<void> }) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | undefined>();
  const problem = name.includes('/') ? 'A folder name cannot contain "/".' : undefined;
  return (
    <Modal title="Create folder" onClose={props.onClose}>
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (name === '' || problem !== undefined) return;
          props.onCreate(name).catch((err: unknown) => setError(errorText(err)));
        }}
      >
        {error !== undefined && <Alert>{error}</Alert>}
        <Field id="folder-name" label="Folder name" error={problem}>
          {(d, invalid) => (
            <input
              id="folder-name"
              value={name}
              autoFocus
              aria-invalid={invalid}
              aria-describedby={d}
              onInput={(e) => setName(e.currentTarget.value)}
            />
          )}
        </Field>
        <div class="form-actions">
          <Button onClick={props.onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={name === '' || problem !== undefined}>
            Create folder
          </Button>
        </div>
      </form>
    </Modal>
  );
}
