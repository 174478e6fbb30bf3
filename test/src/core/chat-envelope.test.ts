import { expect } from '@open-wc/testing';
import {
  decodeChatEnvelope,
  encodeChatEnvelope,
  fitsChatMessage,
  MAX_CHAT_TEXT_BYTES,
} from '../../../src/core/chat-envelope.js';

const valid = { v: 1, type: 'chat', id: 'm-1', text: 'hello', sentAt: 1_700_000_000_000 };
const decode = (value: unknown) => decodeChatEnvelope(JSON.stringify(value));

describe('chat envelope', () => {
  it('decodes what it encodes, keeping only the known fields', () => {
    expect(decodeChatEnvelope(encodeChatEnvelope('m-1', 'hello', valid.sentAt))).to.deep.equal(valid);
    expect(
      decode({ ...valid, name: 'Grace Hopper', extra: { a: 1 } }),
      'unknown fields dropped',
    ).to.deep.equal(valid);
  });

  it('drops anything malformed', () => {
    const bad: unknown[] = [
      { ...valid, v: 2 },
      { ...valid, v: '1' },
      { ...valid, type: 'reaction' },
      { ...valid, id: '' },
      { ...valid, id: 'x'.repeat(65) },
      { ...valid, id: 7 },
      { ...valid, text: '' },
      { ...valid, text: 5 },
      { ...valid, text: 'é'.repeat(MAX_CHAT_TEXT_BYTES / 2 + 1) },
      { ...valid, sentAt: '1700000000000' },
      { ...valid, sentAt: null },
      { v: 1, type: 'chat', id: 'm-1', text: 'no time' },
      null,
      [valid],
      'hello',
      42,
    ];
    for (const value of bad) expect(decode(value), JSON.stringify(value)?.slice(0, 80)).to.be.undefined;
    expect(decodeChatEnvelope('{"v":1,'), 'not JSON').to.be.undefined;
    expect(decodeChatEnvelope(new ArrayBuffer(8)), 'binary').to.be.undefined;
    expect(decodeChatEnvelope(' '.repeat(MAX_CHAT_TEXT_BYTES * 4 + 1)), 'too long to parse').to.be.undefined;
    expect(decodeChatEnvelope('{"v":1,"type":"chat","id":"a","text":"b","sentAt":1e999}'), 'infinite').to.be
      .undefined;
  });

  it('measures the 4 KB limit in UTF-8 bytes, however the text is made', () => {
    expect(fitsChatMessage('a'.repeat(MAX_CHAT_TEXT_BYTES))).to.be.true;
    expect(fitsChatMessage('a'.repeat(MAX_CHAT_TEXT_BYTES + 1))).to.be.false;
    expect(fitsChatMessage('é'.repeat(MAX_CHAT_TEXT_BYTES / 2)), '2 bytes each').to.be.true;
    expect(fitsChatMessage('é'.repeat(MAX_CHAT_TEXT_BYTES / 2 + 1))).to.be.false;
    expect(fitsChatMessage('😀'.repeat(MAX_CHAT_TEXT_BYTES / 4)), '4 bytes each, two code units').to.be.true;
    expect(fitsChatMessage('😀'.repeat(MAX_CHAT_TEXT_BYTES / 4) + 'a')).to.be.false;
    expect(fitsChatMessage('€'.repeat(Math.floor(MAX_CHAT_TEXT_BYTES / 3))), '3 bytes each').to.be.true;
    expect(fitsChatMessage('€'.repeat(Math.floor(MAX_CHAT_TEXT_BYTES / 3) + 1))).to.be.false;
  });
});
