import type { ServiceModel } from '../types.js';
import { renderErrors, renderOperations } from './renderOperations.js';
import { renderShapes } from './renderShapes.js';
import { GENERATED_HEADER } from './tsNames.js';

/** Paths (relative to the repository root) and contents of every generated file. Pure and deterministic. */
export function generateSources(model: ServiceModel): Map<string, string> {
  const files = new Map<string, string>();
  files.set('src/generated/lightsail.ts', [
    GENERATED_HEADER,
    '// Types of every shape, the operation table and the typed errors of the Lightsail control plane.\n',
    renderShapes(model),
    renderOperations(model),
    renderErrors(model),
  ].join('\n'));
  files.set('src/generated/model.ts',
    `${GENERATED_HEADER}\nimport type { ServiceModel } from '../model/types.js';\n\n` +
    '/** model/lightsail.json as a constant, so runtime code never reads the model from disk. */\n' +
    `export const lightsailModel: ServiceModel = ${JSON.stringify(model, null, 2)};\n`);
  return files;
}
