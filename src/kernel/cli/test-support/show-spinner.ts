// Shows the CLI's spinner for half a second, then prints `done`: run by spinner.test.ts in a pty.
import { Command } from 'commander';
import { cliContext } from '../cli-context.ts';

const spinner = cliContext(new Command('spinner-test')).spinner('Starting Steward').start();
setTimeout(() => {
  spinner.stop();
  process.stdout.write(`done on ${process.stderr.columns ?? 'no'} columns\n`);
}, 500);
