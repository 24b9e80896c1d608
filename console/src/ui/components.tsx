/** Small building blocks: every page uses these, so spacing and states look the same everywhere. */
import type { ButtonHTMLAttributes, ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

export function PageHeader(props: {
  title: ComponentChildren;
  subtitle?: ComponentChildren;
  actions?: ComponentChildren;
}) {
  return (
    <header class="page-header">
      <div>
        <h1>{props.title}</h1>
        {props.subtitle !== undefined && <p class="subtitle">{props.subtitle}</p>}
      </div>
      {props.actions !== undefined && <div class="actions">{props.actions}</div>}
    </header>
  );
}

export function Alert(props: { kind?: 'error' | 'success' | 'info'; children: ComponentChildren }) {
  const kind = props.kind ?? 'error';
  return (
    <div class={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {props.children}
    </div>
  );
}

export function EmptyState(props: { title: string; children?: ComponentChildren; action?: ComponentChildren }) {
  return (
    <div class="empty">
      <svg class="empty-icon" viewBox="0 0 48 48" aria-hidden="true">
        <path d="M10 16h28l-3.5 24a3 3 0 0 1-3 2.5h-15a3 3 0 0 1-3-2.5z" />
        <ellipse cx="24" cy="16" rx="14" ry="4" />
      </svg>
      <h2>{props.title}</h2>
      {props.children !== undefined && <p>{props.children}</p>}
      {props.action}
    </div>
  );
}

export function Spinner(props: { label?: string }) {
  return (
    <div class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      {props.label ?? 'Loading…'}
    </div>
  );
}

type ButtonProps = Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'type'> & {
  variant?: 'primary' | 'danger' | 'secondary' | 'ghost';
  busy?: boolean;
  disabled?: boolean;
  type?: 'button' | 'submit';
};

export function Button({
  variant = 'secondary',
  busy = false,
  disabled,
  type = 'button',
  children,
  ...rest
}: ButtonProps) {
  return (
    <button {...rest} type={type} class={`btn btn-${variant}`} disabled={disabled === true || busy} aria-busy={busy}>
      {busy && <span class="spinner spinner-small" aria-hidden="true" />}
      {children}
    </button>
  );
}

/** A labelled form control with an optional hint and an error tied to it by aria-describedby. */
export function Field(props: {
  id: string;
  label: string;
  hint?: ComponentChildren;
  error?: string;
  children: (describedBy: string | undefined, invalid: boolean) => ComponentChildren;
}) {
  const hintId = props.hint !== undefined ? `${props.id}-hint` : undefined;
  const errId = props.error !== undefined && props.error !== '' ? `${props.id}-error` : undefined;
  const describedBy = [hintId, errId].filter((x) => x !== undefined).join(' ') || undefined;
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children(describedBy, errId !== undefined)}
      {hintId !== undefined && (
        <p class="hint" id={hintId}>
          {props.hint}
        </p>
      )}
      {errId !== undefined && (
        <p class="field-error" id={errId}>
          {props.error}
        </p>
      )}
    </div>
  );
}

/** A modal dialog on the native <dialog> element: focus trap, Escape and inert page for free. */
export function Modal(props: { title: string; onClose: () => void; children: ComponentChildren; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d !== null && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      class={props.wide === true ? 'modal modal-wide' : 'modal'}
      aria-labelledby="modal-title"
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
    >
      <div class="modal-head">
        <h2 id="modal-title">{props.title}</h2>
        <button type="button" class="icon-btn" aria-label="Close" onClick={props.onClose}>
          ×
        </button>
      </div>
      <div class="modal-body">{props.children}</div>
    </dialog>
  );
}

/** Copies text to the clipboard and says so. */
export function CopyButton(props: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(props.text);
    } catch {
      // No clipboard permission (plain http on another host): select a temporary field instead.
      const t = document.createElement('textarea');
      t.value = props.text;
      document.body.append(t);
      t.select();
      document.execCommand('copy');
      t.remove();
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  };
  return (
    <button type="button" class="btn btn-secondary btn-small" onClick={() => void copy()} aria-label={props.label}>
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}

/** A read-only value with a copy button, for ids, secrets and links. */
export function CopyField(props: { id: string; label: string; value: string; mono?: boolean }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <div class="copy-row">
        <input
          id={props.id}
          class={props.mono === false ? '' : 'mono'}
          readOnly
          value={props.value}
          onFocus={(e) => e.currentTarget.select()}
        />
        <CopyButton text={props.value} label={`Copy ${props.label.toLowerCase()}`} />
      </div>
    </div>
  );
}

export function Badge(props: { kind?: 'neutral' | 'good' | 'warn'; children: ComponentChildren }) {
  return <span class={`badge badge-${props.kind ?? 'neutral'}`}>{props.children}</span>;
}

/** A titled block of a page. */
export function Section(props: {
  title: string;
  description?: ComponentChildren;
  children: ComponentChildren;
  actions?: ComponentChildren;
}) {
  return (
    <section class="card" aria-label={props.title}>
      <div class="card-head">
        <div>
          <h2>{props.title}</h2>
          {props.description !== undefined && <p class="subtitle">{props.description}</p>}
        </div>
        {props.actions}
      </div>
      {props.children}
    </section>
  );
}
