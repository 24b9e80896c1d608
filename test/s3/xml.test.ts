import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { createXmlReader, escapeXml, readBoundedBody, XmlWriter, asList, asText } from '../../src/s3/xml.js';
import { S3Error } from '../../src/s3/errors.js';

test('the writer escapes every text value, including control characters', () => {
  assert.equal(escapeXml(`a<b>&"c'`), 'a&lt;b&gt;&amp;&quot;c&apos;');
  assert.equal(escapeXml('x\u0001y\rz'), 'x&#x1;y&#xd;z');
  assert.equal(escapeXml('plain/key é'), 'plain/key é');
  const doc = new XmlWriter('R')
    .elem('Key', '<&>')
    .elem('N', 3)
    .elem('B', false)
    .elem('Skip', undefined)
    .open('C')
    .elem('D', 'x')
    .close('C')
    .done();
  assert.equal(
    doc,
    '<?xml version="1.0" encoding="UTF-8"?>\n<R xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Key>&lt;&amp;&gt;</Key><N>3</N><B>false</B><C><D>x</D></C></R>',
  );
});

test('astral characters (surrogate pairs) stay text; only unpaired surrogates become char refs', () => {
  assert.equal(escapeXml('a\u{1F600}b<'), 'a\u{1F600}b&lt;');
  assert.equal(escapeXml('\u{1F600}\u{10FFFF}'), '\u{1F600}\u{10FFFF}');
  assert.equal(escapeXml('\ud800x'), '&#xd800;x');
  assert.equal(escapeXml('x\udc00'), 'x&#xdc00;');
  assert.equal(escapeXml('\udc00\ud800'), '&#xdc00;&#xd800;');
  assert.equal(escapeXml('\uffff\ufffe\ufffd\t\n'), '&#xffff;&#xfffe;\ufffd\t\n');
});

test('escapeXml equals a per-code-point reference on random text', () => {
  const special = [
    '&',
    '<',
    '>',
    '"',
    "'",
    '\r',
    '\n',
    '\t',
    '\u0000',
    '\u001f',
    '\u000b',
    ' ',
    '?',
    '=',
    'a',
    'é',
    '\ud800',
    '\udbff',
    '\udc00',
    '\udfff',
    '\ufffe',
    '\uffff',
    '\ufffd',
    '\u{1F600}',
    '\ud7ff',
    '\ue000',
  ];
  const reference = (t: string): string => {
    let out = '';
    for (let i = 0; i < t.length; i++) {
      const c = t.charCodeAt(i);
      const pair =
        c >= 0xd800 &&
        c <= 0xdbff &&
        i + 1 < t.length &&
        t.charCodeAt(i + 1) >= 0xdc00 &&
        t.charCodeAt(i + 1) <= 0xdfff;
      if (pair) {
        out += t.slice(i, i + 2);
        i++;
        continue;
      }
      const ch = t[i];
      const named: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
      if (named[ch]) out += named[ch];
      else if ((c < 0x20 && c !== 0x09 && c !== 0x0a) || (c >= 0xd800 && c <= 0xdfff) || c === 0xfffe || c === 0xffff)
        out += `&#x${c.toString(16)};`;
      else out += ch;
    }
    return out;
  };
  for (let n = 0; n < 5000; n++) {
    let t = '';
    for (let i = Math.floor(Math.random() * 8); i > 0; i--) t += special[Math.floor(Math.random() * special.length)];
    assert.equal(escapeXml(t), reference(t), JSON.stringify(t));
  }
});

test('the reader parses request documents, keeping text as strings', () => {
  const r = createXmlReader();
  const root = r.parse(
    Buffer.from(
      '<?xml version="1.0"?><Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Quiet>true</Quiet><Object><Key>007</Key></Object><Object><Key>a&amp;b</Key></Object></Delete>',
    ),
    'Delete',
  );
  assert.equal(asText(root.Quiet), 'true');
  assert.deepEqual(
    asList(root.Object).map((o) => asText((o as Record<string, unknown>).Key)),
    ['007', 'a&b'],
  );
  const roundTrip = r.parse(
    new XmlWriter('Delete').open('Object').elem('Key', ' sp <x> ').close('Object').done(),
    'Delete',
  );
  assert.equal(asText((roundTrip.Object as Record<string, unknown>).Key), ' sp <x> ');
});

