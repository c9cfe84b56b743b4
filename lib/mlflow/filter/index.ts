// MLflow trace search filters: one parser, one in-memory evaluator, one SQL compiler, order_by.
export type * from "./ast";
export { parseFilter } from "./parse";
export { matchesTrace } from "./evaluate";
export { matchString, withFilterBudget, FilterBudgetExceededError } from "./match";
export { compileFilterToSql, installFilterSqlFunctions } from "./sql";
export { parseOrderBy, compileOrderBy, totalOrderBy, DEFAULT_ORDER_BY } from "./order-by";
