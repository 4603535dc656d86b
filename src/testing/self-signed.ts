import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
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

/** A CA of the test's own and a server certificate it signed; `otherName` is one it signed for another name only. */
export interface TestAuthority {
  dir: string;
  /** The CA's certificate file (PEM): what `ca:` names. */
  caPath: string;
  server: { key: string; cert: string };
  otherName: { key: string; cert: string };
}

/** A CA (EC P-256, by /usr/bin/openssl, valid one day) and the server certificates it signs: for 127.0.0.1 and localhost, and for other.invalid. */
export async function makeCertificateAuthority(): Promise<TestAuthority> {
  const dir = await mkdtemp(join(tmpdir(), "lifeguard-ca-"));
  const run = (args: string[]) => promisify(execFile)(OPENSSL, args, { timeout: 10_000 });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  const caPath = join(dir, "ca.pem");
  const sign = async (name: string, altNames: string): Promise<{ key: string; cert: string }> => {
    const [key, request, cert, extensions] = ["key.pem", "csr.pem", "cert.pem", "ext.cnf"].map((file) => join(dir, `${name}-${file}`)) as [string, string, string, string];
    await writeFile(extensions, `subjectAltName=${altNames}\n`);
    await run(["req", ...ec, "-keyout", key, "-out", request, "-subj", `/CN=${name}`]);
    await run(["x509", "-req", "-in", request, "-CA", caPath, "-CAkey", join(dir, "ca-key.pem"), "-CAcreateserial", "-out", cert, "-days", "1", "-extfile", extensions]);
    return { key: await readFile(key, "utf8"), cert: await readFile(cert, "utf8") };
  };
  try {
    await run(["req", "-x509", ...ec, "-keyout", join(dir, "ca-key.pem"), "-out", caPath, "-days", "1", "-subj", "/CN=Lifeguard test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign"]);
    return { dir, caPath, server: await sign("server", "IP:127.0.0.1,DNS:localhost"), otherName: await sign("other", "DNS:other.invalid") };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
