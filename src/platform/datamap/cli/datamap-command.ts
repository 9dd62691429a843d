import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Command } from 'commander';
import { cliContext, type CliContext } from '../../../kernel/cli/cli-context.ts';
import { didYouMean } from '../../../kernel/errors/did-you-mean.ts';
import { Conflict, InvalidInput, NotFound } from '../../../kernel/errors/domain-error.ts';
import { createTaxonomy } from '../../taxonomy/taxonomy.ts';
import { dataMapInvalid, formatProblem, type DataMapProblem } from '../datamap-problem.ts';
import { describeDataMap, describeTaxonomy } from '../describe-datamap.ts';
import { importFidesDatasets } from '../fides/import-fides-dataset.ts';
import { generateDraftDataMap } from '../introspection/generate-datamap.ts';
import { validateDataMapFiles } from '../load-datamap.ts';
import type { PlatformConfig } from '../../platform-services.ts';

/** `steward datamap validate|show|generate|import-fides`. */
export function datamapCommand(): Command {
  const datamap = new Command('datamap').description(
    'check, show and draft the data map (systems, collections, fields)',
  );

  datamap
    .command('validate')
    .description('validate the data-map files (default: the folder datamap.path of steward.yaml)')
    .argument('[path...]', 'files or folders to validate')
    .action(async (paths: string[], _options: object, command: Command) => {
      const context = cliContext(command);
      const { config } = context.loadConfig<PlatformConfig>();
      const targets = paths.length ? paths.map((p) => resolve(p)) : [config.datamap.path];
      // A path that does not exist is a mistake, not an empty data map (EX_NOINPUT, 66).
      const missing = targets.filter((target) => !existsSync(target));
      if (missing.length)
        throw new NotFound(
          'datamap.path_missing',
          `${missing.join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist. Give data-map files or folders${paths.length ? '' : ', or fix datamap.path in steward.yaml'}.`,
          { paths: missing },
        );
      const validation = validateDataMapFiles(targets, { taxonomy: createTaxonomy(config.taxonomy) });
      const systems = validation.dataMaps.reduce((n, m) => n + m.systems.length, 0);
      const collections = validation.dataMaps.reduce(
        (n, m) => n + m.systems.reduce((k, s) => k + s.collections.length, 0),
        0,
      );
      if (!validation.valid) throw dataMapInvalid(validation.problems);
      const warnings = validation.problems.map((p) => `  warning: ${formatProblem(p)}`);
      const summary = `Data map is valid: ${validation.files.length} file(s), ${systems} system(s), ${collections} collection(s)${validation.files.length ? '' : ` (no files under ${targets.join(', ')})`}.`;
      context.print([summary, ...warnings].join('\n'), {
        valid: true,
        files: validation.files,
        systems,
        collections,
        problems: validation.problems,
      });
    });

  datamap
    .command('show')
    .description(
      'print the loaded data map: systems, collections, fields with categories, identities and erasure',
    )
    .option('--tenant <id>', 'only this tenant')
    .option('--taxonomy', 'print the taxonomy (data categories, uses, subjects) instead')
    .action(async (options: { tenant?: string; taxonomy?: boolean }, command: Command) => {
      const context = cliContext(command);
      const { config } = context.loadConfig<PlatformConfig>();
      const taxonomy = createTaxonomy(config.taxonomy);
      if (options.taxonomy) {
        context.print(describeTaxonomy(taxonomy), {
          dataCategories: taxonomy.categories.entries(),
          dataUses: taxonomy.uses.entries(),
          dataSubjects: taxonomy.subjects.entries(),
        });
        return;
      }
      const validation = validateDataMapFiles([config.datamap.path], { taxonomy });
      if (!validation.valid) throw dataMapInvalid(validation.problems);
      const dataMaps = validation.dataMaps.filter((m) => !options.tenant || m.tenant === options.tenant);
      const text = dataMaps.length
        ? dataMaps.map(describeDataMap).join('\n\n')
        : `The data map is empty (no files under ${config.datamap.path}).`;
      context.print(text, { dataMaps });
    });

  datamap
    .command('generate')
    .description(
      'draft a data map from a live PostgreSQL or MySQL/MariaDB schema (reads the catalog, never rows)',
    )
    .option('--system <id>', 'a postgres or mysql system of the data map')
    .option('--url <url>', 'postgres://… or mysql://… (or env:NAME holding one)')
    .option('--id <id>', 'system id for the draft (with --url; default: the database name)')
    .option('--schema <name...>', 'PostgreSQL schemas to read (default: all user schemas)')
    .option('--tenant <id>', 'tenant of the draft')
    .option('-o, --out <file>', 'write the draft to this file instead of stdout')
    .option('--force', 'overwrite --out if it exists')
    .action(
      async (
        options: {
          system?: string;
          url?: string;
          id?: string;
          schema?: string[];
          tenant?: string;
          out?: string;
          force?: boolean;
        },
        command: Command,
      ) => {
        const context = cliContext(command);
        if (Boolean(options.system) === Boolean(options.url)) {
          throw new InvalidInput(
            'datamap.generate_source',
            'Give exactly one of --system <id> (a system of the data map) or --url <postgres://…|mysql://…>.',
          );
        }
        const source = options.system
          ? { system: findSystem(context, options.system, options.tenant) }
          : { url: options.url as string, ...(options.id ? { systemId: options.id } : {}) };
        const spinner = context.spinner('Reading the database catalog').start();
        const draft = await generateDraftDataMap(source, {
          ...(options.schema ? { schemas: options.schema } : {}),
          ...(options.tenant ? { tenant: options.tenant } : {}),
        }).finally(() => spinner.stop());
        emit(context, draft.yaml, options, draft.problems, { tables: draft.tables.length });
      },
    );

  datamap
    .command('import-fides')
    .description("convert a Fides dataset YAML file into Steward's data-map format")
    .argument('<file>', 'Fides dataset file (dataset: [...])')
    .option('--kind <kind>', 'system kind of the imported datasets: postgres or mysql', 'postgres')
    .option('--tenant <id>', 'tenant of the imported data map')
    .option('-o, --out <file>', 'write the result to this file instead of stdout')
    .option('--force', 'overwrite --out if it exists')
    .action(
      async (
        file: string,
        options: { kind: string; tenant?: string; out?: string; force?: boolean },
        command: Command,
      ) => {
        const context = cliContext(command);
        if (!['postgres', 'mysql'].includes(options.kind)) {
          throw new InvalidInput(
            'datamap.fides_kind',
            `--kind ${options.kind} is not supported. Use postgres or mysql.`,
          );
        }
        if (!existsSync(file))
          throw new NotFound('datamap.fides_file', `${resolve(file)} does not exist. Check the path.`);
        const imported = importFidesDatasets(readFileSync(file, 'utf8'), {
          kind: options.kind as 'postgres',
          ...(options.tenant ? { tenant: options.tenant } : {}),
        });
        emit(context, imported.yaml, options, imported.problems, { notes: imported.notes });
      },
    );

  return datamap;
}

