/** The account's buckets: list, create, delete. */
import { useState } from 'preact/hooks';
import type { Bucket } from '../api/lightsail';
import { useConsole } from '../context';
import { href } from '../router';
import { Alert, Badge, Button, EmptyState, PageHeader, Spinner } from '../ui/components';
import { formatBytes, formatCount, formatDate } from '../ui/format';
import { useAsync } from '../ui/useAsync';
import { CreateBucket } from './CreateBucket';
import { DeleteBucket } from './DeleteBucket';

function versioningLabel(v: string | undefined) {
  if (v === 'Enabled') return <Badge kind="good">On</Badge>;
  if (v === 'Suspended') return <Badge>Suspended</Badge>;
  return <span class="muted">Off</span>;
}

function isPublic(b: Bucket): boolean {
  return b.accessRules?.getObject === 'public';
}

export function Buckets() {
  const { control } = useConsole();
  const buckets = useAsync(() => control.buckets(), []);
  const bundles = useAsync(() => control.bundles(), []);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<Bucket | undefined>();
  const [notice, setNotice] = useState<string | undefined>();

  const bundleName = (id: string | undefined): string => {
    const b = bundles.data?.find((x) => x.bundleId === id);
    return b !== undefined ? `${b.name ?? b.bundleId} (${b.storagePerMonthInGb ?? '?'} GB)` : (id ?? '—');
  };
  const list = buckets.data ?? [];

  return (
    <div class="page">
      <PageHeader
        title="Buckets"
        subtitle="Object storage buckets of this account. Click a bucket's name to browse its objects."
        actions={
          <Button variant="primary" onClick={() => setCreating(true)}>
            Create bucket
          </Button>
        }
      />
      {notice !== undefined && <Alert kind="success">{notice}</Alert>}
      {buckets.error !== undefined && <Alert>{buckets.error}</Alert>}
      {buckets.loading && buckets.data === undefined ? (
        <Spinner label="Loading buckets…" />
      ) : list.length === 0 && buckets.error === undefined ? (
        <EmptyState
          title="No buckets yet"
          action={
            <Button variant="primary" onClick={() => setCreating(true)}>
              Create your first bucket
            </Button>
          }
        >
          A bucket holds objects (files) and has its own access keys, access rules and storage plan.
        </EmptyState>
      ) : (
        <div class="table-wrap">
          <table class="table">
            <caption class="sr-only">Buckets</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Region</th>
                <th scope="col">Storage plan</th>
                <th scope="col" class="num">
                  Storage used
                </th>
                <th scope="col" class="num">
                  Objects
                </th>
                <th scope="col">Access</th>
                <th scope="col">Versioning</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((b) => (
                <tr key={b.name}>
                  <td>
                    <a class="strong" href={href({ page: 'bucket', bucket: b.name ?? '', tab: 'objects', prefix: '' })}>
                      {b.name}
                    </a>
                  </td>
                  <td>{b.location?.regionName ?? '—'}</td>
                  <td>{bundleName(b.bundleId)}</td>
                  <UsageCells bucket={b} />
                  <td>{isPublic(b) ? <Badge kind="warn">Public</Badge> : <Badge>Private</Badge>}</td>
                  <td>{versioningLabel(b.objectVersioning)}</td>
                  <td>{formatDate(b.createdAt)}</td>
                  <td class="row-actions">
                    <Button variant="ghost" aria-label={`Delete bucket ${b.name ?? ''}`} onClick={() => setDeleting(b)}>
                      Delete
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {creating && (
        <CreateBucket
          bundles={bundles.data ?? []}
          onClose={() => setCreating(false)}
          onCreated={(name) => {
            setCreating(false);
            setNotice(`Bucket ${name} created.`);
            buckets.reload();
          }}
        />
      )}
      {deleting !== undefined && (
        <DeleteBucket
          bucket={deleting}
          onClose={() => setDeleting(undefined)}
          onDeleted={(name) => {
            setDeleting(undefined);
            setNotice(`Bucket ${name} deleted.`);
            buckets.reload();
          }}
        />
      )}
    </div>
  );
}

/** Storage used and object count come from the latest metric sample (GetBucketMetricData). */
function UsageCells(props: { bucket: Bucket }) {
  const { control } = useConsole();
  const name = props.bucket.name ?? '';
  const data = useAsync(async () => {
    const end = new Date();
    const start = new Date(end.getTime() - 24 * 3600 * 1000);
    const [count, size] = await Promise.all([
      control.metricData(name, 'NumberOfObjects', start, end, 3600),
      control.metricData(name, 'BucketSizeBytes', start, end, 3600),
    ]);
    return { count: count.at(-1)?.maximum ?? 0, size: size.at(-1)?.maximum ?? 0 };
  }, [name]);
  return (
    <>
      <td class="num">{formatBytes(data.data?.size)}</td>
      <td class="num">{formatCount(data.data?.count)}</td>
    </>
  );
}
