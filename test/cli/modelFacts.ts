/**
 * Reads model/lightsail.json directly (not through the CLI's adapter), so tests compare the CLI
 * against the model file itself.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/server.js';

export interface RawModel {
  operations: Record<
    string,
    { input?: string; output?: string; targetPrefix?: string; extension?: boolean; paginator?: { inputToken: string } }
  >;
  shapes: Record<
    string,
    {
      type: string;
      members?: Record<string, { shape: string }>;
      required?: string[];
      enum?: string[];
      member?: { shape: string };
    }
  >;
}

export const readModel = (): RawModel =>
  JSON.parse(readFileSync(join(REPO_ROOT, 'model', 'lightsail.json'), 'utf8')) as RawModel;

/** Independent kebab-case (botocore xform_name) for comparisons. */
export const kebab = (s: string): string =>
  s
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();

export function inputMembers(m: RawModel, op: string): string[] {
  const input = m.operations[op].input;
  return input ? Object.keys(m.shapes[input].members ?? {}) : [];
}
