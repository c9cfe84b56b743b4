// Team scorers, by module name (the file name without .ts). Add one line per scorer file here:
// a static barrel is bundled by Next.js and type-checked, which dynamic import() of a path is not.
import type { AnyScorerModule } from "../types";
import politeClosing from "./polite-closing";
import repeatedQuestion from "./repeated-question";

export const customScorers: Record<string, AnyScorerModule> = {
  "polite-closing": politeClosing,
  "repeated-question": repeatedQuestion,
};
