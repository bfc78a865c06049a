/**
 * One CSV line → cells, honouring double quotes (HWiNFO quotes its header names, which contain commas).
 *
 *   splitCsvLine('Date,Time,"Core #0 VID [V]","A, B [%]",') → ['Date', 'Time', 'Core #0 VID [V]', 'A, B [%]', '']
 * Lines without a quote take the fast native split.
 */
export function splitCsvLine(line: string): string[] {
  if (line.indexOf('"') < 0) return line.split(',');
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  return cells;
}
