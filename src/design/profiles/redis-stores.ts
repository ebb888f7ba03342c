// What a cross-node bus keeps in Redis, keyed by the scaling package the project declares ('' for
// the bus this plan proposes when it declares none: Redis pub/sub, one subscriber per instance).
// Sources: socket.io/docs/v4/redis-adapter (one pub and one sub client per server),
// socket.io/docs/v4/redis-streams-adapter (one stream, `maxLen` 10,000 entries by default).
export interface RedisBus {
  /** Subscriber connections each instance holds on Redis pub/sub (their output buffers count in Redis memory). */
  subscribersPerInstance: number;
  /** The default length of the stream the adapter appends every broadcast to, when it uses one. */
  streamMaxLen?: number;
}

export const REDIS_BUSES: Record<string, RedisBus> = {
  '': { subscribersPerInstance: 1 },
  '@socket.io/redis-adapter': { subscribersPerInstance: 1 },
  'socket.io-redis': { subscribersPerInstance: 1 },
  redis: { subscribersPerInstance: 1 },
  ioredis: { subscribersPerInstance: 1 },
  '@socket.io/redis-streams-adapter': { subscribersPerInstance: 0, streamMaxLen: 10_000 },
};
