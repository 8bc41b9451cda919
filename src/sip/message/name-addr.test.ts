import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NameAddr } from './name-addr.js';
import { SipUri } from './uri.js';

function parse(text: string): NameAddr {
  const value = NameAddr.parse(text);
  assert.ok(value, `expected ${text} to parse`);
  return value;
}

describe('NameAddr (RFC 3261 §20.10, §20.20, §20.39)', () => {
  it('reads a quoted display name, the URI in <> and the tag', () => {
    const value = parse('"Bob" <sips:bob@biloxi.com> ;tag=a48s');
    assert.equal(value.displayName, 'Bob');
    assert.equal(value.uri.toString(), 'sips:bob@biloxi.com');
    assert.equal(value.tag, 'a48s');
  });

  it('reads an addr-spec without <>, whose parameters are header parameters', () => {
    const value = parse('sip:+12125551212@phone2net.com;tag=887s');
    assert.equal(value.displayName, undefined);
    assert.equal(value.uri.toString(), 'sip:+12125551212@phone2net.com');
    assert.equal(value.uri.params.size, 0);
    assert.equal(value.tag, '887s');
  });

  it('keeps URI parameters inside <> apart from header parameters (RFC 4475 §3.3.12, §3.3.13)', () => {
    const inside = parse('<sip:+19725552222@gw1.example.net;unknownparam>');
    assert.equal(inside.uri.param('unknownparam'), null);
    assert.equal(inside.params.size, 0);
    const outside = parse('sip:+19725552222@gw1.example.net;unknownparam');
    assert.equal(outside.uri.params.size, 0);
    assert.equal(outside.param('unknownparam'), null);
  });

  it('reads an unquoted display name made of tokens, with or without LWS before < (RFC 4475 §3.1.1.6)', () => {
    assert.equal(parse('caller<sip:caller@example.com>;tag=323').displayName, 'caller');
    assert.equal(parse("token1~` token2'+_   token3*%!.- <sip:mundane@example.com>").displayName, "token1~` token2'+_ token3*%!.-");
  });

  it('tolerates non-ASCII letters in an unquoted display name (but not separators)', () => {
    assert.equal(parse('Łukasz Żółć <sip:101@acme.pbx.example>;tag=1').displayName, 'Łukasz Żółć');
    assert.equal(NameAddr.parse('Żółć, Łukasz <sip:101@acme.pbx.example>'), undefined);
  });

  it('undoes quoted-pairs in the display name (RFC 4475 §3.1.1.1 wsinv)', () => {
    const value = parse('"J Rosenberg \\\\\\""       <sip:jdrosen@example.com> ; tag = 98asjd8');
    assert.equal(value.displayName, 'J Rosenberg \\"');
    assert.equal(value.tag, '98asjd8');
  });

  it('distinguishes an empty quoted display name from none', () => {
    assert.equal(parse('"" <sip:a@example.com>').displayName, '');
    assert.equal(parse('<sip:a@example.com>').displayName, undefined);
  });

  it('keeps quoted parameter values quoted and gives their text through param()', () => {
    const value = parse('<sip:a@192.0.2.1:5060;ob>;+sip.instance="<urn:uuid:00000000-0000-1000-8000-000A95A0E128>";reg-id=1;expires=3600');
    assert.equal(value.params.get('+sip.instance'), '"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>"');
    assert.equal(value.param('+sip.instance'), '<urn:uuid:00000000-0000-1000-8000-000A95A0E128>');
    assert.equal(value.param('reg-id'), '1');
    assert.equal(value.param('EXPIRES'), '3600');
  });

  it('reads URIs of other schemes (RFC 4475 §3.3.4 unksm2)', () => {
    assert.equal(parse('isbn:2983792873').uri.scheme, 'isbn');
    assert.equal(parse('<http://www.example.com>;tag=3234233').tag, '3234233');
    assert.equal(parse('<name:John_Smith>').uri.opaque, 'John_Smith');
  });

  describe('malformed values do not parse', () => {
    for (const [text, why] of [
      ['"Mr. J. User <sip:j.user@example.com>', 'unterminated quoted string (RFC 4475 §3.1.2.6 quotbal)'],
      ['"Watson, Thomas" < sip:t.watson@example.org >', 'LWS inside <> (RFC 4475 §3.1.2.14 badaspec)'],
      ['Bell, Alexander <sip:a.g.bell@example.com>;tag=43', 'unquoted non-token display name (RFC 4475 §3.1.2.15 baddn)'],
      ['sip:user@example.com?Route=%3Csip:sip.example.com%3E', 'URI with headers outside <> (RFC 4475 §3.1.2.13 regbadct)'],
      ['"Joe" <sip:joe@example.org>;;;;', 'empty parameters (RFC 4475 §3.1.2.1 badinv01)'],
      ['<sip:joe@example.org>;tag=1;tag=2', 'a repeated parameter'],
      ['<sip:joe@example.org>;tag=', 'a parameter without value after ='],
      ['<sip:joe@example.org', 'a missing >'],
      ['<sip:joe@example.org> trailing', 'text after the value'],
      ['', 'nothing at all'],
    ]) {
      it(`${why}`, () => assert.equal(NameAddr.parse(text as string), undefined));
    }
  });

  it('writes a canonical form that parses back to the same value', () => {
    for (const text of [
      'sip:alice@atlanta.com;tag=1928301774',
      '"A. G. Bell" <sip:agb@bell-telephone.com> ;tag=a48s',
      '"Quoted string \\"\\"" <sip:jdrosen@example.com> ; newparam = newvalue ; secondparam ; q = 0.33',
    ]) {
      const value = parse(text);
      const again = parse(value.toString());
      assert.equal(again.toString(), value.toString());
      assert.equal(again.displayName, value.displayName);
      assert.ok(again.uri.equals(value.uri));
      assert.deepEqual([...again.params], [...value.params]);
    }
    assert.equal(parse('sip:alice@atlanta.com;tag=1928301774').toString(), '<sip:alice@atlanta.com>;tag=1928301774');
  });

  it('builds and changes values without touching the original', () => {
    const value = NameAddr.create({ displayName: 'Jan "Kowalski"', uri: 'sip:101@acme.pbx.example' });
    assert.equal(value.toString(), '"Jan \\"Kowalski\\"" <sip:101@acme.pbx.example>');
    const tagged = value.withParam('tag', 'x1');
    assert.equal(tagged.tag, 'x1');
    assert.equal(value.tag, undefined);
    assert.equal(tagged.withParam('+sip.instance', '<urn:uuid:1>').toString(), '"Jan \\"Kowalski\\"" <sip:101@acme.pbx.example>;tag=x1;+sip.instance="<urn:uuid:1>"');
    assert.equal(tagged.withUri(SipUri.create({ host: 'example.com' })).withDisplayName(undefined).toString(), '<sip:example.com>;tag=x1');
    assert.throws(() => NameAddr.create({ uri: 'not a uri' }), TypeError);
  });
});
