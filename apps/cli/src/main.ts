#!/usr/bin/env node
import { runCli } from './cli.js';
import { userCwd } from './io.js';

const controller = new AbortController();
let interrupted = 0;
process.on('SIGINT', () => {
  interrupted += 1;
  // The first Ctrl-C lets the command finish cleanly (a tail stops, a file is not left half-written);
  // the second does not wait.
  if (interrupted > 1) process.exit(130);
  controller.abort();
});
// `timeline … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const code = await runCli(
  process.argv.slice(2),
  {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: userCwd(process.env, process.cwd()),
  },
  { signal: controller.signal },
);
process.exitCode = code;
// Open sockets (a Kafka client closing, a keep-alive connection) must not hold the exit.
setTimeout(() => process.exit(code), 2_000).unref();
