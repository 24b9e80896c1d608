/** Create a bucket: name checked as you type, a storage plan with its quota and price, versioning. */
import { useState } from 'preact/hooks';
import type { BucketBundle } from '../api/lightsail';
import { errorText } from '../api/errors';
import { useConsole } from '../context';
import { Alert, Button, Field, Modal } from '../ui/components';
import { bucketNameProblem } from './bucketNames';

export function CreateBucket(props: {
  bundles: BucketBundle[];
  onClose: () => void;
  onCreated: (name: string) => void;
}) {
  const { control } = useConsole();
  const bundles = props.bundles.filter((b) => b.isActive !== false);
  const [name, setName] = useState('');
  const [bundleId, setBundleId] = useState(bundles[0]?.bundleId ?? 'small_1_0');
  const [versioning, setVersioning] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const problem = bucketNameProblem(name);

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (problem !== undefined || name === '') return;
    setBusy(true);
    setError(undefined);
    try {
      await control.createBucket(name, bundleId, versioning);
      props.onCreated(name);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title="Create bucket" onClose={props.onClose} wide>
      <form onSubmit={(e) => void submit(e)} class="stack">
        {error !== undefined && <Alert>{error}</Alert>}
        <Field
          id="bucket-name"
          label="Bucket name"
          hint="3–54 characters: lowercase letters, digits and single hyphens. Unique on this server; it cannot be changed later."
          error={problem}
        >
          {(d, invalid) => (
            <input
              id="bucket-name"
              value={name}
              required
              autoFocus
              spellcheck={false}
              autoComplete="off"
              aria-invalid={invalid}
              aria-describedby={d}
              onInput={(e) => setName(e.currentTarget.value)}
            />
          )}
        </Field>
        <fieldset class="bundles">
          <legend>Storage plan</legend>
          {bundles.map((b) => (
            <label key={b.bundleId} class={`bundle ${bundleId === b.bundleId ? 'selected' : ''}`}>
              <input
                type="radio"
                name="bundle"
                value={b.bundleId}
                checked={bundleId === b.bundleId}
                onChange={() => setBundleId(b.bundleId ?? '')}
              />
              <span class="bundle-price">${b.price?.toFixed(2) ?? '?'} / month</span>
              <span class="bundle-name">{b.name ?? b.bundleId}</span>
              <span class="muted">
                {b.storagePerMonthInGb ?? '?'} GB storage · {b.transferPerMonthInGb ?? '?'} GB transfer
              </span>
            </label>
          ))}
        </fieldset>
        <label class="check">
          <input type="checkbox" checked={versioning} onChange={(e) => setVersioning(e.currentTarget.checked)} />
          Keep previous versions of objects (object versioning)
        </label>
        <div class="form-actions">
          <Button onClick={props.onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy} disabled={problem !== undefined || name === ''}>
            Create bucket
          </Button>
        </div>
      </form>
    </Modal>
  );
}
