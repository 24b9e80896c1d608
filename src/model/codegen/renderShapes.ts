import type { ServiceModel, ShapeModel } from '../types.js';
import { constraintNote, isInlineShape, jsDoc, primitiveTsType, sortedKeys, tsRef } from './tsNames.js';

function renderStructure(model: ServiceModel, name: string, shape: ShapeModel): string {
  const required = new Set(shape.required ?? []);
  const members = shape.members ?? {};
  const body = Object.keys(members).map((m) => {
    const mem = members[m];
    const notes = [mem.documentation, mem.deprecated ? '@deprecated' : undefined];
    if (mem.sailbucket?.enum) notes.push(`Sailbucket accepts: ${mem.sailbucket.enum.join(', ')}.`);
    return `${jsDoc(notes, '  ')}  ${m}${required.has(m) ? '' : '?'}: ${tsRef(model, mem.shape)};\n`;
  }).join('');
  const notes = [shape.documentation, shape.exception ? `Error shape (HTTP ${shape.httpStatus ?? 400}).` : undefined,
    shape.extension ? 'Sailbucket extension.' : undefined];
  // Exception shapes describe the error body; the name itself is taken by the error class.
  const tsName = shape.exception ? `${name}Body` : name;
  return `${jsDoc(notes)}export interface ${tsName} {\n${body}}\n`;
}

function renderShape(model: ServiceModel, name: string, shape: ShapeModel): string {
  const doc = (extra?: string) => jsDoc([shape.documentation, constraintNote(shape), extra]);
  switch (shape.type) {
    case 'structure': return renderStructure(model, name, shape);
    case 'list': return `${doc()}export type ${name} = ${tsRef(model, shape.member!.shape)}[];\n`;
    case 'map': return `${doc()}export type ${name} = Record<${tsRef(model, shape.key!.shape)}, ${tsRef(model, shape.value!.shape)}>;\n`;
    case 'timestamp':
      return `${doc('A JSON number of epoch seconds on the wire (serializeOutput takes epoch milliseconds or a Date).')}export type ${name} = number;\n`;
    default: return `${doc()}export type ${name} = ${primitiveTsType(shape)};\n`;
  }
}

/** TypeScript declarations for every named (upper-case) shape, in name order. */
export function renderShapes(model: ServiceModel): string {
  return sortedKeys(model.shapes)
    .filter((n) => !isInlineShape(n))
    .map((n) => renderShape(model, n, model.shapes[n]))
    .join('\n');
}
