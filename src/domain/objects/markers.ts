/**
 * True when a client's marker (ListObjects marker, start-after) has the shape of a common prefix
 * for this prefix and delimiter: resuming after it skips every key under it, so a page boundary
 * that fell on a common prefix never repeats it.
 */
export function isCommonPrefixMarker(marker: string, prefix: string, delimiter: string | undefined): boolean {
  if (!delimiter || !marker.startsWith(prefix) || !marker.endsWith(delimiter)) return false;
  return marker.indexOf(delimiter, prefix.length) === marker.length - delimiter.length;
}
