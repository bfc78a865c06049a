/** The log parsers shared by the app's live view, the Lambda and the CLI (see docs/log-formats.md). */
export { assignKeys, canonicalKey, HEADLINE_KEYS, type HeadlineKey } from './column-keys';
export { detectFormat, detectFormatFromLine } from './detect';
export { isGpuzHeaderLine } from './gpuz';
export { assertTimeZone, createOffsetLookup, systemTimeZone, timeZoneOr } from './local-time';
export { type ParsedLog, parseLog } from './parse-log';
export { createLogParser } from './parser';
export type * from './types';
export { normaliseUnit } from './units';
