import { isRawKey, normaliseHost, processedKeyFor, quarantineKeyFor, rawKey } from './keys';

describe('object keys', () => {
  it('builds the raw key from the first sample date and derives the others from it', () => {
    const raw = rawKey({
      host: 'Gaming PC',
      firstLocal: '2024-04-20 13:02:09',
      batchId: 'ab12-0-4096',
      compressed: true,
    });
    expect(raw).toBe('raw/gaming-pc/2024/04/20/ab12-0-4096.csv.gz');
    expect(processedKeyFor(raw)).toBe('processed/gaming-pc/2024/04/20/ab12-0-4096.json.gz');
    expect(quarantineKeyFor(raw)).toBe('quarantine/gaming-pc/2024/04/20/ab12-0-4096.json');
    expect(processedKeyFor('raw/h/2024/04/20/x.csv')).toBe('processed/h/2024/04/20/x.json.gz');
  });

  it('quarantines foreign keys under their own path and rejects them as raw', () => {
    expect(isRawKey('uploads/photo.jpg')).toBe(false);
    expect(quarantineKeyFor('uploads/photo.jpg')).toBe('quarantine/foreign/uploads/photo.jpg.json');
    expect(() => processedKeyFor('uploads/photo.jpg')).toThrow(/Not a raw batch key/);
  });

  it('normalises host names into a safe key segment', () => {
    expect(normaliseHost('DESKTOP-ABC123')).toBe('desktop-abc123');
    expect(normaliseHost('  ')).toBe('unknown-host');
    expect(normaliseHost('Ünïcode Rig!')).toBe('n-code-rig-');
  });
});
