/** What a CLI run may touch: its output streams, environment and working directory. */
export interface CliWriter {
  write(chunk: string): unknown;
  isTTY?: boolean;
  on?(event: 'error', listener: (e: NodeJS.ErrnoException) => void): unknown;
}

export interface CliIo {
  stdout: CliWriter;
  stderr: CliWriter;
  env: Record<string, string | undefined>;
  cwd: string;
}
