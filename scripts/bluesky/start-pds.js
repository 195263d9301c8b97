// Starts the reference Bluesky PDS (with an in-process PLC directory) on loopback for the
// ContentOS Bluesky integration test and example. No internet access is needed.
//
//   node scripts/bluesky/start-pds.js            # PDS on http://localhost:2583, PLC on :2582
//
// Prints "READY <pds url>" once the server accepts requests, then runs until killed.
// `@atproto/dev-env` is resolved from this folder's node_modules, or from NODE_PATH when it is
// installed elsewhere (see package.json / docs/publishers.md).
const { TestNetworkNoAppView } = require('@atproto/dev-env');

const pdsPort = Number(process.env.PDS_PORT || 2583);
const plcPort = Number(process.env.PLC_PORT || 2582);

(async () => {
  const net = await TestNetworkNoAppView.create({
    pds: { port: pdsPort },
    plc: { port: plcPort },
  });
  console.log(`READY ${net.pds.url}`);
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
  console.error('failed to start the PDS:', err);
  process.exit(1);
});
