export * from "./assessment-input";
export * from "./create-assessment";
export * from "./get-assessment";
export * from "./update-assessment";
export * from "./delete-assessment";
