/**
 * The network between a program under test and a real server, cut and restored on demand:
 *   const gate = await tcpGate(motoPort)   → forwards 127.0.0.1:gate.port to 127.0.0.1:motoPort
 *   gate.shut()    (open connections are cut, new ones closed as they come: what a dead server or link looks like)
 *   gate.open()    (forwarding again)
 *   await gate.close()
 */
import { connect, createServer, type Socket } from 'node:net';

export interface TcpGate {
  port: number;
  shut(): void;
  open(): void;
  close(): Promise<void>;
}

export async function tcpGate(targetPort: number): Promise<TcpGate> {
  let shut = false;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    if (shut) {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    const end = () => {
      for (const s of [client, upstream]) {
        s.destroy();
        sockets.delete(s);
      }
    };
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', end).on('close', end);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('the gate has no port');
  return {
    port: address.port,
    shut() {
      shut = true;
      for (const s of sockets) s.destroy();
    },
    open() {
      shut = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
