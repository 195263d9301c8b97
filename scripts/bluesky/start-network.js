// Starts the reference Bluesky network on loopback: PLC directory (:2582), PDS (:2583), the
// bsky AppView (:2584, indexing the PDS's firehose into PostgreSQL) and the Ozone moderation
// service it expects (:2585). Unlike start-pds.js (a bare PDS), the AppView serves
// app.bsky.feed.getPosts, so the ContentOS Bluesky adapter can read real like/repost/reply
// counts from it.
//
//   DB_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/contentos_bsky REDIS_HOST=127.0.0.1:6379 \
//     node scripts/bluesky/start-network.js
//
// The AppView and Ozone keep their tables in the schemas appview_<DB_POSTGRES_SCHEMA> and
// ozone_<DB_POSTGRES_SCHEMA> (default schema name: contentos); setup.sh drops them before a
// start, because the PDS and PLC keep their state in memory and begin empty every time.
// Prints "READY <pds url> <appview url>" once everything accepts requests, then runs until killed.
const { TestNetwork } = require('@atproto/dev-env');

const port = (name, fallback) => Number(process.env[name] || fallback);

(async () => {
  const net = await TestNetwork.create({
    dbPostgresUrl: process.env.DB_POSTGRES_URL,
    dbPostgresSchema: process.env.DB_POSTGRES_SCHEMA || 'contentos',
    plc: { port: port('PLC_PORT', 2582) },
    pds: { port: port('PDS_PORT', 2583) },
    bsky: { port: port('APPVIEW_PORT', 2584) },
    ozone: { port: port('OZONE_PORT', 2585) },
  });
  console.log(`READY ${net.pds.url} ${net.bsky.url}`);
  const stop = async () => {
    try {
      await net.close();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
})().catch((err) => {
  console.error('failed to start the Bluesky network:', err);
  process.exit(1);
});
