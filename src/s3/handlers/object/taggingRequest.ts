/** The `<Tagging><TagSet><Tag><Key/><Value/></Tag>...</TagSet></Tagging>` request document. */
import type { Tag } from '../../../domain/ports/records.js';
import { S3Error } from '../../errors.js';
import { asList, asText, type XmlReader } from '../../xml.js';
import { validateTags } from './writeHeaders.js';

/** `validate`: the rules of what is tagged (an object's by default: at most 10 tags). */
export function parseTagging(xml: XmlReader, doc: Buffer, validate: (tags: Tag[]) => void = validateTags): Tag[] {
  const root = xml.parse(doc, 'Tagging');
  const set = root.TagSet;
  if (set === undefined) throw new S3Error('MalformedXML', 'The <Tagging> document has no <TagSet>.');
  const tags = asList(typeof set === 'object' && set !== null ? (set as Record<string, unknown>).Tag : undefined).map(
    (t, i): Tag => {
      const el = (typeof t === 'object' && t !== null ? t : {}) as Record<string, unknown>;
      const key = asText(el.Key);
      if (key === undefined) throw new S3Error('MalformedXML', `<Tag> number ${i + 1} has no <Key>.`);
      return { key, value: asText(el.Value) ?? '' };
    },
  );
  validate(tags);
  return tags;
}
