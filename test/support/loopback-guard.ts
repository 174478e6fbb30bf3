// The project's own loopback guard (`node --import tsx --import ./test/support/loopback-guard.ts …`), for
// machines without ../shared/tools/loopback-guard.cjs. It fails the process (exit code 1) if anything in it
// resolves a non-localhost name or sends UDP/TCP to a non-loopback address; the offending call is blocked.
import dgram from 'node:dgram';
import dns from 'node:dns';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import { isLoopbackAddress } from '../../server/sfu/loopback.js';

const LOCAL_NAMES = new Set(['localhost', '127.0.0.1', '::1']);
const violations: string[] = [];

function block(what: string, target: unknown): Error {
  const message = `[loopback-guard] blocked ${what} -> ${String(target)}`;
  violations.push(message);
  process.stderr.write(`${message}\n${new Error().stack?.split('\n').slice(2, 6).join('\n')}\n`);
  return Object.assign(new Error(message), { code: 'ELOOPBACKGUARD' });
}

const nameAllowed = (host: unknown) =>
  host == null || LOCAL_NAMES.has(String(host).toLowerCase()) || net.isIP(String(host)) !== 0;
const targetAllowed = (host: unknown) =>
  host == null || LOCAL_NAMES.has(String(host).toLowerCase()) || isLoopbackAddress(String(host));

type AnyFn = (...args: unknown[]) => unknown;
const patchable = (target: object) => target as Record<string, AnyFn>;

const lookup = dns.lookup as unknown as AnyFn;
patchable(dns).lookup = function (this: unknown, host: unknown, ...rest: unknown[]) {
  if (nameAllowed(host)) return lookup.call(this, host, ...rest);
  const error = block('dns.lookup', host);
  const callback = rest.find((r): r is AnyFn => typeof r === 'function');
  if (callback) process.nextTick(callback, error);
};
const promisedLookup = dns.promises.lookup as unknown as AnyFn;
patchable(dns.promises).lookup = function (this: unknown, host: unknown, ...rest: unknown[]) {
  return nameAllowed(host)
    ? promisedLookup.call(this, host, ...rest)
    : Promise.reject(block('dns.promises.lookup', host));
};
for (const [owner, label] of [
  [dns, 'dns'],
  [dns.promises, 'dns.promises'],
] as const) {
  for (const name of Object.keys(owner).filter((k) => k.startsWith('resolve'))) {
    const original = patchable(owner)[name];
    patchable(owner)[name] = function (this: unknown, host: unknown, ...rest: unknown[]) {
      if (nameAllowed(host)) return original.call(this, host, ...rest);
      const error = block(`${label}.${name}`, host);
      const callback = rest.find((r): r is AnyFn => typeof r === 'function');
      if (callback) return void process.nextTick(callback, error);
      if (label === 'dns.promises') return Promise.reject(error);
      throw error;
    };
  }
}

const socketProto = patchable(dgram.Socket.prototype);
const send = socketProto.send;
socketProto.send = function (this: unknown, ...args: unknown[]) {
  // send(msg, [offset, length,] port, address, callback): the address is the first string argument.
  const address = args.slice(1).find((a) => typeof a === 'string');
  if (address === undefined || targetAllowed(address)) return send.apply(this, args);
  const error = block('udp send', address);
  const callback = args.find((a): a is AnyFn => typeof a === 'function');
  if (callback) process.nextTick(callback, error);
};
const connectUdp = socketProto.connect;
socketProto.connect = function (this: unknown, port: unknown, address: unknown, ...rest: unknown[]) {
  if (typeof address === 'string' && !targetAllowed(address)) throw block('udp connect', address);
  return connectUdp.call(this, port, address, ...rest);
};

const netProto = patchable(net.Socket.prototype);
const connectTcp = netProto.connect;
netProto.connect = function (this: unknown, ...args: unknown[]) {
  const first = args[0];
  const options = (Array.isArray(first) ? first[0] : first) as { host?: string; path?: string } | number;
  const host =
    typeof options === 'object' ? options?.host : typeof args[1] === 'string' ? args[1] : undefined;
  const isPipe = typeof options === 'object' && !!options?.path;
  if (!isPipe && host !== undefined && !targetAllowed(host)) throw block('tcp connect', host);
  return connectTcp.apply(this, args);
};

syncBuiltinESMExports();

process.on('exit', () => {
  if (violations.length === 0) return;
  process.stderr.write(`[loopback-guard] ${violations.length} non-loopback attempt(s) blocked\n`);
  process.exitCode = 1;
});
