"use client";

/**
 * What a page shows when loading it failed. Next.js hides server error text in production and
 * passes a digest instead; that digest is what the server log is searched by.
 */
export function ErrorPanel({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="alert bad" role="alert">
      <h3>This page could not be loaded</h3>
      <p style={{ margin: "4px 0 8px" }}>
        The server could not answer. Try again; if it keeps failing, the server log has the details
        {error.digest ? (
          <>
            {" "}
            (reference <code>{error.digest}</code>)
          </>
        ) : null}
        .
      </p>
      <button type="button" className="btn" onClick={reset}>
        Try again
      </button>
    </div>
  );
}
