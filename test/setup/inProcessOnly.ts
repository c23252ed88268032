/**
 * vitest setupFile of the unit part (test/suites.ts): the unit tests stay in their process. Starting a
 * child process, opening a socket or a worker thread throws here, naming the part the test belongs in,
 * instead of quietly making the fast default slow or dependent on the machine.
 */
import childProcess from "node:child_process";
import dgram from "node:dgram";
import http from "node:http";
import https from "node:https";
import { syncBuiltinESMExports } from "node:module";
import net from "node:net";
import workerThreads from "node:worker_threads";

/** A function (a constructor too, for Worker) that refuses. */
const refuse = (what: string) =>
  function refused(): never {
    throw new Error(`a unit test may not ${what}: move the file to the integration part (test/suites.ts)`);
  };

const patch = (target: object, names: readonly string[], what: string) => {
  for (const name of names) Object.assign(target, { [name]: refuse(what) });
};

patch(
  childProcess,
  ["spawn", "spawnSync", "exec", "execSync", "execFile", "execFileSync", "fork"],
  "start a process",
);
patch(dgram, ["createSocket"], "open a UDP socket");
patch(net, ["createServer", "connect", "createConnection"], "open a TCP socket");
patch(http, ["createServer", "request", "get"], "use HTTP");
patch(https, ["createServer", "request", "get"], "use HTTP");
patch(workerThreads, ["Worker"], "start a worker thread");
// The ESM named exports of builtins follow their CommonJS objects only when asked to.
syncBuiltinESMExports();
globalThis.fetch = refuse("use HTTP");
