// Recognising DynamoDB errors by name rather than by class: the SDK may be bundled more than once (Lambda layer vs.
// bundle), which breaks instanceof, while the wire-level error name is stable.

export function isErrorNamed(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}

export function isConditionalCheckFailed(error: unknown): boolean {
  return isErrorNamed(error, 'ConditionalCheckFailedException');
}
