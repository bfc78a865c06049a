/**
 * Unit text as written by the logging tools → one spelling per unit.
 *
 *   normaliseUnit('°C') → '°C'   normaliseUnit('C') → '°C'   normaliseUnit('\uFFFDC') → '°C'
 *   normaliseUnit('Â°C') → '°C'  normaliseUnit('℃') → '°C'   normaliseUnit('MiB') → 'MB'
 */
export function normaliseUnit(raw: string): string {
  const unit = raw.trim();
  const known = UNIT_ALIASES[unit];
  if (known !== undefined) return known;
  // Any mangled degree sign in front of C: GPU-Z writes the system code page (° = 0xB0), and
  // tools that re-save the file decode that byte as U+FFFD, 'Â°' (UTF-8 read as cp1252) or drop it.
  if (unit.length >= 2 && unit.endsWith('C') && /^[\uFFFD°ºÂ\s?]+C$/u.test(unit)) return '°C';
  return unit;
}

const UNIT_ALIASES: Record<string, string> = {
  C: '°C',
  '°C': '°C',
  '\u2103': '°C',
  'Â°C': '°C',
  '\uFFFDC': '°C',
  '\uFFFD\uFFFDC': '°C',
  // GPU-Z's "MB" is binary megabytes, the same quantity nvidia-smi calls MiB: one key for both.
  MiB: 'MB',
  mhz: 'MHz',
  MHZ: 'MHz',
  rpm: 'RPM',
};

/** The suffix a unit adds to a column key: '°C' → 'c', '%' → 'pct', '% TDP' → 'pct_tdp', '' → ''. */
export function unitKeySuffix(unit: string): string {
  const known = UNIT_SUFFIXES[unit];
  if (known !== undefined) return known;
  return slugify(unit.replace(/%/g, ' pct ').replace(/\//g, ' per '));
}

const UNIT_SUFFIXES: Record<string, string> = {
  '°C': 'c',
  '%': 'pct',
  '% TDP': 'pct_tdp',
  MHz: 'mhz',
  MB: 'mb',
  RPM: 'rpm',
  W: 'w',
  V: 'v',
  '': '',
};

/** 'GPU Chip Power Draw' → 'gpu_chip_power_draw'; '8-Pin #1 Power' → '8_pin_1_power'. */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '');
}
