/**
 * `--cli-input-json` / `--cli-input-yaml`: a map of input members, inline or `file://path`
 * (relative to the working directory). Flags on the command line override its members.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from './errors.js';
import type { GlobalOptions } from './globalOptions.js';

function readValue(flag: string, value: string, cwd: string): string {
  if (!value.startsWith('file://')) return value;
  const path = resolve(cwd, value.slice('file://'.length));
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(
      `Error parsing parameter '${flag}': Unable to load paramfile ${value}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}

export async function loadCliInput(g: GlobalOptions, cwd: string): Promise<Record<string, unknown>> {
  if (g.cliInputJson !== undefined && g.cliInputYaml !== undefined) {
    throw new UsageError(
      'Only one --cli-input-* parameter may be given: got both --cli-input-json and --cli-input-yaml',
    );
  }
  let doc: unknown;
  let flag: string;
  if (g.cliInputJson !== undefined) {
    flag = '--cli-input-json';
    const text = readValue(flag, g.cliInputJson, cwd);
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new UsageError(
        `Error parsing parameter '${flag}': Invalid JSON: ${(e as Error).message}\nJSON received: ${text.slice(0, 200)}`,
      );
    }
  } else if (g.cliInputYaml !== undefined) {
    flag = '--cli-input-yaml';
    const text = readValue(flag, g.cliInputYaml, cwd);
    const { parse } = await import('yaml');
    try {
      doc = parse(text);
    } catch (e) {
      throw new UsageError(`Error parsing parameter '${flag}': Invalid YAML: ${(e as Error).message}`);
    }
    // an all-comments document (e.g. an untouched yaml-input skeleton with everything commented) is empty input
    if (doc === null || doc === undefined) doc = {};
  } else {
    return {};
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new UsageError(
      `Invalid type for parameter ${flag}: the document must be a map of input members, got ${Array.isArray(doc) ? 'a list' : JSON.stringify(doc)}`,
    );
  }
  return doc as Record<string, unknown>;
}
