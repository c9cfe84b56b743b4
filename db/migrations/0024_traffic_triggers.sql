-- Custom SQL (drizzle-kit generate --custom): one traffic record for both stores. Vigil's own
-- store counts a trace into `traffic` when it completes, by trigger, whatever path completed it
-- (the same conditions as engine_completions); a remote MLflow's traffic is counted by the online
-- intake (lib/remote/traffic.ts). Bins match lib/overview/latency-histogram.ts (ratio 1.05).
-- Remote mode's rows move over from remote_traffic (dropped by the next migration).
INSERT INTO `traffic` (`experiment_id`, `bucket_ms`, `traces`, `errors`, `latency`, `last_trace_at`)
SELECT `experiment_id`, `bucket_ms`, `traces`, `errors`, `latency`, `last_trace_at` FROM `remote_traffic` WHERE true
ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- Traces already stored are counted once, as the triggers would have.
INSERT INTO `traffic` (`experiment_id`, `bucket_ms`, `traces`, `errors`, `latency`, `last_trace_at`)
SELECT `experiment_id`, `b`, SUM(`n`), SUM(`e`), COALESCE(json_group_object(CAST(`bin` AS TEXT), `n`) FILTER (WHERE `bin` IS NOT NULL), '{}'), MAX(`last`)
FROM (
  SELECT `experiment_id`, (`request_time` / 300000) * 300000 AS `b`,
    CASE WHEN `execution_duration_ms` IS NOT NULL AND `state` <> 'IN_PROGRESS' THEN CASE WHEN `execution_duration_ms` < 1 THEN 0 ELSE 1 + CAST(ln(`execution_duration_ms`) / 0.04879016416943205 AS INTEGER) END END AS `bin`,
    COUNT(*) AS `n`, SUM(`state` = 'ERROR') AS `e`, MAX(`request_time`) AS `last`
  FROM `traces` WHERE `completed_at` IS NOT NULL GROUP BY `experiment_id`, `b`, `bin`
) WHERE true GROUP BY `experiment_id`, `b`
ON CONFLICT DO NOTHING;
--> statement-breakpoint
CREATE TRIGGER `traffic_trace_completed_on_insert` AFTER INSERT ON `traces`
WHEN NEW.`completed_at` IS NOT NULL
BEGIN
  INSERT INTO `traffic` (`experiment_id`, `bucket_ms`, `traces`, `errors`, `latency`, `last_trace_at`)
  VALUES (NEW.`experiment_id`, (NEW.`request_time` / 300000) * 300000, 1, NEW.`state` = 'ERROR', '{}', NEW.`request_time`)
  ON CONFLICT (`experiment_id`, `bucket_ms`) DO UPDATE SET `traces` = `traces` + 1, `errors` = `errors` + excluded.`errors`,
    `last_trace_at` = MAX(`last_trace_at`, excluded.`last_trace_at`);
  UPDATE `traffic` SET `latency` = json_set(`latency`, '$."' || (CASE WHEN NEW.`execution_duration_ms` < 1 THEN 0 ELSE 1 + CAST(ln(NEW.`execution_duration_ms`) / 0.04879016416943205 AS INTEGER) END) || '"',
      COALESCE(json_extract(`latency`, '$."' || (CASE WHEN NEW.`execution_duration_ms` < 1 THEN 0 ELSE 1 + CAST(ln(NEW.`execution_duration_ms`) / 0.04879016416943205 AS INTEGER) END) || '"'), 0) + 1)
  WHERE NEW.`execution_duration_ms` IS NOT NULL AND NEW.`state` <> 'IN_PROGRESS'
    AND `experiment_id` = NEW.`experiment_id` AND `bucket_ms` = (NEW.`request_time` / 300000) * 300000;
END;
--> statement-breakpoint
CREATE TRIGGER `traffic_trace_completed_on_update` AFTER UPDATE OF `completed_at` ON `traces`
WHEN OLD.`completed_at` IS NULL AND NEW.`completed_at` IS NOT NULL
BEGIN
  INSERT INTO `traffic` (`experiment_id`, `bucket_ms`, `traces`, `errors`, `latency`, `last_trace_at`)
  VALUES (NEW.`experiment_id`, (NEW.`request_time` / 300000) * 300000, 1, NEW.`state` = 'ERROR', '{}', NEW.`request_time`)
  ON CONFLICT (`experiment_id`, `bucket_ms`) DO UPDATE SET `traces` = `traces` + 1, `errors` = `errors` + excluded.`errors`,
    `last_trace_at` = MAX(`last_trace_at`, excluded.`last_trace_at`);
  UPDATE `traffic` SET `latency` = json_set(`latency`, '$."' || (CASE WHEN NEW.`execution_duration_ms` < 1 THEN 0 ELSE 1 + CAST(ln(NEW.`execution_duration_ms`) / 0.04879016416943205 AS INTEGER) END) || '"',
      COALESCE(json_extract(`latency`, '$."' || (CASE WHEN NEW.`execution_duration_ms` < 1 THEN 0 ELSE 1 + CAST(ln(NEW.`execution_duration_ms`) / 0.04879016416943205 AS INTEGER) END) || '"'), 0) + 1)
  WHERE NEW.`execution_duration_ms` IS NOT NULL AND NEW.`state` <> 'IN_PROGRESS'
    AND `experiment_id` = NEW.`experiment_id` AND `bucket_ms` = (NEW.`request_time` / 300000) * 300000;
END;
