/** A bucket's settings: versioning, CORS, access logging, storage plan and tags. */
import { useState } from 'preact/hooks';
import type { Bucket, Tag } from '../api/lightsail';
import { errorText } from '../api/errors';
import { useConsole } from '../context';
import { Alert, Button, Field, Section } from '../ui/components';
import { useAsync } from '../ui/useAsync';
import { CORS_EXAMPLE, parseCorsRules } from './cors';

type Note = { kind: 'error' | 'success'; text: string } | undefined;

/** Runs a change and turns the outcome into a note (the API's own message on failure). */
function useSaver(onChanged: () => void) {
  const [note, setNote] = useState<Note>();
  const [busy, setBusy] = useState(false);
  const run = async (done: string, fn: () => Promise<unknown>): Promise<void> => {
    setBusy(true);
    setNote(undefined);
    try {
      await fn();
      setNote({ kind: 'success', text: done });
      onChanged();
    } catch (err) {
      setNote({ kind: 'error', text: errorText(err) });
    } finally {
      setBusy(false);
    }
  };
  return { note, busy, run };
}

export function Settings(props: { bucket: Bucket; onChanged: () => void }) {
  return (
    <div class="stack-lg">
      <Versioning {...props} />
      <Cors {...props} />
      <AccessLog {...props} />
      <Plan {...props} />
      <Tags {...props} />
    </div>
  );
}

function Versioning(props: { bucket: Bucket; onChanged: () => void }) {
  const { control } = useConsole();
  const s = useSaver(props.onChanged);
  const on = props.bucket.objectVersioning === 'Enabled';
  const state = props.bucket.objectVersioning ?? 'NeverEnabled';
  return (
    <Section title="Object versioning" description="Keep every version of an object when it is overwritten or deleted.">
      {s.note !== undefined && <Alert kind={s.note.kind}>{s.note.text}</Alert>}
      <div class="setting-row">
        <p>
          Versioning is <strong>{state === 'NeverEnabled' ? 'off' : state === 'Enabled' ? 'on' : 'suspended'}</strong>.
        </p>
        <Button
          busy={s.busy}
          onClick={() =>
            void s.run(on ? 'Versioning suspended.' : 'Versioning enabled.', () =>
              control.updateBucket({ bucketName: props.bucket.name, versioning: on ? 'Suspended' : 'Enabled' }),
            )
          }
        >
          {on ? 'Suspend versioning' : 'Enable versioning'}
        </Button>
      </div>
    </Section>
  );
}

function Cors(props: { bucket: Bucket; onChanged: () => void }) {
  const { control } = useConsole();
  const s = useSaver(props.onChanged);
  const initial = props.bucket.cors?.rules ?? [];
  const [text, setText] = useState(initial.length === 0 ? '' : JSON.stringify(initial, null, 2));
  const parsed = parseCorsRules(text);
  const problem = 'problem' in parsed ? parsed.problem : undefined;
  return (
    <Section
      title="Cross-origin resource sharing (CORS)"
      description="Which web pages on other origins may call this bucket from a browser. Empty means none."
    >
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          if ('rules' in parsed)
            void s.run('CORS rules saved.', () =>
              control.updateBucket({ bucketName: props.bucket.name, cors: { rules: parsed.rules } }),
            );
        }}
      >
        {s.note !== undefined && <Alert kind={s.note.kind}>{s.note.text}</Alert>}
        <Field
          id="cors-rules"
          label="CORS rules (JSON)"
          hint={
            <>
              A list of rules with <code>allowedOrigins</code>, <code>allowedMethods</code> and optionally{' '}
              <code>allowedHeaders</code>, <code>exposeHeaders</code>, <code>maxAgeSeconds</code>, <code>id</code>.{' '}
              <button type="button" class="link" onClick={() => setText(CORS_EXAMPLE)}>
                Insert an example
              </button>
            </>
          }
          error={problem}
        >
          {(d, invalid) => (
            <textarea
              id="cors-rules"
              class="mono code"
              rows={10}
              spellcheck={false}
              value={text}
              aria-invalid={invalid}
              aria-describedby={d}
              onInput={(e) => setText(e.currentTarget.value)}
            />
          )}
        </Field>
        <div class="form-actions left">
          <Button type="submit" variant="primary" busy={s.busy} disabled={problem !== undefined}>
            Save CORS rules
          </Button>
        </div>
      </form>
    </Section>
  );
}

