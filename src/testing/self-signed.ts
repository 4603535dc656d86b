import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const OPENSSL = "/usr/bin/openssl";

/** A certificate and its key; `dir` holds their files until the test removes it. */
export interface Certificate {
  dir: string;
  certPath: string;
  key: string;
  cert: string;
}

/** A self-signed certificate (EC P-256, by /usr/bin/openssl) for 127.0.0.1 and localhost, valid one day, in a temp dir of its own. */
export async function makeCertificate(): Promise<Certificate> {
  const dir = await mkdtemp(join(tmpdir(), "lifeguard-cert-"));
  const keyPath = join(dir, "key.pem");
  const certPath = join(dir, "cert.pem");
  try {
    await promisify(execFile)(OPENSSL, [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
      "-keyout", keyPath, "-out", certPath, "-days", "1", "-subj", "/CN=localhost",
      "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
    ], { timeout: 10_000 });
    return { dir, certPath, key: await readFile(keyPath, "utf8"), cert: await readFile(certPath, "utf8") };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
