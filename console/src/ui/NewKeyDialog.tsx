/**
 * A new access key's one showing: its id and secret with copy buttons, and a download of the key
 * as an AWS credentials-file snippet. Used for bucket keys (Permissions) and account root keys
 * (Accounts); the secret lives only in this dialog's props and is gone once it closes.
 */
import type { ComponentChildren } from 'preact';
import { Alert, Button, CopyField, Modal } from './components';
import { downloadText } from './credentialsFile';

export function NewKeyDialog(props: {
  title: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Who the secret is for, after "This is the only time the secret access key is shown." */
  advice: string;
  /** The downloaded credentials file's name and text. */
  fileName: string;
  fileText: string;
  onClose: () => void;
  /** Shown under the key. */
  children?: ComponentChildren;
  /** Buttons before Done. */
  actions?: ComponentChildren;
}) {
  return (
    <Modal title={props.title} onClose={props.onClose} wide>
      <div class="stack">
        <Alert kind="info">This is the only time the secret access key is shown. {props.advice}</Alert>
        <CopyField id="new-key-id" label="Access key ID" value={props.accessKeyId} />
        <CopyField id="new-key-secret" label="Secret access key" value={props.secretAccessKey} />
        {props.children}
        <div class="form-actions">
          <Button onClick={() => downloadText(props.fileName, props.fileText)}>Download credentials file</Button>
          {props.actions}
          <Button variant="primary" onClick={props.onClose}>
            Done
          </Button>
        </div>
      </div>
    </Modal>
  );
}
