import { expect } from '@open-wc/testing';
import { appendText, linkify } from '../../../../src/components/call-chat/chat-text.js';

describe('linkify', () => {
  it('gives a text without links back whole', () => {
    expect(linkify('see you at ten, http is a protocol')).to.deep.equal([
      'see you at ten, http is a protocol',
    ]);
  });

  it('finds links in any letter case and leaves trailing punctuation out', () => {
    expect(linkify('HTTPS://Example.com/a, then http://x.test/b.')).to.deep.equal([
      '',
      { href: 'https://example.com/a', text: 'HTTPS://Example.com/a' },
      ', then ',
      { href: 'http://x.test/b', text: 'http://x.test/b' },
      '.',
    ]);
  });

  it('finds a link written only in capitals', () => {
    expect(linkify('see HTTP://X.TEST')).to.deep.equal([
      'see ',
      { href: 'http://x.test/', text: 'HTTP://X.TEST' },
      '',
    ]);
  });

  it('makes no link of other schemes', () => {
    expect(linkify('javascript:alert(1) ftp://x.test')).to.deep.equal(['javascript:alert(1) ftp://x.test']);
  });
});

describe('appendText', () => {
  it('appends a text without links as one text node', () => {
    const parent = document.createElement('div');
    appendText(parent, '<b>not bold</b>');
    expect(parent.childNodes.length).to.equal(1);
    expect(parent.firstChild!.nodeType).to.equal(Node.TEXT_NODE);
    expect(parent.textContent).to.equal('<b>not bold</b>');
  });
});
