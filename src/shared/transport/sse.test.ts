import { createSseParser, formatSseEvent } from './sse';

describe('SSE framing', () => {
  it('round-trips events split at arbitrary points, skipping comments', () => {
    const text = `: connected\n\n${formatSseEvent('status', { state: 'watching' })}${formatSseEvent('upload', [1, 2])}`;
    const parser = createSseParser();
    const messages = [];
    for (let i = 0; i < text.length; i += 7) messages.push(...parser.push(text.slice(i, i + 7)));
    expect(messages).toEqual([
      { event: 'status', data: '{"state":"watching"}' },
      { event: 'upload', data: '[1,2]' },
    ]);
  });

  it('accepts CRLF line ends and multi-line data', () => {
    expect(createSseParser().push('event: a\r\ndata: x\r\ndata: y\r\n\r\n')).toEqual([
      { event: 'a', data: 'x\ny' },
    ]);
  });
});
