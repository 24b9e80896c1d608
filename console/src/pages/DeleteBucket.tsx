/** Delete a bucket after typing its name; force delete (objects and keys too) is spelled out. */
import { useState } from 'preact/hooks';
import type { Bucket } from '../api/lightsail';
import { errorText } from '../api/errors';
import { useConsole } from '../context';
import { Alert, Button, Field, Modal } from '../ui/components';

export function DeleteBucket(props: { bucket: Bucket; onClose: () => void; onDeleted: (name: string) => void }) {
  const { control } = useConsole();
  const name = props.bucket.name ?? '';
  const [typed, setTyped] = useState('');
  const [force, setForce] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (typed !== name) return;
    setBusy(true);
    setError(undefined);
    try {
      await control.deleteBucket(name, force);
      props.onDeleted(name);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={`Delete bucket ${name}`} onClose={props.onClose}>
      <form onSubmit={(e) => void submit(e)} class="stack">
        {error !== undefined && <Alert>{error}</Alert>}
        <p>Deleting a bucket cannot be undone. Its URL and name become free for anyone to take.</p>
        <label class="check">
          <input type="checkbox" checked={force} onChange={(e) => setForce(e.currentTarget.checked)} />
          <span>
            <strong>Force delete:</strong> also delete every object, object version and access key in the bucket.
            Without it, a bucket that still holds objects is not deleted.
          </span>
        </label>
        <Field id="confirm-name" label={`Type the bucket name (${name}) to confirm`}>
          {(d) => (
            <input
              id="confirm-name"
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
          <Button type="submit" variant="danger" busy={busy} disabled={typed !== name}>
            Delete bucket
          </Button>
        </div>
      </form>
    </Modal>
  );
}
