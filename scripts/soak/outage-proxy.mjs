// The network between the agent and the store, with outages on demand (used by soak.mjs):
//   node scripts/soak/outage-proxy.mjs <listen port> <store port> <flag file>
// Forwards TCP from 127.0.0.1:<listen port> to 127.0.0.1:<store port>. While <flag file> exists the network is down:
// the listener is closed (connections refused, as by a dead link) and open connections are cut.
import { existsSync } from 'node:fs';
import net from 'node:net';

const listenPort = Number(process.argv[2]);
const storePort = Number(process.argv[3]);
const flag = process.argv[4];
if (!listenPort || !storePort || !flag) {
  console.error('usage: outage-proxy.mjs <listen port> <store port> <flag file>');
  process.exit(2);
}

/** @type {Set<net.Socket>} */
const open = new Set();
/** @type {net.Server | null} */
let server = null;
let down = false;

function listen() {
  server = net.createServer((client) => {
    const upstream = net.connect(storePort, '127.0.0.1');
    const end = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('error', end);
      socket.on('close', end);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  server.listen(listenPort, '127.0.0.1');
}

listen();
// Also what keeps the process alive while the listener is closed.
setInterval(() => {
  const wanted = existsSync(flag);
  if (wanted === down) return;
  down = wanted;
  if (down) {
    server?.close();
    for (const socket of open) socket.destroy();
  } else listen();
  console.log(`${new Date().toISOString()} ${down ? 'down' : 'up'}`);
}, 50);
