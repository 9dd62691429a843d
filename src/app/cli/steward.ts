#!/usr/bin/env -S node --max-semi-space-size=8
// The V8 flags in the line above are STEWARD_V8_FLAGS (src/kernel/runtime/v8-flags.ts): keep them in step.
// First, before any other module is evaluated: one line and exit 1 on a Node that is too old.
import '../../kernel/runtime/supported-node.ts';
import { answerFromHelpCatalog } from './help-catalog.ts';

// Help pages and the version come from the catalog in milliseconds; everything else builds the
// program, which loads every module's commands (and with them the modules' code).
const page = answerFromHelpCatalog(process.argv.slice(2));
if (page !== undefined) {
  process.stdout.write(page);
} else {
  // Tracing, when configured, patches modules as they are imported: started before the program loads.
  const { startConfiguredTracing } = await import('../../kernel/tracing/start-configured-tracing.ts');
  await startConfiguredTracing(process.argv.slice(2));
  const [{ installCliEnvironment }, { runCli }, { stewardCliEnvironment }, { buildProgram }] =
    await Promise.all([
      import('../../kernel/cli/cli-context.ts'),
      import('../../kernel/cli/run-cli.ts'),
      import('./command-services.ts'),
      import('./program.ts'),
    ]);
  installCliEnvironment(stewardCliEnvironment);
  const exitCode = await runCli(process.argv, buildProgram);
  // Commands that keep running (serve, worker) set no exit code and return; the rest exit here.
  if (exitCode !== 0) process.exit(exitCode);
}
