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

/** The process's own streams, as `main` hands them to `serve` and the CLI. */
export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}
