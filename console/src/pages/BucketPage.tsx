/** One bucket: its header and the four tabs (objects, permissions, metrics, settings). */
import type { Bucket } from '../api/lightsail';
import { useConsole } from '../context';
import { BUCKET_TABS, href, type BucketTab } from '../router';
import { Alert, Badge, PageHeader, Spinner } from '../ui/components';
import { useAsync } from '../ui/useAsync';
import { Objects } from './Objects';
import { Permissions } from './Permissions';
import { Metrics } from './Metrics';
import { Settings } from './Settings';

const TAB_NAMES: Record<BucketTab, string> = {
  objects: 'Objects',
  permissions: 'Permissions',
  metrics: 'Metrics',
  settings: 'Settings',
};

export function BucketPage(props: { bucket: string; tab: BucketTab; prefix: string }) {
  const c = useConsole();
  const isRoot = c.session.kind === 'root';
  const bucket = useAsync<Bucket | undefined>(
    () => (isRoot ? c.control.bucket(props.bucket) : Promise.resolve(undefined)),
    [props.bucket],
  );
  const region = bucket.data?.location?.regionName ?? c.session.region;
  const tabs = isRoot ? BUCKET_TABS : (['objects'] as const);

  return (
    <div class="page">
      {isRoot && (
        <nav aria-label="Breadcrumb" class="crumbs-top">
          <a href="#/buckets">Buckets</a>
          <span aria-hidden="true"> / </span>
          <span aria-current="page">{props.bucket}</span>
        </nav>
      )}
      <PageHeader
        title={props.bucket}
        subtitle={
          bucket.data !== undefined ? (
            <span class="meta-row">
              <span>{region}</span>
              {bucket.data.accessRules?.getObject === 'public' ? (
                <Badge kind="warn">Public</Badge>
              ) : (
                <Badge>Private</Badge>
              )}
              {bucket.data.objectVersioning === 'Enabled' && <Badge kind="good">Versioning on</Badge>}
              <span class="mono muted">{bucket.data.url}</span>
            </span>
          ) : undefined
        }
      />
      <nav class="tabs" aria-label="Bucket pages">
        {tabs.map((t) => (
          <a
            key={t}
            class={t === props.tab ? 'tab active' : 'tab'}
            aria-current={t === props.tab ? 'page' : undefined}
            href={href({ page: 'bucket', bucket: props.bucket, tab: t, prefix: '' })}
          >
            {TAB_NAMES[t]}
          </a>
        ))}
      </nav>
      {bucket.error !== undefined && <Alert>{bucket.error}</Alert>}
      {isRoot && bucket.data === undefined && bucket.error === undefined ? (
        <Spinner />
      ) : props.tab === 'objects' || !isRoot ? (
        <Objects
          bucket={props.bucket}
          region={region}
          prefix={props.prefix}
          versioning={bucket.data?.objectVersioning === 'Enabled'}
        />
      ) : bucket.data === undefined ? null : props.tab === 'permissions' ? (
        <Permissions bucket={bucket.data} onChanged={bucket.reload} />
      ) : props.tab === 'metrics' ? (
        <Metrics bucket={bucket.data} />
      ) : (
        <Settings bucket={bucket.data} onChanged={bucket.reload} />
      )}
    </div>
  );
}
