/** The part of a zod issue a field map needs. */
export interface FieldIssue {
  path: readonly PropertyKey[];
  message: string;
}

/**
 * zod issues as a dot-notation field map (`{ 'products.0.quantity': ['…'] }`), the shape Points uses for
 * its 422 answers. Issues about the whole value go under `rootKey`; `message` rewords an issue.
 */
export function fieldErrorMap<Issue extends FieldIssue>(
  issues: readonly Issue[],
  rootKey: string,
  message: (issue: Issue) => string = (issue) => issue.message,
): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const issue of issues) {
    (errors[issue.path.map(String).join('.') || rootKey] ??= []).push(message(issue));
  }
  return errors;
}

/** zod issues as `path: message` lines (never the values), the whole value as `(root)`. */
export function issueLines(issues: readonly FieldIssue[]): string[] {
  return issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
}
