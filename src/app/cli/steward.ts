#!/usr/bin/env -S node --max-semi-space-size=8
// The V8 flags in the line above are STEWARD_V8_FLAGS (src/kernel/runtime/v8-flags.ts): keep them in step.
// First, before any other module is evaluated: one line and exit 1 on a Node that is too old.
import '../../kernel/runtime/supported-node.ts';
import { installCliEnvironment } from '../../kernel/cli/cli-context.ts';
import { runCli } from '../../kernel/cli/run-cli.ts';
import { stewardCliEnvironment } from './command-services.ts';
import { buildProgram } from './program.ts';

installCliEnvironment(stewardCliEnvironment);
const exitCode = await runCli(process.argv, buildProgram);
// Commands that keep running (serve, worker) set no exit code and return; the rest exit here.
if (exitCode !== 0) process.exit(exitCode);
