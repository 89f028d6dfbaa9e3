// The one way the tests start the local OCO server (target/debug/oco-local-server):
// on a free port of 127.0.0.1, bounded by --max-lifetime-secs (it stops by
// itself even if the test process dies), stopped by its own process id.
//
// In a node test:
//   const server = await startServer(['--root', dist]);  // extra server flags
//   server.url    // "http://127.0.0.1:<port>" (no trailing slash)
//   await server.stop();
//   startServer(args, { supervised: true }) runs it under target/debug/oco-supervisor,
//   which can kill and restart it on the same port: server.control is the
//   supervisor's control URL.
//
// From a shell (the browser suites, make test-e2e):
//   node tests/lib/local-server.mjs [server args...] -- <command...>
// starts the server, exports its URL in the variable named by
// $OCO_SERVER_URL_VAR (default OCO_TEST_HTTP; with OCO_SERVER_SUPERVISED=1 the
// supervisor's control URL in ${OCO_SERVER_URL_VAR}_CONTROL too), runs the
// command, always stops the server afterwards and exits with the command's
// status. The command runs without OCO_SERVER_SUPERVISED, so a nested launch
// starts a plain server unless asked again. On a failing command the last
// lines of the server's log go to stderr.
//
// Environment: OCO_SERVER_BIN, OCO_SUPERVISOR_BIN (the binaries),
// OCO_SERVER_START_TIMEOUT (seconds to wait for the listening line, default 30),
// OCO_SERVER_MAX_LIFETIME_SECS (default 900 from a shell, 300 in a node test).

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const exe = (name) => path.join(ROOT, 'target', 'debug', process.platform === 'win32' ? `${name}.exe` : name);
export const SERVER_BIN = process.env.OCO_SERVER_BIN || exe('oco-local-server');
const SUPERVISOR_BIN = process.env.OCO_SUPERVISOR_BIN || exe('oco-supervisor');
const START_TIMEOUT_MS = 1000 * Number(process.env.OCO_SERVER_START_TIMEOUT || 30);
const ADDRESS = /listening on (http:\/\/127\.0\.0\.1:\d+)/;
const CONTROL = /control on (http:\/\/127\.0\.0\.1:\d+)/;

/**
 * Starts the server with `args`; resolves `{ url, control?, pid, stop, output }`
 * once it listens. Rejects when a binary is missing, the process exits first,
 * or no listening line comes within OCO_SERVER_START_TIMEOUT seconds.
 */
export function startServer(args = [], { maxLifetimeSecs = 300, supervised = false } = {}) {
  const bins = supervised ? [SERVER_BIN, SUPERVISOR_BIN] : [SERVER_BIN];
  const missing = bins.find((bin) => !existsSync(bin));
  if (missing) return Promise.reject(new Error(`${missing} is missing: build it with \`make server\``));
  const lifetime = ['--max-lifetime-secs', String(maxLifetimeSecs)];
  const [bin, argv] = supervised
    ? [SUPERVISOR_BIN, [...lifetime, '--server-bin', SERVER_BIN, '--', ...args]]
    : [SERVER_BIN, ['--port', '0', ...lifetime, ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(bin, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    // The supervisor prints its two addresses on stdout, its server's log on stderr.
    let stdout = '';
    let output = '';
    let settled = false;
    const finish = (err, value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(value);
    };
    const stop = async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(t);
    };
    const timer = setTimeout(() => {
      finish(new Error(`${bin} printed no "listening" line within ${START_TIMEOUT_MS / 1000} s; output:\n${output}`));
      child.kill('SIGKILL');
    }, START_TIMEOUT_MS);
    const check = () => {
      const url = (supervised ? stdout : output).match(ADDRESS)?.[1];
      const control = supervised ? stdout.match(CONTROL)?.[1] : undefined;
      if (url && (!supervised || control)) {
        finish(null, { url, control, pid: child.pid, stop, output: () => output });
      }
    };
    child.stdout.on('data', (chunk) => {
      if (supervised) stdout += chunk.toString();
      else output += chunk.toString();
      check();
    });
    child.stderr.on('data', (chunk) => {
      output += chunk.toString();
    });
    child.on('error', (err) => finish(err));
    child.on('exit', (code, signal) => finish(new Error(`${bin} exited early (code ${code}, signal ${signal}); output:\n${output}`)));
  });
}

/** The shell form: `node tests/lib/local-server.mjs [server args...] -- <command...>`. */
async function main(argv) {
  const split = argv.indexOf('--');
  const [serverArgs, command] = [argv.slice(0, split), argv.slice(split + 1)];
  const urlVar = process.env.OCO_SERVER_URL_VAR || 'OCO_TEST_HTTP';
  const supervised = process.env.OCO_SERVER_SUPERVISED || '0';
  if (split < 0 || command.length === 0) return fail(2, 'usage: node tests/lib/local-server.mjs [server args...] -- <command...>');
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(urlVar)) return fail(2, `OCO_SERVER_URL_VAR='${urlVar}' is not a valid variable name`);
  if (supervised !== '0' && supervised !== '1') return fail(2, `OCO_SERVER_SUPERVISED='${supervised}' must be 0 or 1`);
  let server;
  try {
    server = await startServer(serverArgs, {
      supervised: supervised === '1',
      maxLifetimeSecs: Number(process.env.OCO_SERVER_MAX_LIFETIME_SECS || 900),
    });
  } catch (err) {
    return fail(1, err.message);
  }
  const env = { ...process.env, [urlVar]: server.url };
  delete env.OCO_SERVER_SUPERVISED;
  if (server.control) {
    env[`${urlVar}_CONTROL`] = server.control;
    log(`${urlVar}_CONTROL=${server.control}`);
  }
  log(`${urlVar}=${server.url} (pid ${server.pid})`);
  const child = spawn(command[0], command.slice(1), { stdio: 'inherit', env });
  const forward = (signal) => () => child.kill(signal);
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  const status = await new Promise((resolve) => {
    child.on('error', (err) => {
      log(`cannot run ${command[0]}: ${err.message}`);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 + 15 : 1)));
  });
  await server.stop();
  if (status !== 0) {
    const tail = server.output().trimEnd().split('\n').slice(-40).join('\n');
    process.stderr.write(`---- last lines of the ${urlVar} server log ----\n${tail}\n---- end of server log ----\n`);
  }
  process.exit(status);
}

function log(message) {
  process.stderr.write(`local-server: ${message}\n`);
}

function fail(status, message) {
  log(message);
  process.exit(status);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2));
}
