export interface ConfigIssue {
  /** Field path in the file ("policies.default.input.injection", "keys[0].app") or an env variable name. */
  path: string;
  line?: number;
  column?: number;
  message: string;
  /** The file the issue is in, '<built-in>', or 'environment'. */
  source: string;
}

function formatIssue(issue: ConfigIssue): string {
  const where = issue.line === undefined ? issue.source : `${issue.source}:${issue.line}:${issue.column ?? 1}`;
  return issue.path === '' ? `${where}: ${issue.message}` : `${where} ${issue.path}: ${issue.message}`;
}

/** Every problem found in one configuration, each naming its field and, where it has one, its line. */
export class ConfigError extends Error {
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** An issue found while reading the file, located by field path (and optionally a node offset) before lines are known. */
export interface FieldIssue {
  path: readonly (string | number)[];
  message: string;
  /** Point at the key of the last path segment instead of its value (unknown keys). */
  atKey?: boolean;
}
