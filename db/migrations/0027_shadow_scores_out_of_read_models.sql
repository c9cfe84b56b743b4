-- Custom SQL: the engine_scores read model (scorer health) leaves out the scores a shadow version
-- made before its promotion (scorer_shadows), exactly as metric points do (lib/metrics/point-sql.ts).
DROP VIEW IF EXISTS `engine_scores`;
--> statement-breakpoint
CREATE VIEW `engine_scores` AS
  SELECT experiment_id, name, create_time AS scored_at, error IS NOT NULL AS is_error, value, scorer_id
  FROM assessments a WHERE kind = 'feedback' AND scorer_id IS NOT NULL AND valid = 1
    AND NOT EXISTS (SELECT 1 FROM scorer_shadows s WHERE s.scorer_id = a.scorer_id AND s.version = a.scorer_version
      AND (s.state <> 'promoted' OR a.create_time < s.decided_at))
  UNION ALL
  SELECT experiment_id, name, scored_at, is_error, value, scorer_id FROM remote_scored r
  WHERE NOT EXISTS (SELECT 1 FROM scorer_shadows s WHERE s.scorer_id = r.scorer_id AND s.version = r.scorer_version
      AND (s.state <> 'promoted' OR r.scored_at < s.decided_at));
