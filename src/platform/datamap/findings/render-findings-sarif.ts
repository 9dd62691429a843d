import { isAbsolute, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ArtifactLocation, Log, ReportingDescriptor, Result } from 'sarif';
import type { DataMapCheckReport, DataMapFinding, FindingRule } from './datamap-finding.ts';

/**
 * The findings as SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format), which code hosts
 * show as annotations on the data-map lines. ONE run holds every check's rules and results: code
 * scanning no longer merges several runs of one tool in one upload, and the rule ids
 * (`governance.…`, `discovery.…`) already say which check reported what. Paths inside `root` (the
 * repository checkout) are relative to `%SRCROOT%`, as code-scanning uploads expect.
 */
export function renderFindingsSarif(
  report: DataMapCheckReport,
  options: { root: string; version: string },
): Log {
  const rules = report.sources.flatMap((source) =>
    source.rules.map((rule) => ({ rule, check: source.source })),
  );
  const index = new Map(rules.map(({ rule }, i) => [rule.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Steward',
            semanticVersion: options.version,
            informationUri: 'https://github.com/steward-privacy/steward',
            rules: rules.map(({ rule, check }) => sarifRule(rule, check)),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The repository checkout' } } },
        results: report.sources.flatMap((source) =>
          source.findings.map((f) => sarifResult(f, index.get(f.rule), options.root)),
        ),
        properties: {
          checks: report.sources.map((s) => ({ check: s.source, title: s.title, scope: s.scope })),
        },
      },
    ],
  };
}

function sarifRule(rule: FindingRule, check: string): ReportingDescriptor {
  return {
    id: rule.id,
    name: rule.id.slice(rule.id.indexOf('.') + 1),
    shortDescription: { text: rule.title },
    fullDescription: { text: `${rule.title} (${rule.reference}).` },
    defaultConfiguration: { level: rule.severity },
    properties: { tags: ['privacy', 'gdpr', check], check, reference: rule.reference },
  };
}

function sarifResult(f: DataMapFinding, ruleIndex: number | undefined, root: string): Result {
  return {
    ruleId: f.rule,
    ...(ruleIndex === undefined ? {} : { ruleIndex }),
    level: f.severity,
    message: { text: `${f.subject}: ${f.message}. Fix: ${f.fix}.` },
    locations: [
      {
        ...(f.file
          ? {
              physicalLocation: {
                artifactLocation: artifactLocation(f.file, root),
                ...(f.line ? { region: { startLine: f.line } } : {}),
              },
            }
          : {}),
        logicalLocations: [{ fullyQualifiedName: f.path || f.subject, kind: 'member' }],
      },
    ],
    properties: { reference: f.reference, ...f.properties },
  };
}

/** Relative to %SRCROOT% inside the checkout; an absolute file: URI outside it. */
function artifactLocation(file: string, root: string): ArtifactLocation {
  const absolute = isAbsolute(file) ? file : resolve(root, file);
  const inside = relative(root, absolute);
  if (inside.startsWith('..') || isAbsolute(inside)) return { uri: pathToFileURL(absolute).href };
  return {
    uri: inside.split('\\').join('/').split('/').map(encodeURIComponent).join('/'),
    uriBaseId: '%SRCROOT%',
  };
}
