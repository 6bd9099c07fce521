/**
 * The one error the plan parsers throw. Its message says what was expected and where the
 * input stopped looking like it, because the user pasted it and has to fix it.
 */
export class PlanParseError extends Error {
  /** 1-based line of the input where parsing failed, when known. */
  readonly line: number | null;
  readonly column: number | null;

  constructor(message: string, where?: { line?: number | null; column?: number | null }) {
    super(message);
    this.name = 'PlanParseError';
    this.line = where?.line ?? null;
    this.column = where?.column ?? null;
  }
}

/** A short, single-line excerpt of user input for error messages. */
export function excerpt(text: string, max = 60): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}
