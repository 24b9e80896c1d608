/**
 * S3Reply.xml with an XmlWriter: the writer's pooled spill buffers go back for reuse only when the
 * response has been handed to the socket ('finish'), never while a write may still read them, and
 * not at all after an aborted response ('close' without 'finish'). A stand-in ServerResponse
 * records what is written and lets the test say when the socket is done.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { createReply } from '../../src/s3/reply.js';
import { XmlWriter } from '../../src/s3/xml.js';

class RecordingResponse extends EventEmitter {
  statusCode = 0;
  headers = new Map<string, unknown>();
  written: Buffer[] = [];
  ended = false;
  setHeader(name: string, value: unknown): void {
    this.headers.set(name, value);
  }
  cork(): void {}
  write(chunk: Buffer): boolean {
    this.written.push(chunk);
    return true;
  }
  end(chunk?: Buffer): void {
    if (chunk) this.written.push(chunk);
    this.ended = true;
  }
}

function bigDocument(tag: string): { w: XmlWriter; text: string } {
  const w = new XmlWriter('R', null);
  let text = '<?xml version="1.0" encoding="UTF-8"?>\n<R>';
  for (let i = 0; i < 5000; i++) {
    const row = `<${tag}>${i}${'v'.repeat(i % 89)}é</${tag}>`;
    w.raw(row);
    text += row;
  }
  return { w, text: text + '</R>' };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('a written XmlWriter document keeps its buffers until the response finishes, then gives them back', async () => {
  const res = new RecordingResponse();
  const { w, text } = bigDocument('A');
  createReply(res as unknown as ServerResponse, false).xml(w);
  assert.ok(res.ended);
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers.get('content-type'), 'application/xml');
  assert.equal(res.headers.get('content-length'), Buffer.byteLength(text));
  assert.ok(res.written.length > 1, 'several buffers, one writev');
  await tick();
  await tick();
  assert.ok(w.holdsPooledBuffers(), 'not released before finish');
  assert.equal(Buffer.concat(res.written).toString('utf8'), text);
  const sent = new Set(res.written.map((b) => b.buffer));
  res.emit('finish');
  assert.throws(() => w.parts(), /released/);
  // The next document takes those buffers again.
  const next = bigDocument('B');
  assert.ok(next.w.parts().some((b) => sent.has(b.buffer)));
  assert.equal(Buffer.concat(next.w.parts()).toString('utf8'), next.text);
  next.w.release();
});

test('an aborted response (close without finish) does not give its buffers back; a HEAD answer sends none', async () => {
  const res = new RecordingResponse();
  const { w, text } = bigDocument('C');
  createReply(res as unknown as ServerResponse, false).xml(w);
  res.emit('close');
  await tick();
  assert.ok(w.holdsPooledBuffers());
  assert.equal(Buffer.concat(w.parts()).toString('utf8'), text);

  const head = new RecordingResponse();
  const doc = bigDocument('D');
  createReply(head as unknown as ServerResponse, true).xml(doc.w);
  assert.deepEqual(head.written, []);
  assert.equal(head.headers.get('content-length'), Buffer.byteLength(doc.text));
  head.emit('finish');
  assert.throws(() => doc.w.parts(), /released/);
});