function AccessLog(props: { bucket: Bucket; onChanged: () => void }) {
  const { control } = useConsole();
  const s = useSaver(props.onChanged);
  const cfg = props.bucket.accessLogConfig;
  const buckets = useAsync(() => control.buckets(), []);
  const [enabled, setEnabled] = useState(cfg?.enabled ?? false);
  const [destination, setDestination] = useState(cfg?.destination ?? '');
  const [prefix, setPrefix] = useState(cfg?.prefix ?? '');
  return (
    <Section
      title="Access logging"
      description="Write a log of the requests made to this bucket into a bucket of this account."
    >
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void s.run(enabled ? 'Access logging enabled.' : 'Access logging disabled.', () =>
            control.updateBucket({
              bucketName: props.bucket.name,
              accessLogConfig: enabled
                ? { enabled, destination, prefix: prefix === '' ? undefined : prefix }
                : { enabled: false },
            }),
          );
        }}
      >
        {s.note !== undefined && <Alert kind={s.note.kind}>{s.note.text}</Alert>}
        <label class="check">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
          Log requests to this bucket
        </label>
        <div class="grid-2">
          <Field id="log-destination" label="Destination bucket">
            {(d) => (
              <select
                id="log-destination"
                disabled={!enabled}
                value={destination}
                aria-describedby={d}
                onChange={(e) => setDestination(e.currentTarget.value)}
              >
                <option value="">Choose a bucket…</option>
                {(buckets.data ?? []).map((b) => (
                  <option key={b.name} value={b.name}>
                    {b.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="log-prefix" label="Key prefix" hint="For example logs/">
            {(d) => (
              <input
                id="log-prefix"
                disabled={!enabled}
                value={prefix}
                aria-describedby={d}
                onInput={(e) => setPrefix(e.currentTarget.value)}
              />
            )}
          </Field>
        </div>
        <div class="form-actions left">
          <Button type="submit" variant="primary" busy={s.busy}>
            Save access logging
          </Button>
        </div>
      </form>
    </Section>
  );
}

function Plan(props: { bucket: Bucket; onChanged: () => void }) {
  const { control } = useConsole();
  const s = useSaver(props.onChanged);
  const bundles = useAsync(() => control.bundles(), []);
  const [bundleId, setBundleId] = useState(props.bucket.bundleId ?? '');
  const able = props.bucket.ableToUpdateBundle !== false;
  return (
    <Section
      title="Storage plan"
      description="A bucket's plan can be changed once per monthly billing cycle; usage must fit the new plan's storage."
    >
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void s.run(`Storage plan changed to ${bundleId}.`, () =>
            control.updateBundle(props.bucket.name ?? '', bundleId),
          );
        }}
      >
        {s.note !== undefined && <Alert kind={s.note.kind}>{s.note.text}</Alert>}
        {!able && (
          <Alert kind="info">The plan was already changed in this cycle; it can be changed again next cycle.</Alert>
        )}
        <div class="inline-form">
          <Field id="plan" label="Plan">
            {(d) => (
              <select
                id="plan"
                value={bundleId}
                aria-describedby={d}
                onChange={(e) => setBundleId(e.currentTarget.value)}
              >
                {(bundles.data ?? []).map((b) => (
                  <option key={b.bundleId} value={b.bundleId}>
                    {b.name ?? b.bundleId} — {b.storagePerMonthInGb} GB, ${b.price?.toFixed(2)} / month
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Button type="submit" busy={s.busy} disabled={!able || bundleId === props.bucket.bundleId}>
            Change plan
          </Button>
        </div>
      </form>
    </Section>
  );
}

function Tags(props: { bucket: Bucket; onChanged: () => void }) {
  const { control } = useConsole();
  const s = useSaver(props.onChanged);
  const name = props.bucket.name ?? '';
  const tags: Tag[] = props.bucket.tags ?? [];
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  return (
    <Section title="Tags" description="Key-value labels for organising and finding buckets.">
      {s.note !== undefined && <Alert kind={s.note.kind}>{s.note.text}</Alert>}
      {tags.length === 0 ? (
        <p class="muted pad">No tags.</p>
      ) : (
        <ul class="chip-list">
          {tags.map((t) => (
            <li key={t.key} class="chip">
              <span class="mono">
                {t.key}
                {t.value !== undefined && t.value !== '' ? ` = ${t.value}` : ''}
              </span>
              <button
                type="button"
                class="icon-btn"
                aria-label={`Remove tag ${t.key ?? ''}`}
                onClick={() => void s.run(`Tag ${t.key ?? ''} removed.`, () => control.untag(name, [t.key ?? '']))}
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
          void s.run(`Tag ${key} saved.`, async () => {
            await control.tag(name, [{ key, value }]);
            setKey('');
            setValue('');
          });
        }}
      >
        <Field id="tag-key" label="Tag key">
          {(d) => (
            <input
              id="tag-key"
              value={key}
              required
              aria-describedby={d}
              onInput={(e) => setKey(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field id="tag-value" label="Tag value">
          {(d) => (
            <input id="tag-value" value={value} aria-describedby={d} onInput={(e) => setValue(e.currentTarget.value)} />
          )}
        </Field>
        <Button type="submit" busy={s.busy}>
          Add tag
        </Button>
      </form>
    </Section>
  );
}
