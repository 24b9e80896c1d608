/**
 * A resolved place to send calls: settings + SDK transport + model, with the one `invoke` that
 * validates, converts timestamps, sends and converts the answer back. Shared by the operation
 * commands and rotate-bucket-access-key.
 */
import type { GlobalOptions } from './globalOptions.js';
import type { CliIo } from './io.js';
import type { CliModel, CliOperation } from './model/types.js';
import { resolveSettings, type CliSettings } from './config/cliSettings.js';
import type { LightsailTransport } from './transport/lightsailTransport.js';
import { validateInput } from './validateInput.js';
import { inputToWire, outputFromWire } from './wireValues.js';

export interface Session {
  settings: CliSettings;
  transport: LightsailTransport;
  /** validate → wire → send → timestamps for display */
  invoke(op: CliOperation, input: Record<string, unknown>): Promise<Record<string, unknown>>;
  close(): void;
}

export async function openSession(model: CliModel, g: GlobalOptions, io: CliIo): Promise<Session> {
  const settings = await resolveSettings(g, io.env);
  const debug = g.debug
    ? (line: string) => void io.stderr.write(`${new Date().toISOString()} DEBUG ${line}\n`)
    : undefined;
  debug?.(
    `settings: profile=${settings.profile ?? 'default'} region=${settings.region} endpoint=${settings.endpointUrl ?? '(from configuration)'} output=${settings.output}`,
  );
  const { createLightsailTransport } = await import('./transport/lightsailTransport.js');
  const transport = await createLightsailTransport({ ...settings, debug });
  return {
    settings,
    transport,
    invoke: async (op, input) => {
      if (op.input) validateInput(model, op.input, input);
      const wire = op.input ? inputToWire(model, op.input, input) : input;
      const out = await transport.call(op, wire);
      return outputFromWire(model, op.output, out, settings.timestampFormat) as Record<string, unknown>;
    },
    close: () => transport.destroy(),
  };
}
