// The `http` check's `ca`: a real loopback https server whose certificate a CA made at test time
// signed. Without `ca` the check fails naming the certificate problem; with it, it passes; the
// certificate is still verified (its name included) when `ca` is given.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { HttpCheckConfig } from "../config/types.js";
import { systemClock } from "../process/system-clock.js";
import { makeCertificate, makeCertificateAuthority, type TestAuthority } from "../testing/self-signed.js";
import { unusedHeartbeats } from "../testing/unused-heartbeats.js";
import { unusedRunner } from "../testing/unused-runner.js";
import { createCheck } from "./registry.js";

let authority: TestAuthority;
let stranger: TestAuthority;
const servers: Server[] = [];

async function serve(certificate: { key: string; cert: string }): Promise<string> {
  const server = createServer(certificate, (_request, response) => response.end("ok"));
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
}

before(async () => {
  [authority, stranger] = await Promise.all([makeCertificateAuthority(), makeCertificateAuthority()]);
});
after(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
  await Promise.all([authority, stranger].map((made) => (made === undefined ? undefined : rm(made.dir, { recursive: true, force: true }))));
});

function observe(url: string, caFile: string | null) {
  const config: HttpCheckConfig = {
    kind: "http", id: "http", timeoutMs: 5000, alertOnly: false, url, method: "GET", status: [{ from: 200, to: 399 }], body: null, headers: {}, followRedirects: false,
    caFile, ca: caFile === null ? null : readFileSync(caFile, "utf8"),
  };
  return createCheck(config, { clock: systemClock, runner: unusedRunner, serviceName: "api", heartbeats: unusedHeartbeats }).run(new AbortController().signal);
}

test("without ca, a certificate of the user's own CA is not trusted, and the check says so", async () => {
  const url = await serve(authority.server);
  const observation = await observe(url, null);
  assert.equal(observation.ok, false);
  assert.match(observation.summary, /^GET https:\/\/127\.0\.0\.1:\d+\/health failed after \S+: its TLS certificate is not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)$/);
});

test("with ca naming that CA, the same server passes, the CA file in the evidence", async () => {
  const url = await serve(authority.server);
  const observation = await observe(url, authority.caPath);
  assert.equal(observation.ok, true, observation.summary);
  assert.match(observation.summary, /^GET https:\/\/127\.0\.0\.1:\d+\/health answered 200 in /);
  assert.equal(observation.evidence.ca, authority.caPath);
});

test("with ca, verification goes on: another CA's certificate, or one for another name, fails", async () => {
  const foreign = await observe(await serve(stranger.server), authority.caPath);
  assert.match(foreign.summary, /its TLS certificate is not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)$/);
  const misnamed = await observe(await serve(authority.otherName), authority.caPath);
  assert.match(misnamed.summary, /its TLS certificate is for another name \(ERR_TLS_CERT_ALTNAME_INVALID\)$/);
});

test("a server with a self-signed certificate passes with that certificate as its ca: no need to turn verification off", async () => {
  const certificate = await makeCertificate();
  try {
    const url = await serve(certificate);
    assert.match((await observe(url, null)).summary, /its TLS certificate is self-signed \(DEPTH_ZERO_SELF_SIGNED_CERT\)$/);
    const trusted = await observe(url, certificate.certPath);
    assert.equal(trusted.ok, true, trusted.summary);
  } finally {
    await rm(certificate.dir, { recursive: true, force: true });
  }
});
