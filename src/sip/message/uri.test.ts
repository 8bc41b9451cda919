import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SipUri } from './uri.js';

function parse(text: string): SipUri {
  const uri = SipUri.parse(text);
  assert.ok(uri, `expected ${text} to parse`);
  return uri;
}

describe('SipUri (RFC 3261 §19.1)', () => {
  describe('§19.1.3 example SIP and SIPS URIs parse', () => {
    it('sip:alice@atlanta.com has user and host', () => {
      const uri = parse('sip:alice@atlanta.com');
      assert.equal(uri.scheme, 'sip');
      assert.equal(uri.user, 'alice');
      assert.equal(uri.host, 'atlanta.com');
      assert.equal(uri.port, undefined);
      assert.equal(uri.params.size, 0);
    });

    it('sip:alice:secretword@atlanta.com;transport=tcp has a password and a transport parameter', () => {
      const uri = parse('sip:alice:secretword@atlanta.com;transport=tcp');
      assert.equal(uri.user, 'alice');
      assert.equal(uri.password, 'secretword');
      assert.equal(uri.param('transport'), 'tcp');
    });

    it('sips:alice@atlanta.com?subject=project%20x&priority=urgent has unescaped headers', () => {
      const uri = parse('sips:alice@atlanta.com?subject=project%20x&priority=urgent');
      assert.equal(uri.scheme, 'sips');
      assert.deepEqual([...uri.headers], [
        ['subject', 'project x'],
        ['priority', 'urgent'],
      ]);
    });

    it('sip:+1-212-555-1212:1234@gateway.com;user=phone keeps the telephone-subscriber user', () => {
      const uri = parse('sip:+1-212-555-1212:1234@gateway.com;user=phone');
      assert.equal(uri.user, '+1-212-555-1212');
      assert.equal(uri.password, '1234');
      assert.equal(uri.param('user'), 'phone');
    });

    it('sip:alice@192.0.2.4 has an IPv4 host', () => {
      assert.equal(parse('sip:alice@192.0.2.4').host, '192.0.2.4');
    });

    it('sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com has no user', () => {
      const uri = parse('sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com');
      assert.equal(uri.user, undefined);
      assert.equal(uri.param('method'), 'REGISTER');
      assert.equal(uri.headers.get('to'), 'alice@atlanta.com');
    });

    it('sip:alice;day=tuesday@atlanta.com has a semicolon in the user part', () => {
      const uri = parse('sip:alice;day=tuesday@atlanta.com');
      assert.equal(uri.user, 'alice;day=tuesday');
      assert.equal(uri.host, 'atlanta.com');
      assert.equal(uri.params.size, 0);
    });
  });

  describe('IPv6 references (RFC 5118)', () => {
    it('keeps the brackets of [2001:db8::10]:5070 and reads the port', () => {
      const uri = parse('sip:alice@[2001:DB8::10]:5070;transport=tcp');
      assert.equal(uri.host, '[2001:db8::10]');
      assert.equal(uri.port, 5070);
      assert.equal(uri.hostPort, '[2001:db8::10]:5070');
      assert.equal(uri.toString(), 'sip:alice@[2001:db8::10]:5070;transport=tcp');
    });

    it('rejects an IPv6 address without brackets or with a bad address', () => {
      for (const text of ['sip:alice@2001:db8::10', 'sip:[2001:db8::zz]', 'sip:[2001:db8::10', 'sip:[]']) {
        assert.equal(SipUri.parse(text), undefined, text);
      }
    });
  });

  describe('escaping (RFC 3261 §19.1.2)', () => {
    it('unescapes the user, parameters and headers and escapes them again on output', () => {
      const uri = parse('sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31');
      assert.equal(uri.user, 'caller');
      assert.equal(uri.param('lr'), null);
      assert.equal(uri.param('name'), 'value%41');
      assert.equal(uri.toString(), 'sip:caller@host5.example.net;lr;name=value%2541');
    });

    it('escaped NULs in the user part are legal octets (RFC 4475 §3.1.1.4)', () => {
      const uri = parse('sip:null-%00-null@example.com');
      assert.equal(uri.user, 'null-\u0000-null');
      assert.equal(uri.toString(), 'sip:null-%00-null@example.com');
    });

    it('escapes "@" and ":" that are part of the user (RFC 4475 §3.1.1.3 esc01)', () => {
      const uri = parse('sip:sips%3Auser%40example.com@example.net');
      assert.equal(uri.user, 'sips:user@example.com');
      assert.equal(uri.host, 'example.net');
      assert.equal(uri.toString(), 'sip:sips%3Auser%40example.com@example.net');
    });

    it('decodes escaped UTF-8 octets and escapes non-ASCII text as UTF-8', () => {
      const uri = parse('sip:%C5%BC%C3%B3%C5%82w@example.com');
      assert.equal(uri.user, 'żółw');
      assert.equal(SipUri.create({ user: 'żółw', host: 'example.com' }).toString(), 'sip:%C5%BC%C3%B3%C5%82w@example.com');
    });

    it('rejects a malformed escape', () => {
      assert.equal(SipUri.parse('sip:a%4@example.com'), undefined);
      assert.equal(SipUri.parse('sip:a%ZZ@example.com'), undefined);
    });
  });

  describe('what is not a URI', () => {
    for (const text of [
      '',
      'alice@example.com',
      '<sip:user@example.com>',
      'sip:user@example.com; lr',
      'sip:user@example.com lr',
      'sip:',
      'sip:@example.com',
      'sip:alice@',
      'sip:alice@example.com:',
      'sip:alice@example.com:70000',
      'sip:alice@exa mple.com',
      'sip:alice@example..com',
      'sip:alice@example.com;;lr',
      'sip:alice@example.com;lr;lr',
      'sip:alice@example.com;=x',
      'sip:alice@example.com?=x',
      '1sip:alice@example.com',
      'sip:alice@example.com>',
    ]) {
      it(`${JSON.stringify(text)} does not parse`, () => assert.equal(SipUri.parse(text), undefined));
    }
  });

  describe('other schemes are absolute URIs kept opaque (RFC 4475 §3.3.2, §3.3.3)', () => {
    for (const [text, scheme, opaque] of [
      ['nobodyKnowsThisScheme:totallyopaquecontent', 'nobodyknowsthisscheme', 'totallyopaquecontent'],
      ['soap.beep://192.0.2.103:3002', 'soap.beep', '//192.0.2.103:3002'],
      ['tel:+48-22-555-0100;phone-context=+48', 'tel', '+48-22-555-0100;phone-context=+48'],
      ['urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6', 'urn', 'uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6'],
    ] as const) {
      it(`${text} has scheme ${scheme}`, () => {
        const uri = parse(text);
        assert.equal(uri.scheme, scheme);
        assert.equal(uri.opaque, opaque);
        assert.equal(uri.isSip, false);
        assert.equal(uri.toString(), `${scheme}:${opaque}`);
      });
    }
  });

  describe('comparison (RFC 3261 §19.1.4)', () => {
    const equivalent: [string, string][] = [
      ['sip:%61lice@atlanta.com;transport=TCP', 'sip:alice@AtLanTa.CoM;Transport=tcp'],
      ['sip:carol@chicago.com', 'sip:carol@chicago.com;newparam=5'],
      ['sip:carol@chicago.com', 'sip:carol@chicago.com;security=on'],
      ['sip:carol@chicago.com;newparam=5', 'sip:carol@chicago.com;security=on'],
      [
        'sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com',
        'sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com',
      ],
      [
        'sip:alice@atlanta.com?subject=project%20x&priority=urgent',
        'sip:alice@atlanta.com?priority=urgent&subject=project%20x',
      ],
    ];
    for (const [a, b] of equivalent) {
      it(`${a} is equivalent to ${b}`, () => {
        assert.ok(parse(a).equals(parse(b)));
        assert.ok(parse(b).equals(parse(a)));
      });
    }
    const different: [string, string, string][] = [
      ['SIP:ALICE@AtLanTa.CoM;Transport=udp', 'sip:alice@AtLanTa.CoM;Transport=UDP', 'different usernames'],
      ['sip:bob@biloxi.com', 'sip:bob@biloxi.com:5060', 'can resolve to different ports'],
      ['sip:bob@biloxi.com', 'sip:bob@biloxi.com;transport=udp', 'can resolve to different transports'],
      ['sip:bob@biloxi.com', 'sip:bob@biloxi.com:6000;transport=tcp', 'different port and transport'],
      ['sip:carol@chicago.com', 'sip:carol@chicago.com?Subject=next%20meeting', 'different header component'],
      ['sip:bob@phone21.boxesbybob.com', 'sip:bob@192.0.2.4', 'host names are not resolved'],
      ['sip:carol@chicago.com;security=on', 'sip:carol@chicago.com;security=off', 'intransitive parameters'],
      ['sip:alice@atlanta.com', 'sips:alice@atlanta.com', 'a SIP and a SIPS URI are never equivalent'],
    ];
    for (const [a, b, why] of different) {
      it(`${a} is not equivalent to ${b} (${why})`, () => {
        assert.equal(parse(a).equals(parse(b)), false);
        assert.equal(parse(b).equals(parse(a)), false);
      });
    }
  });

  describe('building and changing', () => {
    it('SipUri.create writes a canonical URI', () => {
      const uri = SipUri.create({ user: '101', host: 'Acme.PBX.example', port: 5061, params: { transport: 'tls', lr: null } });
      assert.equal(uri.toString(), 'sip:101@acme.pbx.example:5061;transport=tls;lr');
    });

    it('SipUri.create rejects an invalid host or port with TypeError', () => {
      assert.throws(() => SipUri.create({ host: 'bad host' }), TypeError);
      assert.throws(() => SipUri.create({ host: 'example.com', port: 65536 }), TypeError);
      assert.throws(() => SipUri.create({ scheme: 'tel', host: 'example.com' }), TypeError);
    });

    it('withParam, withoutParams and withoutHeaders return changed copies', () => {
      const uri = parse('sip:bob@example.com;transport=udp?subject=x');
      assert.equal(uri.withParam('ob', null).toString(), 'sip:bob@example.com;transport=udp;ob?subject=x');
      assert.equal(uri.withParam('transport', undefined).toString(), 'sip:bob@example.com?subject=x');
      assert.equal(uri.withoutParams().toString(), 'sip:bob@example.com?subject=x');
      assert.equal(uri.withoutHeaders().toString(), 'sip:bob@example.com;transport=udp');
      assert.equal(uri.toString(), 'sip:bob@example.com;transport=udp?subject=x');
      assert.equal(uri.with({ port: 5080 }).toString(), 'sip:bob@example.com:5080;transport=udp?subject=x');
    });

    it('parse(toString()) gives an equivalent URI for the RFC 4475 intmeth Request-URI', () => {
      const text =
        "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com";
      const uri = parse(text);
      assert.equal(uri.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
      assert.equal(uri.password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
      assert.ok(parse(uri.toString()).equals(uri));
    });
  });
});
