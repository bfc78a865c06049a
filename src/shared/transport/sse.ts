/**
 * Server-sent events framing, both directions (pure):
 *   formatSseEvent('status', { state: 'watching' }) → 'event: status\ndata: {"state":"watching"}\n\n'
 *   const parser = createSseParser(); parser.push('event: a\ndata: 1\n\n') → [{ event: 'a', data: '1' }]
 * The client parses a fetch() body stream instead of using EventSource so it can send the token in a
 * header (EventSource cannot) and works the same in Node tests.
 */
export interface SseMessage {
  event: string;
  data: string;
}

export function formatSseEvent(event: string, payload: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
}

export function createSseParser(): { push(text: string): SseMessage[] } {
  let buffer = '';
  return {
    push(text) {
      buffer += text.replace(/\r\n?/g, '\n');
      const messages: SseMessage[] = [];
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = 'message';
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue; // comment / keep-alive
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') event = value;
          else if (field === 'data') data.push(value);
        }
        if (data.length > 0) messages.push({ event, data: data.join('\n') });
        end = buffer.indexOf('\n\n');
      }
      return messages;
    },
  };
}
