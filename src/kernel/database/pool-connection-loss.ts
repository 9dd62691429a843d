import type pg from 'pg';

/**
 * Makes a `pg` pool survive its server going away (restart, crash, failover, network cut):
 * - an idle client's error is dropped; the pool discards that client;
 * - a checked-out client gets a permanent 'error' listener. pg-pool removes its own listener while
 *   a client is checked out, and pg emits 'error' on a client whose connection dies even when the
 *   running query rejects with the same error, so unheard it is an uncaught exception that ends the
 *   process (57P01 on `pg_ctl -m fast`, ECONNRESET on a crash). The caller's query still rejects,
 *   and the pool discards the dead client when it is released.
 * New connections are made as callers ask for them, so the pool reconnects by itself.
 */
export function surviveConnectionLoss<Pool extends pg.Pool>(pool: Pool): Pool {
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}
