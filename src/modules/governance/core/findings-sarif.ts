import { relative, isAbsolute } from 'node:path';
import { CHECK_RULES, type CheckRule, type ComplianceFinding } from './compliance-check.ts';

/**
 * The findings as SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format), which code hosts
 * show as annotations on the data-map lines. File paths are made relative to `root` (the repository
 * checkout) under the `%SRCROOT%` base, as code-scanning uploads expect.
 */
export function renderSarif(
  findings: readonly ComplianceFinding[],
  options: { root: string; version: string },
): object {
  const rules = Object.keys(CHECK_RULES) as CheckRule[];
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
            rules: rules.map((id) => ({
              id,
              name: id.split('.')[1],
              shortDescription: { text: CHECK_RULES[id].title },
              fullDescription: { text: `${CHECK_RULES[id].title} (${CHECK_RULES[id].article}).` },
              defaultConfiguration: { level: CHECK_RULES[id].severity },
              properties: { tags: ['privacy', 'gdpr'] },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The repository checkout' } } },
        results: findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: rules.indexOf(f.rule),
          level: f.severity,
          message: { text: `${f.subject}: ${f.message}. Fix: ${f.fix}.` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: uriOf(f.file, options.root), uriBaseId: '%SRCROOT%' },
                ...(f.line ? { region: { startLine: f.line } } : {}),
              },
              logicalLocations: [{ fullyQualifiedName: f.path || f.subject, kind: 'member' }],
            },
          ],
        })),
      },
    ],
  };
}

function uriOf(file: string, root: string): string {
  const path = isAbsolute(file) ? relative(root, file) : file;
  return path.split('\\').join('/').split('/').map(encodeURIComponent).join('/');
}
