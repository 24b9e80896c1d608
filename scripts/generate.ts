// Regenerates src/generated/* from model/lightsail.json. Run with `npm run generate` after building.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSources } from '../src/model/codegen/generateSources.js';
import { parseServiceModel } from '../src/model/parseModel.js';

// dist/scripts/generate.js → repository root is two levels up.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const modelPath = join(root, 'model', 'lightsail.json');
const model = parseServiceModel(JSON.parse(readFileSync(modelPath, 'utf8')), modelPath);
for (const [rel, text] of generateSources(model)) {
  const out = join(root, rel);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
  console.log(`wrote ${rel} (${text.length} bytes)`);
}
