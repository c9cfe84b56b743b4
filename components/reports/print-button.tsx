"use client";

/** Prints the report (the print stylesheet hides navigation and controls). */
export function PrintButton() {
  return (
    <button type="button" className="btn" onClick={() => window.print()}>
      Print
    </button>
  );
}
