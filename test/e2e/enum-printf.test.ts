// bpftrace's call/printf_enum_symbolize_tracepoint: a tracepoint's enum field printed with %d is its
// number, kept in a variable and printed with %s the enumerator's name. The drop is one this test
// causes: a UDP datagram to a closed local port is freed with reason NO_SOCKET.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createSocket } from 'node:dgram';
import { runScript } from './functions-support.js';

function sendToClosedPort(): Promise<void> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.send('x', 9, '127.0.0.1', () => {
      socket.close();
      setTimeout(resolve, 100);
    });
  });
}

test('kfree_skb reason: %d the number, %s of the enum value its enumerator', async () => {
  const { stdout } = await runScript('tracepoint:skb:kfree_skb /args.reason == SKB_DROP_REASON_NO_SOCKET/ { $r = args.reason; printf("%d %s\\n", args.reason, $r); exit(); }', {
    trigger: sendToClosedPort, awaitExit: true,
  });
  assert.match(stdout, /^\d+ SKB_DROP_REASON_NO_SOCKET\n/);
});

test.run();
