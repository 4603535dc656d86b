// One read of a unit's state over the system bus in a fresh process: what `lifeguard check` would
// pay to ask systemd over the bus instead of `systemctl show` (bench/check-wall-time.ts times it
// against `node -e 0`). As the daemon does it (src/process/systemd-bus.ts): dbus-native loaded,
// a connection made and authenticated, ListUnitsByNames and two Gets sent together.
// Usage: node bench/bots/bus-read.cjs UNIT
"use strict";
const dbus = require("dbus-native");

const unit = process.argv[2];
const SYSTEMD = "org.freedesktop.systemd1";
const address = process.env.DBUS_SYSTEM_BUS_ADDRESS ?? "unix:path=/run/dbus/system_bus_socket";
const bus = dbus.createClient({ busAddress: address, plainValues: true });
const call = (message) => new Promise((resolve, reject) => bus.invoke({ destination: SYSTEMD, ...message }, (error, value) => (error ? reject(new Error(String(error))) : resolve(value))));

(async () => {
  const [rows] = await Promise.all([call({ path: "/org/freedesktop/systemd1", interface: `${SYSTEMD}.Manager`, member: "ListUnitsByNames", signature: "as", body: [[unit]] })]);
  const path = rows[0][6];
  const get = (iface, name) => call({ path, interface: "org.freedesktop.DBus.Properties", member: "Get", signature: "ss", body: [iface, name] });
  const [mainPid, result] = await Promise.all([get(`${SYSTEMD}.Service`, "MainPID"), get(`${SYSTEMD}.Service`, "Result")]);
  process.stdout.write(`${rows[0][3]} ${rows[0][4]} ${JSON.stringify(mainPid)} ${JSON.stringify(result)}\n`);
  bus.connection.end();
})().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
