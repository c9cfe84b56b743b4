// Scorer names become assessment names and URL path segments, so they are checked on register.
import { InvalidParameterError } from "@/lib/core/errors";

/** MLflow's scorers table stores names in a String(256) column. */
export const MAX_SCORER_NAME_LENGTH = 256;

/**
 * MLflow's own check (mlflow/genai/scorers/scorer_utils.py validate_scorer_name) rejects only
 * empty or whitespace-only names; the database limits them to 256 characters. Vigil adds: no '.'
 * (assessment names must not contain one) and no control characters.
 */
export function validateScorerName(name: unknown): string {
  if (typeof name !== "string") throw new InvalidParameterError(`Scorer name must be a string, got ${name === null ? "null" : typeof name}.`);
  if (!name.trim()) throw new InvalidParameterError("Scorer name cannot be empty or contain only whitespace.");
  if ([...name].length > MAX_SCORER_NAME_LENGTH) {
    throw new InvalidParameterError(`Scorer name must be at most ${MAX_SCORER_NAME_LENGTH} characters.`);
  }
  if (name.includes(".")) throw new InvalidParameterError(`Scorer name '${name}' must not contain '.'.`);
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new InvalidParameterError("Scorer name must not contain control characters.");
  return name;
}
