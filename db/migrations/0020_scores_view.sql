-- One ledger for the read models: the scores Vigil's engine recorded, whichever store holds the
-- assessments (Vigil's own table, or remote_scored for what it wrote onto a remote MLflow).
-- Reads filter by experiment, which SQLite pushes into both arms (and their indexes).
CREATE VIEW `engine_scores` AS
  SELECT experiment_id, name, create_time AS scored_at, error IS NOT NULL AS is_error, value, scorer_id
  FROM assessments WHERE kind = 'feedback' AND scorer_id IS NOT NULL AND valid = 1
  UNION ALL
  SELECT experiment_id, name, scored_at, is_error, value, scorer_id FROM remote_scored;
