-- 0002_auth: what the Better Auth-compatible endpoints (src/auth) need beyond 0001's tables.
--
-- Lookups that happen before a user is known (a session cookie, a sign-in e-mail) cannot pass the RLS
-- policies of 0001, which match app.current_user_id only. Rather than a bypass for the app role, they go
-- through SECURITY DEFINER functions that each answer one narrow question, keyed by a secret the caller
-- must already hold (a session token) or by the e-mail being signed in. Everything after that (creating
-- sessions, listing or revoking them, reading the user) runs as kianax_app with the user's context set, so
-- RLS still applies to it.
--
-- FORCE ROW LEVEL SECURITY applies to the table owner too (unless it is a superuser), so the functions,
-- which run as the owner, need policies of their own: the *_definer policies below are granted to the
-- migrating owner only (current_user at migration time). kianax_app is not that role and gains nothing.

DO $$
BEGIN
  EXECUTE format('CREATE POLICY users_definer_lookup ON users TO %I USING (true)', current_user);
  EXECUTE format('CREATE POLICY sessions_definer_lookup ON sessions TO %I USING (true)', current_user);
  EXECUTE format('CREATE POLICY accounts_definer_lookup ON accounts TO %I USING (true)', current_user);
END
$$;

-- The session a token names, with its user: what get-session and every authenticated request need, in one
-- round trip. Holding the token is what entitles the caller to it. Expired rows are returned too, so the
-- caller can clear the cookie; it deletes them with the user's context.
CREATE FUNCTION kianax_auth_session_by_token(p_token text)
RETURNS TABLE (
  session_id text, user_id text, expires_at_ms bigint, session_created_ms bigint, session_updated_ms bigint,
  ip_address text, user_agent text, user_name text, user_email text, email_verified boolean,
  user_image text, user_created_ms bigint, user_updated_ms bigint
)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT s.id, s.user_id,
         (extract(epoch FROM s.expires_at) * 1000)::bigint,
         (extract(epoch FROM s.created_at) * 1000)::bigint,
         (extract(epoch FROM s.updated_at) * 1000)::bigint,
         s.ip_address, s.user_agent, u.name, u.email, u.email_verified, u.image,
         (extract(epoch FROM u.created_at) * 1000)::bigint,
         (extract(epoch FROM u.updated_at) * 1000)::bigint
    FROM sessions s JOIN users u ON u.id = s.user_id
   WHERE s.token = p_token
$$;

-- Sign-in by e-mail: the user id and the credential account's password hash (NULL when the user has no
-- password, e.g. Google only). E-mails are stored lower-cased (Better Auth lower-cases on sign-up).
CREATE FUNCTION kianax_auth_credential_by_email(p_email text)
RETURNS TABLE (user_id text, password_hash text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT u.id, a.password
    FROM users u
    LEFT JOIN accounts a ON a.user_id = u.id AND a.provider_id = 'credential'
   WHERE u.email = lower(p_email)
   LIMIT 1
$$;

REVOKE ALL ON FUNCTION kianax_auth_session_by_token(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION kianax_auth_credential_by_email(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kianax_auth_session_by_token(text) TO kianax_app;
GRANT EXECUTE ON FUNCTION kianax_auth_credential_by_email(text) TO kianax_app;

-- Rate-limit counters shared by every server process (Better Auth's rateLimit table, fixed windows). Keys
-- are "<client ip>|<path>"; no user data, hence no RLS. Rows whose window ended are deleted by the servers.
CREATE TABLE auth_rate_limits (
  key text PRIMARY KEY NOT NULL,
  count integer NOT NULL,
  window_started_at timestamp with time zone NOT NULL
);
GRANT SELECT, INSERT, UPDATE, DELETE ON auth_rate_limits TO kianax_app;
