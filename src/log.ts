/**
 * Structured logs: one JSON object per line (default: stderr). Never pass a secret or an
 * Authorization header in fields; `redact` strips the usual suspects anyway.
 *
 * A line is `{"time","level","msg", ...base fields, ...call fields}`. The base fields of a logger
 * (and of its children) are redacted and encoded once, when the logger is made; the time string is
 * reused within the same millisecond. So an access-log line costs one small JSON.stringify.
 */
export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_FIELD = /secret|authorization|password|signature|master.?key|token|^credentials?$/i;
/** Keys every line starts with: a field of the same name takes the slow, exact path. */
const LINE_KEYS: ReadonlySet<string> = new Set(['time', 'level', 'msg']);

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export interface LogSink {
  write(line: string): unknown;
}

/** A sink that holds lines and hands them to its target in one write; `flush` writes what it holds now. */
export interface BufferedLogSink extends LogSink {
  /** A plain function (no `this`): it is handed to `process.on('exit', …)` and removed again by identity. */
  flush: () => void;
}

/** Lines held before a write even within one event-loop turn. */
const FLUSH_BYTES = 64 * 1024;

/**
 * Joins the lines of one event-loop turn (or 64 KiB of them) into one write to `target`: one
 * syscall per turn instead of one per line when `target` is a pipe or a file. The lines and their
 * order are unchanged. Lines still held are lost only if the process dies without running its
 * `exit` handlers (kill -9): the composition root flushes on close and before exit.
 */
export function createBufferedSink(target: LogSink): BufferedLogSink {
  let held = '';
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (held === '') return;
    const out = held;
    held = '';
    target.write(out);
  };
  const onTurnEnd = (): void => {
    if (scheduled) flush();
  };
  return {
    write(line: string): boolean {
      held += line;
      if (held.length >= FLUSH_BYTES) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(onTurnEnd);
      }
      return true;
    },
    flush,
  };
}

/** Whether a field must be changed before it is logged (a secret's name, or an Error). */
const needsRedaction = (k: string, v: unknown): boolean => v instanceof Error || SECRET_FIELD.test(k);

function redact(fields: Record<string, unknown>): Record<string, unknown> {
  // Most calls (the access log) carry nothing to change: no copy then.
  let clean = true;
  for (const k in fields)
    if (needsRedaction(k, fields[k])) {
      clean = false;
      break;
    }
  if (clean) return fields;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (SECRET_FIELD.test(k)) out[k] = '[redacted]';
    else if (v instanceof Error) out[k] = { name: v.name, message: v.message };
    else out[k] = v;
  }
  return out;
}

/** `,"k":v,...` of an object's JSON (empty for `{}`). */
function members(obj: Record<string, unknown>): string {
  const json = JSON.stringify(obj);
  return json.length <= 2 ? '' : ',' + json.slice(1, -1);
}

/** What a logger and its children share: where lines go, the level, the last time string. */
interface Root {
  sink: LogSink;
  min: number;
  lastMs: number;
  lastIso: string;
}

class JsonLogger implements Logger {
  /**
   * @param base redacted base fields (for the exact path when a call's field repeats one)
   * @param encodedBase `members(base)`, encoded once
   */
  private readonly baseHasLineKey: boolean;

  constructor(
    private readonly root: Root,
    private readonly base: Record<string, unknown>,
    private readonly encodedBase: string,
  ) {
    this.baseHasLineKey = Object.keys(base).some((k) => LINE_KEYS.has(k));
  }

  debug(msg: string, fields?: Record<string, unknown>): void {
    if (this.root.min <= 10) this.emit('debug', msg, fields);
  }
  info(msg: string, fields?: Record<string, unknown>): void {
    if (this.root.min <= 20) this.emit('info', msg, fields);
  }
  warn(msg: string, fields?: Record<string, unknown>): void {
    if (this.root.min <= 30) this.emit('warn', msg, fields);
  }
  error(msg: string, fields?: Record<string, unknown>): void {
    if (this.root.min <= 40) this.emit('error', msg, fields);
  }

  child(fields: Record<string, unknown>): Logger {
    const base = { ...this.base, ...redact(fields) };
    return new JsonLogger(this.root, base, members(base));
  }

  private time(): string {
    const root = this.root;
    const ms = Date.now();
    if (ms !== root.lastMs) {
      root.lastMs = ms;
      root.lastIso = new Date(ms).toISOString();
    }
    return root.lastIso;
  }

  private emit(level: Level, msg: string, fields: Record<string, unknown> | undefined): void {
    const time = this.time();
    let line: string;
    const own = fields === undefined ? undefined : redact(fields);
    // A base or call field named like a line key or repeating a base field: one object, as before.
    if (this.baseHasLineKey || (own !== undefined && this.repeats(own))) {
      line = JSON.stringify({ time, level, msg, ...this.base, ...own });
    } else {
      line =
        '{"time":"' +
        time +
        '","level":"' +
        level +
        '","msg":' +
        JSON.stringify(msg) +
        this.encodedBase +
        (own === undefined ? '' : members(own)) +
        '}';
    }
    this.root.sink.write(line + '\n');
  }

  /** Whether a call field has the name of a line key or a base field (JSON must keep one of each). */
  private repeats(own: Record<string, unknown>): boolean {
    for (const k in own) if (LINE_KEYS.has(k) || k in this.base) return true;
    return false;
  }
}

export function createLogger(
  sink: LogSink = process.stderr,
  level: Level = 'info',
  base: Record<string, unknown> = {},
): Logger {
  const redacted = { ...redact(base) };
  return new JsonLogger({ sink, min: ORDER[level], lastMs: -1, lastIso: '' }, redacted, members(redacted));
}

/** A logger that drops everything (tests that assert on nothing logged use a capturing sink instead). */
export const silentLogger = (): Logger => createLogger({ write: () => true }, 'error', {});
