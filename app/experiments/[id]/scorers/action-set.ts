// The scorer actions bundled for client components (server references cross as props).
import type { ScorerActions } from "@/components/scorers/use-scorers";
import { validateFilterAction } from "../actions";
import {
  deleteScorerAction,
  pauseScorerAction,
  resumeAccountPauseAction,
  setBudgetAction,
  resumeScorerAction,
  scorerOverviewAction,
  startScorerAction,
  stopScorerAction,
  updateScorerAction,
} from "./actions";

export const scorerActions: ScorerActions = {
  overview: scorerOverviewAction,
  pause: pauseScorerAction,
  resume: resumeScorerAction,
  start: startScorerAction,
  stop: stopScorerAction,
  update: updateScorerAction,
  remove: deleteScorerAction,
  resumeAccount: resumeAccountPauseAction,
  budget: setBudgetAction,
  validateFilter: validateFilterAction,
};