test('malformed documents and wrong roots are MalformedXML', () => {
  const r = createXmlReader();
  for (const [doc, root] of [
    ['<Delete><Object></Delete>', 'Delete'],
    ['', 'Delete'],
    ['<Other/>', 'Delete'],
  ] as const) {
    assert.throws(
      () => r.parse(doc, root),
      (e: unknown) => e instanceof S3Error && e.code === 'MalformedXML',
      doc,
    );
  }
});

test('no DTD: a DOCTYPE (with or without entities) and undeclared entity references are MalformedXML', () => {
  const r = createXmlReader();
  for (const doc of [
    '<!DOCTYPE d [<!ENTITY v "victim">]><Delete><Object><Key>&v;</Key></Object></Delete>',
    '<?xml version="1.0"?><!DOCTYPE Delete><Delete><Object><Key>k</Key></Object></Delete>',
    '<!DOCTYPE d SYSTEM "file:///etc/passwd"><Delete><Object><Key>k</Key></Object></Delete>',
    '<Delete><Object><Key>&v;</Key></Object></Delete>',
    '<Delete><Object><Key>&nbsp;</Key></Object></Delete>',
    '<Delete><Object><Key>a & b</Key></Object></Delete>',
    '<Delete><Object><Key>&#0;</Key></Object></Delete>',
    '<Delete><Object><Key>&#x1;</Key></Object></Delete>',
    '<Delete><Object><Key>&#x110000;</Key></Object></Delete>',
  ]) {
    assert.throws(
      () => r.parse(doc, 'Delete'),
      (e: unknown) => e instanceof S3Error && e.code === 'MalformedXML',
      doc,
    );
  }
});

test('the five predefined entities and character references decode; CDATA stays literal', () => {
  const r = createXmlReader();
  const root = r.parse(
    '<Delete><Object><Key>&lt;&gt;&amp;&quot;&apos;&#x41;&#66;&#x1F600;&#9;&#xA;&#xd;</Key></Object><Object><Key><![CDATA[&v; & x]]></Key></Object></Delete>',
    'Delete',
  );
  assert.deepEqual(
    asList(root.Object).map((o) => asText((o as Record<string, unknown>).Key)),
    ['<>&"\'AB\u{1F600}\t\n\r', '&v; & x'],
  );
});

test('bounded body read refuses documents over the limit', async () => {
  assert.equal((await readBoundedBody(Readable.from([Buffer.from('ab'), Buffer.from('c')]), 3)).toString(), 'abc');
  await assert.rejects(
    readBoundedBody(Readable.from([Buffer.from('ab'), Buffer.from('cd')]), 3),
    (e: unknown) => e instanceof S3Error && e.code === 'MaxMessageLengthExceeded',
  );
});

test('a document larger than one spill buffer (several buffers, multi-byte text) is the same bytes; a finished writer refuses more', () => {
  const w = new XmlWriter('ListBucketResult', null);
  let expected = '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult>';
  for (let i = 0; i < 12_000; i++) {
    const row = `<Contents><Key>${escapeXml(`k${i}/\u65e5\u672c\u{1F600}&${'y'.repeat(i % 53)}`)}</Key></Contents>`;
    w.raw(row);
    expected += row;
  }
  expected += '</ListBucketResult>';
  const bytes = Buffer.from(expected, 'utf8');
  assert.ok(bytes.length > 3 * 256 * 1024, 'larger than several spill buffers');
  const parts = w.parts();
  assert.ok(parts.length > 1, `several buffers (${parts.length}), sent without a concatenation`);
  assert.ok(Buffer.concat(parts).equals(bytes));
  assert.ok(w.bytes().equals(bytes));
  assert.ok(w.bytes().equals(bytes), 'bytes() again: the same document');
  assert.equal(w.parts(), parts, 'parts() again: the same buffers');
  assert.equal(w.done(), expected);
  assert.throws(() => w.raw('x'.repeat(20_000)), /already finished/);
});

test('isoMillis matches Date#toISOString exactly', async () => {
  const { isoMillis } = await import('../../src/s3/xml.js');
  const samples = [
    0, 1, 999, 86_399_999, 86_400_000, 951_782_400_000, 951_868_799_999, 4_107_542_400_000, 1_764_420_007_123,
    253_402_300_799_999,
  ];
  for (let i = 0; i < 20_000; i++) samples.push(Math.floor(Math.random() * 253_402_300_800_000));
  for (const ms of samples) assert.equal(isoMillis(ms), new Date(ms).toISOString(), String(ms));
});

