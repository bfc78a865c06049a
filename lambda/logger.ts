/**
 * One JSON object per line on stdout (CloudWatch Logs keeps it as one event and Logs Insights can query fields).
 *
 *   createJsonLogger().info('record processed', { key, rows: 356 })
 *     → {"level":"info","message":"record processed","time":"2024-04-20T12:00:00.000Z","key":"…","rows":356}
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function createJsonLogger(
  write: (line: string) => void = (line) => process.stdout.write(line),
): Logger {
  const log = (level: string, message: string, fields: Record<string, unknown> = {}) =>
    write(`${JSON.stringify({ level, message, time: new Date().toISOString(), ...fields })}\n`);
  return {
    info: (message, fields) => log('info', message, fields),
    error: (message, fields) => log('error', message, fields),
  };
}
