import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HeaderList } from './header-list.js';
import { canonicalHeaderName, headerKey, splitHeaderList } from './compact-forms.js';

describe('HeaderList (RFC 3261 §7.3)', () => {
  it('finds headers case-insensitively (RFC 3261 §7.3.1: field names are case-insensitive)', () => {
    const list = new HeaderList([['cAlL-iD', 'abc@host']]);
    assert.equal(list.get('Call-ID'), 'abc@host');
    assert.equal(list.has('CALL-ID'), true);
  });

  describe('compact forms are equivalent to the long names (RFC 3261 §7.3.3)', () => {
    const pairs: [string, string][] = [
      ['i', 'Call-ID'], ['m', 'Contact'], ['e', 'Content-Encoding'], ['l', 'Content-Length'], ['c', 'Content-Type'],
      ['f', 'From'], ['s', 'Subject'], ['k', 'Supported'], ['t', 'To'], ['v', 'Via'], ['o', 'Event'],
      ['u', 'Allow-Events'], ['r', 'Refer-To'], ['b', 'Referred-By'], ['x', 'Session-Expires'], ['y', 'Identity'],
    ];
    for (const [compact, full] of pairs) {
      it(`${compact} is ${full}`, () => {
        const list = new HeaderList([[compact.toUpperCase(), 'value']]);
        assert.equal(list.get(full), 'value');
        assert.equal(new HeaderList([[full, 'value']]).get(compact), 'value');
        assert.equal(canonicalHeaderName(compact), full);
        assert.equal(headerKey(compact), full.toLowerCase());
      });
    }
  });

  it('getAll splits list headers at top-level commas and across lines, in order (RFC 3261 §7.3.1)', () => {
    const list = new HeaderList([
      ['Via', 'SIP/2.0/UDP a.example.com;branch=z9hG4bK1, SIP/2.0/TCP b.example.com;branch=z9hG4bK2'],
      ['v', 'SIP/2.0/UDP c.example.com;branch=z9hG4bK3'],
      ['Contact', '"Doe, John" <sip:jd@example.com>;q=0.5, <sip:x@example.com;a=1,2>'],
    ]);
    assert.deepEqual(list.getAll('via'), [
      'SIP/2.0/UDP a.example.com;branch=z9hG4bK1',
      'SIP/2.0/TCP b.example.com;branch=z9hG4bK2',
      'SIP/2.0/UDP c.example.com;branch=z9hG4bK3',
    ]);
    assert.equal(list.get('Via'), 'SIP/2.0/UDP a.example.com;branch=z9hG4bK1');
    assert.deepEqual(list.getAll('m'), ['"Doe, John" <sip:jd@example.com>;q=0.5', '<sip:x@example.com;a=1,2>']);
  });

  it('getAll never splits WWW-Authenticate, Authorization or Date (their commas are not separators)', () => {
    const list = new HeaderList([
      ['WWW-Authenticate', 'Digest realm="a", nonce="b", algorithm=SHA-256'],
      ['WWW-Authenticate', 'Digest realm="a", nonce="b", algorithm=MD5'],
      ['Date', 'Sat, 13 Nov 2010 23:29:00 GMT'],
    ]);
    assert.deepEqual(list.getAll('www-authenticate'), [
      'Digest realm="a", nonce="b", algorithm=SHA-256',
      'Digest realm="a", nonce="b", algorithm=MD5',
    ]);
    assert.equal(list.get('date'), 'Sat, 13 Nov 2010 23:29:00 GMT');
  });

  it('splitHeaderList keeps empty elements so that a caller can reject them', () => {
    assert.deepEqual(splitHeaderList(' a ,, b,'), ['a', '', 'b', '']);
    assert.deepEqual(splitHeaderList('"x,\\"y" <sip:a>, <sip:b,c>'), ['"x,\\"y" <sip:a>', '<sip:b,c>']);
  });

  it('with, append, prepend and without return changed copies and keep the order', () => {
    const list = new HeaderList([
      ['Via', 'SIP/2.0/UDP a;branch=z9hG4bK1'],
      ['Max-Forwards', '70'],
      ['Route', '<sip:p1;lr>'],
      ['Route', '<sip:p2;lr>'],
      ['Content-Length', '0'],
    ]);
    const popped = list.without('route').prepend('Via', 'SIP/2.0/UDP proxy;branch=z9hG4bK2').with('max-forwards', '69');
    assert.deepEqual(
      popped.fields().map((f) => `${f.name}: ${f.value}`),
      ['Via: SIP/2.0/UDP proxy;branch=z9hG4bK2', 'Via: SIP/2.0/UDP a;branch=z9hG4bK1', 'max-forwards: 69', 'Content-Length: 0'],
    );
    assert.equal(list.getAll('Route').length, 2);
    assert.equal(list.with('Route', '<sip:p3;lr>').getAll('route').join(), '<sip:p3;lr>');
    assert.equal(list.append('Supported', 'path').fields().at(-1)?.value, 'path');
    assert.equal(list.with('Subject', 'new').fields().at(-1)?.name, 'Subject');
    assert.equal(list.without('X-Absent'), list);
  });

  it('rejects a header value containing CR or LF, and an invalid name, with TypeError', () => {
    assert.throws(() => new HeaderList([['Subject', 'a\r\nVia: injected']]), TypeError);
    assert.throws(() => new HeaderList().append('Bad Name', 'x'), TypeError);
    assert.throws(() => new HeaderList().with('Subject', 'line\nbreak'), TypeError);
  });

  it('is iterable and reports its size', () => {
    const list = new HeaderList([{ name: 'A', value: '1' }, ['B', '2']]);
    assert.equal(list.size, 2);
    assert.deepEqual([...list].map((f) => f.name), ['A', 'B']);
    assert.deepEqual(list.lines('a'), [{ name: 'A', value: '1' }]);
  });
});