test('IsoMillisFormatter matches Date#toISOString for runs within a second, across seconds and out of range', async () => {
  const { IsoMillisFormatter } = await import('../../src/s3/xml.js');
  const f = new IsoMillisFormatter();
  const samples = [
    1_764_420_007_000, 1_764_420_007_999, 1_764_420_007_123, 1_764_420_008_000, 1_764_420_007_001, 0, 999, 1000, -1,
    -1000, 1.5, 1_764_420_007_000.5, 253_402_300_799_999, 253_402_300_800_000, 253_402_300_799_000,
  ];
  let t = 1_700_000_000_000;
  for (let i = 0; i < 20_000; i++) {
    t += Math.random() < 0.9 ? Math.floor(Math.random() * 50) : Math.floor(Math.random() * 5_000_000_000);
    samples.push(Math.random() < 0.05 ? Math.floor(Math.random() * 253_402_300_800_000) : t);
  }
  for (const ms of samples) assert.equal(f.format(ms), new Date(ms).toISOString(), String(ms));
});

test('a long document (encoded in pieces past 16 Ki characters) is the same text and bytes as one string', () => {
  const w = new XmlWriter('ListBucketResult').elem('Name', 'b');
  let expected =
    '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name>';
  for (let i = 0; i < 3000; i++) {
    const row = `<Contents><Key>${escapeXml(`k${i}/é\u{1F600}<${'x'.repeat(i % 37)}`)}</Key></Contents>`;
    w.raw(row);
    expected += row;
    if (i % 500 === 0) {
      w.elem('Mark', i);
      expected += `<Mark>${i}</Mark>`;
    }
  }
  expected += '</ListBucketResult>';
  assert.ok(expected.length > 5 * 16 * 1024, 'long enough to be encoded in several pieces');
  assert.equal(w.done(), expected);
  assert.ok(w.bytes().equals(Buffer.from(expected, 'utf8')));
  assert.equal(new XmlWriter('R').raw('<A/>').bytes().toString('utf8'), new XmlWriter('R').raw('<A/>').done());
});

test('spill buffers given back by release() are reused by the next document, which is its own bytes; a released writer refuses more', () => {
  const build = (tag: string, n: number): { w: XmlWriter; expected: Buffer } => {
    const w = new XmlWriter('R', null);
    let text = '<?xml version="1.0" encoding="UTF-8"?>\n<R>';
    for (let i = 0; i < n; i++) {
      const row = `<${tag}>${escapeXml(`${tag}${i}é\u{1F600}&`)}${'z'.repeat(i % 97)}</${tag}>`;
      w.raw(row);
      text += row;
    }
    return { w, expected: Buffer.from(text + '</R>', 'utf8') };
  };
  const first = build('A', 6000);
  const firstParts = first.w.parts();
  assert.ok(firstParts.length > 1 && first.w.holdsPooledBuffers());
  assert.ok(Buffer.concat(firstParts).equals(first.expected));
  const used = new Set(firstParts.map((p) => p.buffer));
  first.w.release();
  assert.throws(() => first.w.parts(), /released/);
  assert.throws(() => first.w.done(), /released/);
  assert.throws(() => first.w.bytes(), /released/);
  assert.throws(() => first.w.raw('x'.repeat(20_000)), /already finished/);
  // A shorter document in the same buffers: none of the first one's bytes show through.
  const second = build('B', 2500);
  const secondParts = second.w.parts();
  assert.ok(
    secondParts.some((p) => used.has(p.buffer)),
    'a released buffer is taken again',
  );
  assert.ok(Buffer.concat(secondParts).equals(second.expected));
  assert.equal(second.w.done(), second.expected.toString('utf8'));
  second.w.release();
  // A document that never spilled holds no pooled buffer.
  const small = new XmlWriter('S').elem('K', 'v');
  assert.equal(small.holdsPooledBuffers(), false);
  assert.equal(
    small.done(),
    '<?xml version="1.0" encoding="UTF-8"?>\n<S xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><K>v</K></S>',
  );
});