function findSystem(context: CliContext, id: string, tenant: string | undefined) {
  const { config } = context.loadConfig<PlatformConfig>();
  // The rest of the map may still be incomplete while it is being drafted: only the system must parse.
  const validation = validateDataMapFiles([config.datamap.path], {
    taxonomy: createTaxonomy(config.taxonomy),
  });
  const candidates = validation.dataMaps
    .filter((m) => !tenant || m.tenant === tenant)
    .flatMap((m) => m.systems);
  const system = candidates.find((s) => s.id === id);
  if (!system) {
    throw new NotFound(
      'datamap.system_not_found',
      `No system "${id}" in the data map under ${config.datamap.path}.${didYouMean(
        id,
        candidates.map((s) => s.id),
      )}${candidates.length ? ` Systems: ${candidates.map((s) => s.id).join(', ')}.` : ''} Declare it there, or use --url.`,
      { system: id },
    );
  }
  return system;
}

/** Writes the YAML to --out or stdout; validation findings go to stderr so stdout stays pure YAML. */
function emit(
  context: CliContext,
  yaml: string,
  options: { out?: string; force?: boolean },
  problems: DataMapProblem[],
  extra: Record<string, unknown>,
): void {
  if (options.out) {
    const target = resolve(options.out);
    if (existsSync(target) && !options.force)
      throw new Conflict('datamap.out_exists', `${target} already exists. Use --force to overwrite it.`, {
        file: target,
      });
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, yaml);
  }
  if (context.options.json) {
    context.print('', { yaml, ...(options.out ? { file: resolve(options.out) } : {}), problems, ...extra });
    return;
  }
  if (!options.out) process.stdout.write(yaml);
  else context.print(`Wrote ${resolve(options.out)}.`);
  if (problems.length) {
    process.stderr.write(
      `The draft needs attention before it validates cleanly:\n${problems.map((p) => `  ${p.severity}: ${formatProblem(p)}`).join('\n')}\n`,
    );
  }
}
