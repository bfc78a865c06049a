import fc from 'fast-check';
import { hostFromInput, hostFromName, hostLabel, hostsText, quotedHosts } from './host-name';
import { isValidHost, normaliseHost } from './keys';

describe('hostFromName: a PC name as the host of its objects', () => {
  it('keeps two PCs named in another script apart (every one was unknown-host) and reads them back as named', () => {
    const names = [
      'игровой-пк',
      'рабочий-пк',
      'ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟ',
      '田中のpc',
      '게임용-pc',
      'jürgen-pc',
      'jurgen-pc',
    ];
    const hosts = names.map(hostFromName);
    expect(hosts).toEqual([
      'xn----ctbcthhyble',
      'xn----7sbd2afhylc7e',
      'xn--mxacdefghijklmnop',
      'xn--pc-zb4a473ky04b',
      'xn---pc-v27lr85hscb',
      'xn--jrgen-pc-65a',
      'jurgen-pc',
    ]);
    expect(new Set(hosts).size).toBe(names.length);
    expect(hosts.map(hostLabel)).toEqual([
      'игровой-пк',
      'рабочий-пк',
      'αβγδεζηθικλμνξο',
      '田中のpc',
      '게임용-pc',
      'jürgen-pc',
      'jurgen-pc',
    ]);
    // Assess: before, normaliseHost gave 'unknown-host' for the first three and 'pc' for the fourth and fifth.
    expect(names.slice(0, 3).map(normaliseHost)).toEqual(['unknown-host', 'unknown-host', 'unknown-host']);
  });

  it('is what it always was for a name in a–z (no host of a PC named so moves)', () => {
    expect(hostFromName('DESKTOP-7F3K2QA')).toBe('desktop-7f3k2qa');
    expect(hostFromName('Gaming PC #2')).toBe('gaming-pc-2');
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 80 }), (name) => {
        expect(hostFromName(name)).toBe(normaliseHost(name));
      }),
      { numRuns: 2000 },
    );
  });

  it('one name, one host: case, Unicode composition and width do not matter', () => {
    expect(hostFromName('ИГРОВОЙ-ПК')).toBe(hostFromName('игровой-пк'));
    // ü as one code point and as u + combining diaeresis (a name typed on a Mac)
    expect(hostFromName('J\u00fcrgen-PC')).toBe(hostFromName('Ju\u0308rgen-PC'));
    expect(hostFromName('ｐｃ１')).toBe('pc1');
  });

  it('gives a valid host for any name, and the label of an xn-- host gives that host again', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (name) => {
        const host = hostFromName(name);
        expect(isValidHost(host)).toBe(true);
        expect(hostFromName(hostLabel(host))).toBe(host);
      }),
      { numRuns: 2000 },
    );
  });

  it('a name too long for 63 characters of xn-- keeps its a–z letters and a hash of the whole, stable', () => {
    const long = 'ОченьДлинноеИмяКомпьютераДляИгрИРаботыДомаИНаДаче';
    expect(hostFromName(long)).toBe('pc-95df5f9d');
    expect(hostFromName(`${long}-rig`)).toMatch(/^rig-[0-9a-f]{8}$/);
    expect(hostLabel('pc-95df5f9d')).toBe('pc-95df5f9d');
  });

  it('shows an xn-- host it did not write as it is', () => {
    expect(hostLabel('xn--')).toBe('xn--');
    expect(hostLabel('xn--abc')).toBe('xn--abc'); // decodes to three control characters: not a name of ours
    expect(hostLabel('xn--zz-!')).toBe('xn--zz-!');
  });
});

describe('hostFromInput: the Settings form’s Host name', () => {
  it('takes a host as before and a name in another script as its xn-- form', () => {
    expect(hostFromInput('gaming-pc')).toBe('gaming-pc');
    expect(hostFromInput('игровой-пк')).toBe('xn----ctbcthhyble');
    expect(hostFromInput('ИГРОВОЙ-ПК')).toBe('xn----ctbcthhyble');
    expect(hostFromInput(hostLabel('xn--jrgen-pc-65a'))).toBe('xn--jrgen-pc-65a');
  });

  it('refuses what it refused (upper-case a–z, spaces, a leading dash) and a name too long to keep', () => {
    for (const typed of ['Gaming-PC', 'gaming pc', '-pc', '', 'игровой пк', 'Jürgen-PC', '-игровой']) {
      expect(hostFromInput(typed)).toBeNull();
    }
    expect(hostFromInput('оченьдлинноеимякомпьютерадляигриработыдомаинадаче')).toBeNull();
  });
});

describe('hosts in a sentence', () => {
  it('names each as people read it, with the stored form beside a name in another script', () => {
    expect(hostsText(['gaming-pc'])).toBe('gaming-pc');
    expect(hostsText(['gaming-pc', 'laptop', 'xn----ctbcthhyble'])).toBe(
      'gaming-pc, laptop and игровой-пк (xn----ctbcthhyble)',
    );
    expect(quotedHosts(['gamign-pc', 'xn----7sbd2afhylc7e'], 'or')).toBe('“gamign-pc” or “рабочий-пк”');
  });
});
