#!/usr/bin/env node
import { runCli } from './run-cli.ts';

const exitCode = await runCli(process.argv);
// Commands that keep running (serve, worker) set no exit code and return; the rest exit here.
if (exitCode !== 0) process.exit(exitCode);
