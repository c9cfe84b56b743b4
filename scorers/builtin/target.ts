// Which side of the exchange a text check looks at.
import { z } from "zod";
import { inputText, outputText } from "../text";
import type { ScorerInput } from "../types";

export const targetSchema = z.enum(["outputs", "inputs"]).default("outputs");
export type Target = z.infer<typeof targetSchema>;

/** The human-readable text of the chosen side (assistant answer or user request). */
export function targetText(input: ScorerInput, target: Target): string {
  return target === "inputs" ? inputText(input.inputs) : outputText(input.outputs);
}
