// 86,400 rows (one day at 1 Hz) x 30 DOUBLE columns with ~2% nulls, + host, session, time: the daily copy's shape.
export const ROWS = Number(process.env.ROWS ?? 86400);
export const COLS = 30;
export function makeData() {
  const t0 = Date.UTC(2026, 7, 6);
  const time = new Array(ROWS);
  const cols = [];
  for (let c = 0; c < COLS; c++) cols.push(new Array(ROWS));
  let seed = 1;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let i = 0; i < ROWS; i++) {
    time[i] = t0 + i * 1000;
    for (let c = 0; c < COLS; c++) {
      cols[c][i] = rnd() < 0.02 ? null : Math.round((40 + 30 * Math.sin(i / 600 + c) + rnd() * 3) * 10) / 10;
    }
  }
  return { time, cols };
}
