// Agreement: two versions of a judge on the traces both scored, and a judge against people's labels.
export * from "./kappa";
export * from "./numeric";
export * from "./values";
export * from "./load";
export * from "./compare-versions";
export * from "./human-agreement";
export * from "./needs-labels";
export * from "./label-trace";
export * from "./json";
export * from "./label-targets";
