import type { TcpCheckConfig } from "../config/types.js";
import { formatDuration } from "../core/duration.js";
import { describeNetworkError, networkErrorCode } from "../process/http-post.js";
import { connectOnce } from "../process/tcp-connect.js";
import type { Probe, ProbeFactory } from "./probe.js";

/** `tcp`: a connection to `host:port` opens (then is closed at once); the evidence is the time it took, or the error. */
export const createTcpProbe: ProbeFactory<TcpCheckConfig> = (config, deps) => {
  const where = config.host.includes(":") ? `[${config.host}]:${config.port}` : `${config.host}:${config.port}`;
  const target = { host: config.host, port: config.port };
  const probe: Probe = async (signal) => {
    const started = deps.clock.monotonic();
    const error = await connectOnce(config.host, config.port, signal);
    const connectMs = deps.clock.monotonic() - started;
    if (error === null) return { ok: true, summary: `Connected to ${where} in ${formatDuration(connectMs)}`, evidence: { ...target, connectMs } };
    const cause = describeNetworkError(error);
    return { ok: false, summary: `Cannot connect to ${where}: ${cause}`, evidence: { ...target, connectMs, error: networkErrorCode(error) }, cause };
  };
  probe.explainTimeout = () => ({ summary: `Cannot connect to ${where} within ${formatDuration(config.timeoutMs)}`, evidence: target });
  return probe;
};
