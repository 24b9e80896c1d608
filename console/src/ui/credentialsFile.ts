/** An AWS shared-credentials snippet for a new key, and saving it as a file from the browser. */

/** `[profile]` with the key, after `comments` (each becomes a `#` line). */
export function credentialsFile(
  profile: string,
  key: { accessKeyId?: string; secretAccessKey?: string },
  comments: readonly string[],
): string {
  return [
    ...comments.map((c) => `# ${c}`),
    `[${profile}]`,
    `aws_access_key_id = ${key.accessKeyId ?? ''}`,
    `aws_secret_access_key = ${key.secretAccessKey ?? ''}`,
    '',
  ].join('\n');
}

/** Offers `text` as a download named `name` (a temporary object URL, released right after). */
export function downloadText(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
