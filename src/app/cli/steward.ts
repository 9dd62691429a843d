#!/usr/bin/env -S node --max-semi-space-size=8
// The V8 flags in the line above are STEWARD_V8_FLAGS (src/runtime/v8-flags.ts): keep them in step.
import { runCli } from '../../kernel/cli/run-cli.ts';

const exitCode = await runCli(process.argv);
// Commands that keep running (serve, worker) set no exit code and return; the rest exit here.
if (exitCode !== 0) process.exit(exitCode);
