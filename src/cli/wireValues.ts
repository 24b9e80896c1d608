/**
 * Walks a value along its model shape to convert timestamps: input → epoch seconds (JSON 1.1
 * wire form), output → ISO 8601 (`cli_timestamp_format = iso8601`, default) or as sent (`wire`).
 */
import { shapeOf, type CliModel } from './model/types.js';
import { isoTimestamp, parseTimestamp } from './timestamps.js';

export type TimestampFormat = 'iso8601' | 'wire';

function mapTimestamps(model: CliModel, shapeName: string, v: unknown, f: (x: unknown) => unknown): unknown {
  if (v === null || v === undefined) return v;
  const shape = shapeOf(model, shapeName);
  switch (shape.type) {
    case 'timestamp':
      return f(v);
    case 'structure': {
      if (typeof v !== 'object' || Array.isArray(v)) return v;
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        const m = shape.members.find((mm) => mm.name === k);
        out[k] = m ? mapTimestamps(model, m.shape, x, f) : x;
      }
      return out;
    }
    case 'list':
      return Array.isArray(v) ? v.map((x) => mapTimestamps(model, shape.member!, x, f)) : v;
    case 'map':
      if (typeof v !== 'object' || Array.isArray(v)) return v;
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapTimestamps(model, shape.value!, x, f)]));
    default:
      return v;
  }
}

export function inputToWire(
  model: CliModel,
  shapeName: string,
  input: Record<string, unknown>,
): Record<string, unknown> {
  return mapTimestamps(model, shapeName, input, (x) => {
    const ms = parseTimestamp(x);
    return ms === undefined ? x : ms / 1000;
  }) as Record<string, unknown>;
}

export function outputFromWire(
  model: CliModel,
  shapeName: string | undefined,
  output: unknown,
  format: TimestampFormat,
): unknown {
  if (!shapeName || format === 'wire') return output;
  return mapTimestamps(model, shapeName, output, (x) => {
    const ms = parseTimestamp(x);
    return ms === undefined ? x : isoTimestamp(ms / 1000);
  });
}
