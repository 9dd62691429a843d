import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import type { CliContext } from '../../../kernel/cli/cli-context.ts';
import { InvalidInput, NotFound } from '../../../kernel/errors/domain-error.ts';
import type { GovernanceServices } from '../use-cases/governance-deps.ts';
import { ensureGovernanceTables } from '../store/ensure-governance-tables.ts';

/**
 * The services a governance command works with, for the length of the command. `--demo` includes
 * the demo shop (created on first use), whose subjects a breach count reads.
 */
export function withGovernanceServices<T>(
  context: CliContext,
  options: { demo?: boolean },
  work: (services: GovernanceServices) => Promise<T>,
): Promise<T> {
  return context.withServices(
    { demo: options.demo, preparesDemoShop: options.demo === true, enqueuesJobs: false },
    async (services: GovernanceServices) => {
      await ensureGovernanceTables(services.database.db);
      return work(services);
    },
  );
}

/** Reads a YAML or JSON input file and validates it with the same schema the API uses. */
export function readInputFile<T extends z.ZodType>(file: string, schema: T): z.infer<T> {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new NotFound(
      'governance.input_missing',
      `Cannot read ${path}; give the path of a YAML or JSON file.`,
      { file: path },
    );
  }
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    throw new InvalidInput(
      'governance.input_syntax',
      `${path} is not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`,
      { file: path },
    );
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `  ${i.path.join('.') || '(top level)'}: ${i.message}`)
      .join('\n');
    throw new InvalidInput('governance.input_invalid', `${path} is not valid:\n${problems}`, { file: path });
  }
  return parsed.data;
}

/** Writes a rendered document to `--output`, or to stdout when it is text and no file is given. */
export function writeDocument(
  context: CliContext,
  body: string | Buffer,
  output: string | undefined,
  describe: string,
): void {
  if (output) {
    writeFileSync(resolve(output), body);
    context.print(`Wrote ${describe} to ${resolve(output)}.`, {
      file: resolve(output),
      bytes: Buffer.byteLength(body),
    });
    return;
  }
  if (Buffer.isBuffer(body))
    throw new InvalidInput(
      'governance.binary_to_terminal',
      `A ${describe} is binary; write it to a file with --output FILE.`,
    );
  process.stdout.write(body.endsWith('\n') ? body : `${body}\n`);
}
