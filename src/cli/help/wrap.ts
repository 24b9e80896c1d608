/** Word-wraps text at a width with an indent, for help pages. */
export function wrap(text: string, indent: number, width = 79): string[] {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  let line = '';
  for (const w of text.split(/\s+/).filter(Boolean)) {
    if (line && pad.length + line.length + 1 + w.length > width) {
      lines.push(pad + line);
      line = w;
    } else {
      line = line ? `${line} ${w}` : w;
    }
  }
  if (line) lines.push(pad + line);
  return lines;
}
