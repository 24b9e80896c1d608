/** Turns what an SDK call threw into the text a user should read: the API's own message first. */
export function errorText(err: unknown): string {
  if (err instanceof Error) {
    const e = err as Error & { Code?: string; $metadata?: { httpStatusCode?: number } };
    const code = e.Code ?? (e.name !== 'Error' ? e.name : undefined);
    const message = e.message && e.message !== 'UnknownError' ? e.message : undefined;
    if (message !== undefined && code !== undefined && !message.includes(code)) return `${message} (${code})`;
    if (message !== undefined) return message;
    if (code !== undefined) return `${code} (HTTP ${e.$metadata?.httpStatusCode ?? '?'})`;
  }
  return String(err);
}

/** True when the error is the request being cancelled by the user. */
export function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || err.message.toLowerCase().includes('abort'));
}
