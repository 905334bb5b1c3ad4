-- 0004_run_queue: the durable run queue that replaces Temporal (issue 6; src/worker/README.md).
--
-- execution_queue is the HOT table: one row per execution that is pending or running, deleted in the same
-- statement that writes the run's final status, so it stays tiny and its index stays in memory. The history
-- lives in routine_executions. A row holds the routine snapshot the run executes (validated at enqueue, so
-- an edit of the routine never changes a run in flight), the lease (who runs it and until when) and the
-- engine checkpoint another worker resumes from.

CREATE TABLE execution_queue (
  execution_id uuid PRIMARY KEY NOT NULL
    REFERENCES routine_executions (id) ON DELETE CASCADE,
  user_id text NOT NULL,
  routine jsonb NOT NULL,  -- the engine's input (nodes, connections, variables, triggerData), a snapshot
  available_at timestamptz DEFAULT now() NOT NULL,
  lease_owner text,  -- a token unique per claim; every worker write is fenced on it
  lease_expires_at timestamptz,
  attempts integer DEFAULT 0 NOT NULL,  -- claims so far (a crash-looping run is failed after a bound)
  checkpoint jsonb,  -- engine ExecutionState::to_json() after the last node start/finish
  cancel_requested boolean DEFAULT false NOT NULL,
  enqueued_at timestamptz DEFAULT now() NOT NULL,
  CONSTRAINT execution_queue_lease_pair CHECK ((lease_owner IS NULL) = (lease_expires_at IS NULL))
);
-- The claim scans by availability; expired leases are filtered on the (few) rows it reads.
CREATE INDEX execution_queue_available_idx ON execution_queue USING btree (available_at);
CREATE INDEX execution_queue_user_idx ON execution_queue USING btree (user_id);

-- ---------------------------------------------------------------------------------------------------------
-- RLS, as for every tenant table: the app role sees only the current user's rows (enqueue, cancel, and the
-- worker's own writes, which run with the execution's user as context).
-- ---------------------------------------------------------------------------------------------------------
ALTER TABLE execution_queue ENABLE ROW LEVEL SECURITY;
ALTER TABLE execution_queue FORCE ROW LEVEL SECURITY;
CREATE POLICY execution_queue_user_isolation ON execution_queue
  USING (user_id = current_setting('app.current_user_id', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON execution_queue TO kianax_app;

-- ---------------------------------------------------------------------------------------------------------
-- Claiming across users. A worker does not know whose run is next, so the claim cannot run under one
-- user's context. Rather than BYPASSRLS for the app role (never), the claim is one SECURITY DEFINER function
-- owned by a dedicated NOLOGIN role, kianax_queue_claimer, which may only read and lease execution_queue
-- rows (its own policies below). The app role can EXECUTE the function and nothing else of that role:
-- it is not a member, so it cannot SET ROLE to it. The function returns only the claimed row.
-- ---------------------------------------------------------------------------------------------------------
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kianax_queue_claimer') THEN
    CREATE ROLE kianax_queue_claimer NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  END IF;
END
$$;
-- The migrating user must be a member to hand the function over (ALTER … OWNER TO).
GRANT kianax_queue_claimer TO CURRENT_USER;
GRANT USAGE ON SCHEMA public TO kianax_queue_claimer;
GRANT SELECT, UPDATE ON execution_queue TO kianax_queue_claimer;
CREATE POLICY execution_queue_claimer_select ON execution_queue FOR SELECT TO kianax_queue_claimer
  USING (true);
CREATE POLICY execution_queue_claimer_update ON execution_queue FOR UPDATE TO kianax_queue_claimer
  USING (true) WITH CHECK (true);

-- Claims the oldest available row whose lease is free or expired (crash recovery) in ONE statement:
-- SKIP LOCKED makes concurrent claimers take different rows without waiting; READ COMMITTED re-checks the
-- WHERE clause on the locked row version, so a row claimed and committed meanwhile is not taken twice.
CREATE FUNCTION kianax_claim_execution(p_lease_owner text, p_lease_ms integer)
RETURNS TABLE (execution_id uuid, user_id text, attempts integer, cancel_requested boolean, routine jsonb,
               checkpoint jsonb)
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  UPDATE execution_queue q
     SET lease_owner = p_lease_owner,
         lease_expires_at = now() + make_interval(secs => p_lease_ms / 1000.0),
         attempts = q.attempts + 1
   WHERE q.execution_id = (
           SELECT c.execution_id FROM execution_queue c
            WHERE c.available_at <= now()
              AND (c.lease_expires_at IS NULL OR c.lease_expires_at <= now())
            ORDER BY c.available_at, c.execution_id
            LIMIT 1
              FOR UPDATE SKIP LOCKED)
     AND p_lease_owner <> '' AND p_lease_ms BETWEEN 100 AND 3600000
  RETURNING q.execution_id, q.user_id, q.attempts, q.cancel_requested, q.routine, q.checkpoint
$$;
-- The new owner needs CREATE on the schema at the moment of ALTER … OWNER only; it is taken back at once.
GRANT CREATE ON SCHEMA public TO kianax_queue_claimer;
ALTER FUNCTION kianax_claim_execution(text, integer) OWNER TO kianax_queue_claimer;
REVOKE CREATE ON SCHEMA public FROM kianax_queue_claimer;
REVOKE ALL ON FUNCTION kianax_claim_execution(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kianax_claim_execution(text, integer) TO kianax_app;

-- ---------------------------------------------------------------------------------------------------------
-- Wake-up hint: idle workers LISTEN on kianax_run_queue. NOTIFY is delivered at commit and only to
-- listening sessions, so it is a hint; workers still poll with backoff in case one is missed.
-- ---------------------------------------------------------------------------------------------------------
CREATE FUNCTION kianax_notify_run_queue() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('kianax_run_queue', '');
  RETURN NULL;
END
$$;
CREATE TRIGGER execution_queue_notify AFTER INSERT ON execution_queue
  FOR EACH STATEMENT EXECUTE FUNCTION kianax_notify_run_queue();
