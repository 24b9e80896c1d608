/** An object's details (size, type, ETag, checksum, metadata, versions), public toggle and share link. */
import { useState } from 'preact/hooks';
import { errorText } from '../api/errors';
import type { DataPlane } from '../api/s3';
import { Alert, Badge, Button, CopyField, Field, Modal, Spinner } from '../ui/components';
import { formatBytes, formatDate } from '../ui/format';
import { useAsync } from '../ui/useAsync';

const EXPIRIES: readonly { seconds: number; label: string }[] = [
  { seconds: 15 * 60, label: '15 minutes' },
  { seconds: 3600, label: '1 hour' },
  { seconds: 12 * 3600, label: '12 hours' },
  { seconds: 24 * 3600, label: '1 day' },
  { seconds: 7 * 24 * 3600, label: '7 days (the longest SigV4 allows)' },
];

export function ShareLink(props: { plane: DataPlane; bucket: string; objectKey: string }) {
  const [expiry, setExpiry] = useState(3600);
  const [url, setUrl] = useState<string | undefined>();
  const [expires, setExpires] = useState<Date | undefined>();
  const [error, setError] = useState<string | undefined>();
  const make = async (): Promise<void> => {
    try {
      setUrl(await props.plane.presign(props.bucket, props.objectKey, expiry, false));
      setExpires(new Date(Date.now() + expiry * 1000));
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <div class="stack">
      <p class="subtitle">Anyone with the link can download this object until it expires, without signing in.</p>
      {error !== undefined && <Alert>{error}</Alert>}
      <Field id="share-expiry" label="Link expires after">
        {(d) => (
          <select
            id="share-expiry"
            aria-describedby={d}
            value={String(expiry)}
            onChange={(e) => {
              setExpiry(Number(e.currentTarget.value));
              setUrl(undefined);
            }}
          >
            {EXPIRIES.map((x) => (
              <option key={x.seconds} value={String(x.seconds)}>
                {x.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      {url === undefined ? (
        <div class="form-actions">
          <Button variant="primary" onClick={() => void make()}>
            Create link
          </Button>
        </div>
      ) : (
        <>
          <CopyField id="share-url" label="Share link" value={url} />
          <p class="hint">Valid until {formatDate(expires)}.</p>
        </>
      )}
    </div>
  );
}

export function ObjectDetails(props: {
  plane: DataPlane;
  bucket: string;
  objectKey: string;
  versioning: boolean;
  onClose: () => void;
  onDownload: () => void;
}) {
  const { plane, bucket, objectKey } = props;
  const head = useAsync(() => plane.head(bucket, objectKey), [objectKey]);
  const versions = useAsync(
    () => (props.versioning ? plane.versions(bucket, objectKey) : Promise.resolve([])),
    [objectKey],
  );
  const [note, setNote] = useState<{ kind: 'error' | 'success'; text: string } | undefined>();
  const setPublic = async (isPublic: boolean): Promise<void> => {
    try {
      await plane.makePublic(bucket, objectKey, isPublic);
      setNote({
        kind: 'success',
        text: isPublic ? 'Anyone can now read this object.' : 'This object is private again.',
      });
    } catch (err) {
      setNote({ kind: 'error', text: errorText(err) });
    }
  };
  const h = head.data;
  const checksum =
    h === undefined
      ? undefined
      : (['ChecksumCRC64NVME', 'ChecksumCRC32', 'ChecksumCRC32C', 'ChecksumSHA256', 'ChecksumSHA1'] as const).find(
          (k) => h[k] !== undefined,
        );
  const name = objectKey.slice(objectKey.lastIndexOf('/') + 1);

  return (
    <Modal title={name} onClose={props.onClose} wide>
      <div class="stack">
        {head.error !== undefined && <Alert>{head.error}</Alert>}
        {note !== undefined && <Alert kind={note.kind}>{note.text}</Alert>}
        {h === undefined && head.error === undefined ? (
          <Spinner />
        ) : h !== undefined ? (
          <dl class="props">
            <dt>Key</dt>
            <dd class="mono">{objectKey}</dd>
            <dt>Size</dt>
            <dd>
              {formatBytes(h.ContentLength)} ({(h.ContentLength ?? 0).toLocaleString()} bytes)
            </dd>
            <dt>Type</dt>
            <dd class="mono">{h.ContentType ?? '—'}</dd>
            <dt>Last modified</dt>
            <dd>{formatDate(h.LastModified)}</dd>
            <dt>ETag</dt>
            <dd class="mono">{h.ETag ?? '—'}</dd>
            <dt>Checksum</dt>
            <dd class="mono">{checksum !== undefined ? `${checksum.slice(8)} ${h[checksum] ?? ''}` : '—'}</dd>
            {h.VersionId !== undefined && (
              <>
                <dt>Version</dt>
                <dd class="mono">{h.VersionId}</dd>
              </>
            )}
            <dt>Metadata</dt>
            <dd>
              {Object.keys(h.Metadata ?? {}).length === 0 ? (
                <span class="muted">None</span>
              ) : (
                <ul class="key-list">
                  {Object.entries(h.Metadata ?? {}).map(([k, v]) => (
                    <li key={k} class="mono">
                      x-amz-meta-{k}: {v}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </dl>
        ) : null}
        <div class="form-actions left">
          <Button variant="primary" onClick={props.onDownload}>
            Download
          </Button>
          <Button onClick={() => void setPublic(true)}>Make public</Button>
          <Button onClick={() => void setPublic(false)}>Make private</Button>
        </div>
        <p class="hint">
          Making one object public works when the bucket's access rule allows individual-object overrides.
        </p>
        {props.versioning && (
          <section aria-label="Versions">
            <h3>Versions</h3>
            {versions.error !== undefined && <Alert>{versions.error}</Alert>}
            <table class="table compact">
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Last modified</th>
                  <th scope="col" class="num">
                    Size
                  </th>
                </tr>
              </thead>
              <tbody>
                {(versions.data ?? []).map((v) => (
                  <tr key={v.VersionId}>
                    <td class="mono">
                      {v.VersionId} {v.IsLatest === true && <Badge kind="good">Latest</Badge>}
                    </td>
                    <td>{formatDate(v.LastModified)}</td>
                    <td class="num">{formatBytes(v.Size)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        )}
        <section aria-label="Share">
          <h3>Share link</h3>
          <ShareLink plane={plane} bucket={bucket} objectKey={objectKey} />
        </section>
      </div>
    </Modal>
  );
}
